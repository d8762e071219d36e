package com.lakehouse.chatd.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.lakehouse.contracts.json.Json;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.util.ArrayList;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** chatd against fake upstreams speaking each provider's wire format; one Quarkus boot. */
@QuarkusTest
@QuarkusTestResource(FakeProvidersResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChatApiTest {
    @Inject
    MeterRegistry meters;

    private static final String USER = "[{\"role\":\"system\",\"content\":\"be brief\"},{\"role\":\"user\",\"content\":\"say hi\"}]";

    private static String chat(String model) {
        return "{\"model\":\"" + model + "\",\"messages\":" + USER + "}";
    }

    @Test
    @Order(1)
    void openAiWirePlainAnswerWithKeyAndRequestId() {
        given().contentType("application/json").header("X-Request-Id", "req-kimi-1").body(chat("kimi/fake"))
                .post("/v1/chat").then().statusCode(200)
                .body("provider", is("kimi")).body("model", is("fake"))
                .body("message.role", is("assistant")).body("message.content", is("hello from kimi"))
                .body("usage.prompt_tokens", is(7)).body("usage.completion_tokens", is(3)).body("usage.total_tokens", is(10))
                .body("latency_ms", greaterThanOrEqualTo(0))
                .body("attempts", hasSize(1)).body("attempts[0].status", is("ok")).body("attempts[0].tries", is(1));
        FakeProvidersResource.server.verify(postRequestedFor(urlEqualTo("/kimi/v1/chat/completions"))
                .withHeader("Authorization", equalTo("Bearer test-kimi"))
                .withHeader("X-Request-Id", equalTo("req-kimi-1"))
                .withRequestBody(matchingJsonPath("$.messages[1].content", equalTo("say hi"))));
    }

    @Test
    @Order(2)
    void bareNameIsLocalOllamaWithFormatThinkAndOptions() {
        given().contentType("application/json")
                .body("{\"model\":\"qwen3:4b\",\"messages\":" + USER + ",\"format\":\"json\",\"think\":false,\"temperature\":0.2,\"max_tokens\":64}")
                .post("/v1/chat").then().statusCode(200)
                .body("provider", is("ollama")).body("model", is("qwen3:4b"))
                .body("message.content", is("hello from ollama")).body("usage.total_tokens", is(9));
        FakeProvidersResource.server.verify(postRequestedFor(urlEqualTo("/local/api/chat"))
                .withRequestBody(matchingJsonPath("$.format", equalTo("json")))
                .withRequestBody(matchingJsonPath("$.think", equalTo("false")))
                .withRequestBody(matchingJsonPath("$.stream", equalTo("false")))
                .withRequestBody(matchingJsonPath("$.options.num_predict", equalTo("64"))));
    }

    @Test
    @Order(3)
    void cloudSuffixGoesToOllamaCloudWithBearer() {
        given().contentType("application/json").body(chat("glm-4.6:cloud")).post("/v1/chat").then().statusCode(200)
                .body("provider", is("ollama_cloud")).body("model", is("glm-4.6"))
                .body("message.content", is("hello from the cloud"));
        FakeProvidersResource.server.verify(postRequestedFor(urlEqualTo("/cloud/api/chat"))
                .withHeader("Authorization", equalTo("Bearer test-cloud")));
    }

    @Test
    @Order(4)
    void openAiCompletionsPlainWithResponseFormatPassthrough() {
        given().contentType("application/json")
                .body("{\"model\":\"openrouter/vendor/ok\",\"messages\":" + USER + ",\"response_format\":{\"type\":\"json_object\"}}")
                .post("/v1/chat/completions").then().statusCode(200)
                .body("object", is("chat.completion")).body("id", startsWith("chatcmpl-"))
                .body("model", is("openrouter/vendor/ok"))
                .body("choices[0].message.role", is("assistant"))
                .body("choices[0].message.content", is("hello from openrouter"))
                .body("choices[0].finish_reason", is("stop"))
                .body("usage.total_tokens", is(10));
        FakeProvidersResource.server.verify(postRequestedFor(urlEqualTo("/openrouter/v1/chat/completions"))
                .withHeader("HTTP-Referer", equalTo("https://lakehouse.test"))
                .withHeader("X-Title", equalTo("lakehouse tests"))
                .withRequestBody(matchingJsonPath("$.response_format.type", equalTo("json_object"))));
    }

    /** The content deltas of an SSE body; asserts the OpenAI framing on the way. */
    private static List<JsonNode> sseEvents(String body) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        String[] blocks = body.split("\n\n");
        assertEquals("data: [DONE]", blocks[blocks.length - 1].strip(), "stream must end with data: [DONE]");
        for (int i = 0; i < blocks.length - 1; i++) {
            assertTrue(blocks[i].startsWith("data: {"), "every event is one data line: " + blocks[i]);
            events.add(Json.mapper().readTree(blocks[i].substring(6)));
        }
        return events;
    }

    private static String joined(List<JsonNode> events) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode e : events) {
            JsonNode c = e.path("choices").path(0).path("delta").path("content");
            if (c.isTextual()) {
                sb.append(c.asText());
            }
        }
        return sb.toString();
    }

    @Test
    @Order(5)
    void streamFromOpenAiSse() throws Exception {
        String body = given().contentType("application/json")
                .body("{\"model\":\"kimi/stream\",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"messages\":" + USER + "}")
                .post("/v1/chat/completions").then().statusCode(200).contentType(startsWith("text/event-stream"))
                .extract().asString();
        List<JsonNode> events = sseEvents(body);
        assertEquals("Hello", joined(events));
        assertEquals("chat.completion.chunk", events.get(0).path("object").asText());
        assertEquals("assistant", events.get(0).path("choices").path(0).path("delta").path("role").asText());
        assertTrue(events.stream().anyMatch(e -> "stop".equals(e.path("choices").path(0).path("finish_reason").asText())));
        assertEquals(6, events.get(events.size() - 1).path("usage").path("total_tokens").asInt());
    }

    @Test
    @Order(6)
    void streamTranslatedFromOllamaNdjson() throws Exception {
        String body = given().contentType("application/json")
                .body("{\"model\":\"ollama/streamer\",\"stream\":true,\"messages\":" + USER + "}")
                .post("/v1/chat/completions").then().statusCode(200).extract().asString();
        List<JsonNode> events = sseEvents(body);
        assertEquals("Hi there", joined(events));
        assertEquals("ollama/streamer", events.get(0).path("model").asText());
        FakeProvidersResource.server.verify(postRequestedFor(urlEqualTo("/local/api/chat"))
                .withRequestBody(matchingJsonPath("$.stream", equalTo("true"))));
    }

    @Test
    @Order(7)
    void errorInside200StreamIsAnSseErrorEvent() throws Exception {
        String body = given().contentType("application/json")
                .body("{\"model\":\"ollama/crasher\",\"stream\":true,\"messages\":" + USER + "}")
                .post("/v1/chat/completions").then().statusCode(200).extract().asString();
        List<JsonNode> events = sseEvents(body);
        assertEquals("partial", joined(events));
        JsonNode last = events.get(events.size() - 1);
        assertTrue(last.path("error").path("message").asText().contains("model runner crashed"), last.toString());
    }

    @Test
    @Order(8)
    void sseErrorEventBeforeAnyContentFallsBackInTheChain() throws Exception {
        String body = given().contentType("application/json")
                .body("{\"model\":\"sseerr\",\"stream\":true,\"messages\":" + USER + "}")
                .post("/v1/chat/completions").then().statusCode(200).extract().asString();
        List<JsonNode> events = sseEvents(body);
        assertEquals("Hello", joined(events));
        assertEquals("kimi/stream", events.get(0).path("model").asText());
    }

    @Test
    @Order(9)
    void retryAfterIsHonoured() {
        given().contentType("application/json").body(chat("kimi/rate")).post("/v1/chat").then().statusCode(200)
                .body("message.content", is("after the wait"))
                .body("attempts[0].tries", is(2))
                // Retry-After: 1 means the second try cannot start before one second has passed
                .body("attempts[0].latency_ms", greaterThanOrEqualTo(1000));
    }

    @Test
    @Order(10)
    void serverErrorFallsBackToTheNextInTheAlias() {
        given().contentType("application/json").body(chat("fast")).post("/v1/chat").then().statusCode(200)
                .body("provider", is("openrouter")).body("model", is("vendor/ok"))
                .body("attempts", hasSize(2))
                .body("attempts[0].provider", is("kimi")).body("attempts[0].status", is("error"))
                .body("attempts[0].tries", is(3)).body("attempts[0].error", containsString("500"))
                .body("attempts[1].status", is("ok"));
    }

    @Test
    @Order(11)
    void timeoutFallsBack() {
        given().contentType("application/json").body(chat("slowchain")).post("/v1/chat").then().statusCode(200)
                .body("provider", is("ollama"))
                .body("attempts[0].provider", is("opencode")).body("attempts[0].status", is("timeout"))
                .body("attempts[0].tries", is(1));
    }

    @Test
    @Order(12)
    void malformedUpstreamJsonIs503WithTheReason() {
        given().contentType("application/json").body(chat("kimi/garbage")).post("/v1/chat").then().statusCode(503)
                .contentType("application/problem+json")
                .body("code", is("all_providers_failed"))
                .body("attempts[0].error", containsString("malformed"));
    }

    @Test
    @Order(13)
    void openRouterErrorInside200BodyIsAnError() {
        given().contentType("application/json").body(chat("openrouter/vendor/err200")).post("/v1/chat").then().statusCode(503)
                .body("attempts[0].error", containsString("Provider returned error"))
                .body("attempts[0].tries", is(1));
    }

    @Test
    @Order(14)
    void everyProviderFailingIs503ListingEach() {
        given().contentType("application/json").header("X-Request-Id", "doom-1").body(chat("doomed"))
                .post("/v1/chat").then().statusCode(503).contentType("application/problem+json")
                .body("status", is(503)).body("request_id", is("doom-1"))
                .body("detail", allOf(containsString("kimi/broken"), containsString("ollama_cloud/broken")))
                .body("attempts", hasSize(2))
                .body("attempts[1].error", containsString("upstream gone"));
    }

    @Test
    @Order(14)
    void streamWhoseEveryProviderFailsIs503NotAnEventStream() {
        given().contentType("application/json")
                .body("{\"model\":\"doomed\",\"stream\":true,\"messages\":" + USER + "}")
                .post("/v1/chat/completions").then().statusCode(503).contentType("application/problem+json")
                .body("code", is("all_providers_failed")).body("attempts.status", contains("error", "error"));
    }

    @Test
    @Order(15)
    void badInputNamesTheField() {
        given().contentType("application/json").body("{\"model\":\"kimi/fake\",\"messages\":[]}")
                .post("/v1/chat").then().statusCode(400).body("field", is("messages"));
        given().contentType("application/json").body("{\"model\":\"kimi/fake\"}")
                .post("/v1/chat").then().statusCode(400).body("field", is("messages"));
        given().contentType("application/json").body("{\"model\":\"kimi/fake\",\"messages\":[{\"role\":\"wizard\",\"content\":\"x\"}]}")
                .post("/v1/chat").then().statusCode(400).body("field", is("messages[0].role"));
        given().contentType("application/json").body(chat("acme/some-model"))
                .post("/v1/chat").then().statusCode(400).contentType("application/problem+json").body("field", is("model"))
                .body("detail", containsString("acme"));
        given().contentType("application/json").body(chat("openrouter/no-vendor"))
                .post("/v1/chat").then().statusCode(400).body("field", is("model"));
        given().contentType("application/json").body("{\"model\":\"kimi/fake\",\"messages\":" + USER + ",\"format\":42}")
                .post("/v1/chat").then().statusCode(400).body("field", is("format"));
        given().contentType("application/json").body("{\"model\":\"kimi/fake\"}")
                .post("/v1/chat/completions").then().statusCode(400).body("field", is("messages"));
        given().contentType("application/json").body("{\"model\":\"kimi/fake\",\"messages\":" + USER + ",\"temperature\":9}")
                .post("/v1/chat/completions").then().statusCode(400).body("field", is("temperature"));
    }

    @Test
    @Order(16)
    void providersModelsAndWeakModels() {
        given().get("/v1/chat/providers").then().statusCode(200)
                .body("name", contains("kimi", "opencode", "openrouter", "ollama_cloud", "ollama"))
                .body("configured", everyItem(is(true)))
                .body("find { it.name == 'kimi' }.base_url", endsWith("/kimi/v1"))
                .body("find { it.name == 'ollama' }.wire", is("ollama"));
        given().get("/v1/models").then().statusCode(200).body("object", is("list"))
                .body("data.id", hasItems("kimi/fake", "kimi/stream", "fast", "doomed", "all-minilm-l6-v2"))
                .body("data.object", everyItem(is("model")))
                .body("data.findAll { it.id == 'all-minilm-l6-v2' }", hasSize(1))
                .body("data.find { it.id == 'all-minilm-l6-v2' }.owned_by", is("local"))
                .body("data.find { it.id == 'all-minilm-l6-v2' }.kind", is("embedding"))
                .body("data.find { it.id == 'all-minilm-l6-v2' }.aliases", hasItem("all-minilm"))
                .body("data.find { it.id == 'kimi/fake' }.owned_by", is("kimi"))
                .body("data.find { it.id == 'kimi/fake' }.kind", is("chat"));
        given().get("/v1/models/kimi/fake").then().statusCode(200).body("id", is("kimi/fake")).body("owned_by", is("kimi"));
        given().get("/v1/models/all-minilm:22m").then().statusCode(200).body("id", is("all-minilm-l6-v2"));
        given().get("/v1/models/no-such-model").then().statusCode(404).contentType("application/problem+json")
                .body("code", is("model_not_found"));
        given().get("/v1/chat/models/weak").then().statusCode(200).body("weak_models", contains("ollama/qwen3:4b", "fast"));
        given().queryParam("model", "qwen3:4b").get("/v1/chat/models/weak").then().statusCode(200).body("weak", is(true));
        given().queryParam("model", "kimi/fake").get("/v1/chat/models/weak").then().statusCode(200).body("weak", is(false));
    }

    @Test
    @Order(17)
    void everyCallIsAnObservedOperation() throws Exception {
        // The observer client ships in the background; wait (bounded) for the batch to reach the fake observerd.
        List<LoggedRequest> seen = List.of();
        for (int i = 0; i < 100 && !containsChatOp(seen); i++) {
            Thread.sleep(100);
            seen = FakeProvidersResource.server.findAll(postRequestedFor(urlEqualTo("/v1/observer/events")));
        }
        assertTrue(containsChatOp(seen), "no observed chat operation reached observerd");
    }

    private static boolean containsChatOp(List<LoggedRequest> requests) throws Exception {
        for (LoggedRequest r : requests) {
            for (JsonNode e : Json.mapper().readTree(r.getBodyAsString()).path("events")) {
                if ("chatd".equals(e.path("source").asText()) && "/v1/chat".equals(e.path("endpoint").asText())
                        && "kimi/fake".equals(e.path("model").asText()) && e.path("success").asBoolean()
                        && "hello from kimi".equals(e.path("result").path("message").path("content").asText())
                        && e.has("latency_ms")) {
                    return true;
                }
            }
        }
        return false;
    }

    private double refusals(String provider) {
        var c = meters.find("chatd.provider.attempts").tags("provider", provider, "status", "circuit_open").counter();
        return c == null ? 0 : c.count();
    }

    @Test
    @Order(18)
    void openBreakerSkipsTheProviderInAChain() {
        // opencode's breaker opens after 4 calls with half of them failing (test config); 503s count, retries too.
        double errors = meters.get("chatd.provider.errors").tags("provider", "opencode", "kind", "error").counter().count();
        double refused = refusals("opencode");
        given().contentType("application/json").body(chat("opencode/broken")).post("/v1/chat").then().statusCode(503);
        given().contentType("application/json").body(chat("opencode/broken")).post("/v1/chat").then().statusCode(503);
        given().get("/v1/chat/providers").then().statusCode(200)
                .body("find { it.name == 'opencode' }.usable", is(false))
                .body("find { it.name == 'opencode' }.breaker", is("open"));
        assertEquals(1.0, meters.get("chatd.provider.breaker.state").tag("provider", "opencode").gauge().value());
        assertEquals(0.0, meters.get("chatd.provider.breaker.state").tag("provider", "kimi").gauge().value());
        // the first call's retries opened the breaker: one provider error, then one refusal that is not an error
        assertEquals(errors + 1, meters.get("chatd.provider.errors").tags("provider", "opencode", "kind", "error")
                .counter().count());
        assertEquals(refused + 1, refusals("opencode"));
        given().contentType("application/json").body(chat("guarded")).post("/v1/chat").then().statusCode(200)
                .body("provider", is("kimi"))
                .body("attempts[0].provider", is("opencode")).body("attempts[0].status", is("circuit_open"))
                .body("attempts[0].tries", is(0)); // the breaker refused before any HTTP call
    }

    private static List<JsonNode> ndjson(String body) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : body.split("\n")) {
            if (!line.isBlank()) {
                out.add(Json.mapper().readTree(line));
            }
        }
        return out;
    }

    @Test
    @Order(30)
    void ollamaChatStreamsNdjsonWithOllamasFields() throws Exception {
        // Ollama's stream defaults to true
        String body = given().contentType("application/json")
                .body("{\"model\":\"kimi/stream\",\"messages\":" + USER + "}")
                .post("/api/chat").then().statusCode(200).contentType(startsWith("application/x-ndjson")).extract().asString();
        List<JsonNode> lines = ndjson(body);
        StringBuilder text = new StringBuilder();
        for (JsonNode l : lines.subList(0, lines.size() - 1)) {
            assertEquals(false, l.path("done").asBoolean(true));
            assertEquals("assistant", l.path("message").path("role").asText());
            assertEquals("kimi/stream", l.path("model").asText());
            assertTrue(l.hasNonNull("created_at"));
            text.append(l.path("message").path("content").asText());
        }
        assertEquals("Hello", text.toString());
        JsonNode last = lines.get(lines.size() - 1);
        assertTrue(last.path("done").asBoolean());
        assertEquals("stop", last.path("done_reason").asText());
        assertEquals(4, last.path("prompt_eval_count").asInt());
        assertEquals(2, last.path("eval_count").asInt());
        assertTrue(last.path("total_duration").asLong() > 0);
        assertTrue(last.has("load_duration") && last.has("eval_duration"));
    }

    @Test
    @Order(31)
    void ollamaChatAndGenerateWithoutStreaming() {
        given().contentType("application/json").body("{\"model\":\"kimi/fake\",\"stream\":false,\"messages\":" + USER
                        + ",\"options\":{\"temperature\":0.1,\"num_predict\":50}}")
                .post("/api/chat").then().statusCode(200).contentType(startsWith("application/json"))
                .body("model", is("kimi/fake")).body("message.role", is("assistant"))
                .body("message.content", is("hello from kimi")).body("done", is(true)).body("done_reason", is("stop"))
                .body("prompt_eval_count", is(7)).body("eval_count", is(3)).body("total_duration", greaterThan(0));
        FakeProvidersResource.server.verify(postRequestedFor(urlEqualTo("/kimi/v1/chat/completions"))
                .withRequestBody(matchingJsonPath("$.max_tokens", equalTo("50"))));
        given().contentType("application/json").body("{\"model\":\"kimi/fake\",\"stream\":false,\"prompt\":\"say hi\",\"system\":\"be brief\"}")
                .post("/api/generate").then().statusCode(200).body("response", is("hello from kimi")).body("done", is(true))
                .body("message", nullValue());
        given().contentType("application/json").body("{\"model\":\"kimi/fake\",\"stream\":false}")
                .post("/api/generate").then().statusCode(400).body("field", is("prompt"));
        given().contentType("application/json").body("{\"stream\":false,\"messages\":" + USER + "}")
                .post("/api/chat").then().statusCode(400).body("field", is("model"));
    }

    @Test
    @Order(32)
    void ollamaTagsListEmbeddingAndChatModelsAndShowAsksEmbedd() {
        given().get("/api/tags").then().statusCode(200)
                .body("models.name", hasItems("all-minilm-l6-v2:latest", "kimi/fake", "fast"))
                .body("models.find { it.name == 'all-minilm-l6-v2:latest' }.details.family", is("bert"))
                .body("models.find { it.name == 'kimi/fake' }.details.family", is("kimi"))
                .body("models.find { it.name == 'kimi/fake' }.digest", matchesPattern("[0-9a-f]{64}"));
        given().contentType("application/json").body("{\"model\":\"kimi/fake\"}").post("/api/show").then().statusCode(200)
                .body("capabilities", contains("completion"));
        given().contentType("application/json").body("{\"model\":\"all-minilm\"}").post("/api/show").then().statusCode(200)
                .body("capabilities", contains("embedding"));
        given().contentType("application/json").body("{\"model\":\"nope\"}").post("/api/show").then().statusCode(404)
                .body("error", containsString("not found"));
    }
}

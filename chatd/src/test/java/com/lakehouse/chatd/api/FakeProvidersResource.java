package com.lakehouse.chatd.api;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.HashMap;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * One WireMock server playing all five providers (each under its own path prefix, speaking its real wire
 * format) and observerd. chatd is configured to it by config alone, as an operator would.
 */
public class FakeProvidersResource implements QuarkusTestResourceLifecycleManager {
    static WireMockServer server;

    static String openAiAnswer(String content) {
        return "{\"id\":\"x\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\""
                + content + "\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":3,\"total_tokens\":10}}";
    }

    static String ollamaAnswer(String content) {
        return "{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"" + content
                + "\"},\"done\":true,\"done_reason\":\"stop\",\"prompt_eval_count\":5,\"eval_count\":4}";
    }

    static String sse(String... contents) {
        StringBuilder sb = new StringBuilder(": OPENROUTER PROCESSING\n\n");
        for (String c : contents) {
            sb.append("data: {\"id\":\"u\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"")
                    .append(c).append("\"},\"finish_reason\":null}]}\n\n");
        }
        sb.append("data: {\"id\":\"u\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n");
        sb.append("data: {\"id\":\"u\",\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":2,\"total_tokens\":6}}\n\n");
        sb.append("data: [DONE]\n\n");
        return sb.toString();
    }

    private static void openAi(String prefix, String model, com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder resp) {
        server.stubFor(post(urlEqualTo(prefix + "/chat/completions"))
                .withRequestBody(matchingJsonPath("$.model", equalTo(model))).willReturn(resp));
    }

    private static void ollama(String prefix, String model, com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder resp) {
        server.stubFor(post(urlEqualTo(prefix + "/chat"))
                .withRequestBody(matchingJsonPath("$.model", equalTo(model))).willReturn(resp));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
    }

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        // kimi (OpenAI wire)
        openAi("/kimi/v1", "fake", json(openAiAnswer("hello from kimi")));
        openAi("/kimi/v1", "stream", aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream")
                .withBody(sse("Hel", "lo")));
        openAi("/kimi/v1", "broken", aResponse().withStatus(500).withBody("{\"error\":{\"message\":\"boom\"}}"));
        openAi("/kimi/v1", "garbage", aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("{\"choices\": [ not json"));
        server.stubFor(post(urlEqualTo("/kimi/v1/chat/completions")).inScenario("rate")
                .withRequestBody(matchingJsonPath("$.model", equalTo("rate")))
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("served-429")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")
                        .withBody("{\"error\":{\"message\":\"slow down\"}}")));
        server.stubFor(post(urlEqualTo("/kimi/v1/chat/completions")).inScenario("rate")
                .withRequestBody(matchingJsonPath("$.model", equalTo("rate")))
                .whenScenarioStateIs("served-429").willReturn(json(openAiAnswer("after the wait"))));
        // openrouter (OpenAI wire, errors inside 200 bodies and SSE events)
        openAi("/openrouter/v1", "vendor/ok", json(openAiAnswer("hello from openrouter")));
        openAi("/openrouter/v1", "vendor/err200", json("{\"error\":{\"code\":400,\"message\":\"Provider returned error\"}}"));
        openAi("/openrouter/v1", "vendor/sse-err", aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream")
                .withBody(": OPENROUTER PROCESSING\n\ndata: {\"id\":\"e\",\"object\":\"chat.completion.chunk\",\"error\":{\"code\":502,\"message\":\"Provider disconnected\"},\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\"},\"finish_reason\":\"error\"}]}\n\n"));
        // opencode (OpenAI wire): slow answer for the timeout, 500 for the breaker
        openAi("/opencode/v1", "slow", json(openAiAnswer("too late")).withFixedDelay(3000));
        openAi("/opencode/v1", "ok", json(openAiAnswer("hello from opencode")));
        openAi("/opencode/v1", "broken", aResponse().withStatus(503).withBody("overloaded"));
        // ollama_cloud (native Ollama wire)
        ollama("/cloud/api", "glm-4.6", json(ollamaAnswer("hello from the cloud")));
        ollama("/cloud/api", "broken", aResponse().withStatus(502).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"upstream gone\"}"));
        // local ollama (native wire, NDJSON streaming)
        ollama("/local/api", "qwen3:4b", json(ollamaAnswer("hello from ollama")));
        ollama("/local/api", "streamer", aResponse().withStatus(200).withHeader("Content-Type", "application/x-ndjson")
                .withBody("{\"model\":\"streamer\",\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"done\":false}\n"
                        + "{\"model\":\"streamer\",\"message\":{\"role\":\"assistant\",\"content\":\" there\"},\"done\":false}\n"
                        + "{\"model\":\"streamer\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,\"done_reason\":\"stop\",\"prompt_eval_count\":3,\"eval_count\":2}\n"));
        ollama("/local/api", "crasher", aResponse().withStatus(200).withHeader("Content-Type", "application/x-ndjson")
                .withBody("{\"model\":\"crasher\",\"message\":{\"role\":\"assistant\",\"content\":\"partial\"},\"done\":false}\n"
                        + "{\"error\":\"model runner crashed\"}\n"));
        // embedd's model listings (its real shapes), asked for /v1/models and /api/tags
        server.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlEqualTo("/embedd/v1/embed/models")).willReturn(json(
                "{\"models\":[{\"name\":\"all-minilm-l6-v2\",\"provider\":\"local\",\"dimension\":384,\"is_default\":true,"
                        + "\"aliases\":[\"all-minilm\",\"all-minilm:22m\"]}]}")));
        server.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlEqualTo("/embedd/api/tags")).willReturn(json(
                "{\"models\":[{\"name\":\"all-minilm-l6-v2:latest\",\"model\":\"all-minilm-l6-v2:latest\",\"size\":23000000,"
                        + "\"digest\":\"ab\",\"details\":{\"family\":\"bert\"},\"aliases\":[\"all-minilm\"],\"kind\":\"embedding\"}]}")));
        server.stubFor(post(urlEqualTo("/embedd/api/show")).withRequestBody(matchingJsonPath("$.model", equalTo("all-minilm")))
                .willReturn(json("{\"capabilities\":[\"embedding\"],\"details\":{\"family\":\"bert\"}}")));
        server.stubFor(post(urlEqualTo("/embedd/api/show")).withRequestBody(matchingJsonPath("$.model", equalTo("nope")))
                .willReturn(aResponse().withStatus(404).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":\"model 'nope' not found\"}")));
        // observerd
        server.stubFor(post(urlEqualTo("/v1/observer/events")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"accepted\":1}")));

        String base = "http://127.0.0.1:" + server.port();
        Map<String, String> c = new HashMap<>();
        c.put("lakehouse.fleet.observerd", base);
        c.put("lakehouse.fleet.embedd", base + "/embedd");
        c.put("lakehouse.chatd.providers.kimi.base-url", base + "/kimi/v1");
        c.put("lakehouse.chatd.providers.kimi.api-key", "test-kimi");
        c.put("lakehouse.chatd.providers.kimi.models", "fake,stream");
        c.put("lakehouse.chatd.providers.openrouter.base-url", base + "/openrouter/v1");
        c.put("lakehouse.chatd.providers.openrouter.api-key", "test-openrouter");
        c.put("lakehouse.chatd.providers.openrouter.referer", "https://lakehouse.test");
        c.put("lakehouse.chatd.providers.openrouter.title", "lakehouse tests");
        c.put("lakehouse.chatd.providers.opencode.base-url", base + "/opencode/v1");
        c.put("lakehouse.chatd.providers.opencode.api-key", "test-opencode");
        c.put("lakehouse.chatd.providers.opencode.timeout", "800ms");
        c.put("lakehouse.chatd.providers.opencode.breaker-request-volume", "4");
        c.put("lakehouse.chatd.providers.opencode.breaker-delay", "1h");
        c.put("lakehouse.chatd.providers.ollama_cloud.base-url", base + "/cloud/api");
        c.put("lakehouse.chatd.providers.ollama_cloud.api-key", "test-cloud");
        c.put("lakehouse.chatd.providers.ollama.base-url", base + "/local/api");
        for (String p : new String[]{"kimi", "openrouter", "opencode", "ollama_cloud", "ollama"}) {
            c.put("lakehouse.chatd.providers." + p + ".retry-delay", "10ms");
            c.put("lakehouse.chatd.providers." + p + ".retry-after-cap", "2s");
            if (!p.equals("opencode")) {
                c.put("lakehouse.chatd.providers." + p + ".breaker-request-volume", "1000");
            }
        }
        c.put("lakehouse.chatd.aliases.fast", "kimi/broken,openrouter/vendor/ok");
        c.put("lakehouse.chatd.aliases.slowchain", "opencode/slow,ollama/qwen3:4b");
        c.put("lakehouse.chatd.aliases.sseerr", "openrouter/vendor/sse-err,kimi/stream");
        c.put("lakehouse.chatd.aliases.doomed", "kimi/broken,ollama_cloud/broken");
        c.put("lakehouse.chatd.aliases.guarded", "opencode/ok,kimi/fake");
        c.put("lakehouse.chatd.weak-models", "ollama/qwen3:4b,fast");
        return c;
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}

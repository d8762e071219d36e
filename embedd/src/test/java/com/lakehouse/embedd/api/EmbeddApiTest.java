package com.lakehouse.embedd.api;

import com.lakehouse.contracts.testing.S3ProxyTestResource;
import com.lakehouse.embedd.service.EmbedService;
import com.lakehouse.embedd.store.CacheSnapshots;
import io.quarkus.test.common.QuarkusTestResource;
import jakarta.inject.Inject;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

/** embedd's HTTP surface against the real local model and fake Ollama / OpenAI upstreams; one boot. */
@QuarkusTest
@QuarkusTestResource(S3ProxyTestResource.class)
@QuarkusTestResource(FakeUpstreamsResource.class)
class EmbeddApiTest {

    private static Response post(String path, Object body) {
        return given().contentType(ContentType.JSON).body(body).post(path);
    }

    private static String fake() {
        String base = ConfigProvider.getConfig().getValue("lakehouse.embedd.models.fake-ollama.base-url", String.class);
        return base;
    }

    private static String fakeGet(String path) {
        return RestAssured.given().baseUri(fake()).port(-1).get(path).then().statusCode(200).extract().asString();
    }

    private static float[] floats(List<Number> l) {
        float[] f = new float[l.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = l.get(i).floatValue();
        }
        return f;
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    @Test
    void localModelIsTheDefaultAndPutsParaphrasesCloser() {
        Response r = post("/v1/embed", Map.of("texts", List.of(
                "The forklift operator starts the night shift at the warehouse.",
                "A warehouse forklift driver begins working the overnight shift.",
                "Quarterly revenue for the bakery rose by five percent.")));
        r.then().statusCode(200).body("model", is("all-minilm-l6-v2")).body("dimension", is(384))
                .body("vectors", hasSize(3)).body("vectors[0]", hasSize(384));
        List<List<Number>> v = r.jsonPath().getList("vectors");
        double para = cosine(floats(v.get(0)), floats(v.get(1)));
        double unrelated = cosine(floats(v.get(0)), floats(v.get(2)));
        assertTrue(para > unrelated + 0.2, "paraphrase " + para + " vs unrelated " + unrelated);
    }

    @Test
    void inputStringIsABatchOfOneAndRepeatsAreCacheHits() {
        String text = "cache me " + System.nanoTime();
        Map<String, Object> stats0 = given().get("/v1/embed/stats").then().statusCode(200).extract().jsonPath().getMap("");
        List<Number> first = post("/v1/embed", Map.of("input", text)).then().statusCode(200)
                .body("vectors", hasSize(1)).extract().jsonPath().getList("vectors[0]");
        List<Number> second = post("/v1/embed", Map.of("input", List.of(text), "model", "all-minilm-l6-v2"))
                .then().statusCode(200).extract().jsonPath().getList("vectors[0]");
        assertEquals(first, second);
        Map<String, Object> stats = given().get("/v1/embed/stats").then().statusCode(200)
                .body("hit_rate", notNullValue()).body("size", greaterThan(0)).extract().jsonPath().getMap("");
        assertTrue(((Number) stats.get("hits")).longValue() >= ((Number) stats0.get("hits")).longValue() + 1);
        assertTrue(((Number) stats.get("misses")).longValue() >= ((Number) stats0.get("misses")).longValue() + 1);
        given().get("/q/metrics").then().statusCode(200).body(containsString("embed_cache_hits_total"))
                .body(containsString("embed_cache_size"));
    }

    @Test
    void badInputNamesTheField() {
        post("/v1/embed", Map.of()).then().statusCode(400).contentType("application/problem+json")
                .body("field", is("texts"));
        post("/v1/embed", Map.of("texts", List.of())).then().statusCode(400).body("field", is("texts"));
        post("/v1/embed", Map.of("texts", List.of("fine", ""))).then().statusCode(400).body("field", is("texts[1]"));
        post("/v1/embed", Map.of("texts", 5)).then().statusCode(400).body("field", is("texts"));
        post("/v1/embed", Map.of("input", List.of("a", 7))).then().statusCode(400).body("field", is("input[1]"));
        post("/v1/embed", Map.of("texts", Collections.nCopies(17, "x"))).then().statusCode(422)
                .body("field", is("texts"));
        post("/v1/embed", Map.of("texts", List.of("x".repeat(201)))).then().statusCode(422)
                .body("field", is("texts[0]"));
        post("/v1/embed", Map.of("texts", List.of("x"), "model", "no-such-model")).then().statusCode(400)
                .body("field", is("model")).body("detail", containsString("all-minilm-l6-v2"));
        given().contentType(ContentType.JSON).body("{\"texts\": [").post("/v1/embed").then().statusCode(400)
                .contentType("application/problem+json");
        post("/v1/embeddings", Map.of("input", List.of(List.of(1, 2, 3)))).then().statusCode(400)
                .body("field", is("input[0]"));
        post("/v1/embeddings", Map.of("input", "x", "encoding_format", "int8")).then().statusCode(400)
                .body("field", is("encoding_format"));
        post("/api/embeddings", Map.of("model", "all-minilm-l6-v2")).then().statusCode(400).body("field", is("prompt"));
        post("/api/embed", Map.of("model", "nope", "input", "x")).then().statusCode(400).body("field", is("model"));
    }

    @Test
    void openAiShapeWithFloatAndBase64() {
        Response r = post("/v1/embeddings", Map.of("input", List.of("first text", "second text"),
                "model", "all-minilm-l6-v2", "encoding_format", "float"));
        r.then().statusCode(200).body("object", is("list")).body("model", is("all-minilm-l6-v2"))
                .body("data", hasSize(2)).body("data[0].object", is("embedding")).body("data[0].index", is(0))
                .body("data[1].index", is(1)).body("data[1].embedding", hasSize(384))
                .body("usage.prompt_tokens", greaterThan(0))
                .body("usage.total_tokens", equalTo(r.jsonPath().getInt("usage.prompt_tokens")));
        float[] f = floats(r.jsonPath().getList("data[1].embedding"));
        String b64 = post("/v1/embeddings", Map.of("input", "second text", "encoding_format", "base64"))
                .then().statusCode(200).body("data[0].embedding", isA(String.class)).extract()
                .jsonPath().getString("data[0].embedding");
        ByteBuffer buf = ByteBuffer.wrap(Base64.getDecoder().decode(b64)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(384 * 4, buf.remaining());
        for (int i = 0; i < 384; i++) {
            assertEquals(f[i], buf.getFloat(), 0f);
        }
        post("/v1/embeddings", Map.of("input", "x", "dimensions", 512)).then().statusCode(400)
                .body("field", is("dimensions"));
    }

    @Test
    void ollamaShapes() {
        post("/api/embed", Map.of("model", "all-minilm-l6-v2:latest", "input", List.of("one", "two")))
                .then().statusCode(200).body("model", is("all-minilm-l6-v2")).body("embeddings", hasSize(2))
                .body("embeddings[1]", hasSize(384));
        post("/api/embeddings", Map.of("model", "all-minilm-l6-v2", "prompt", "one")).then().statusCode(200)
                .body("embedding", hasSize(384));
    }

    @Test
    void namesAsClientsWriteThemResolveToTheEmbeddedModel() {
        List<Number> canonical = post("/api/embed", Map.of("model", "all-minilm-l6-v2", "input", "forklift operator"))
                .then().statusCode(200).extract().jsonPath().getList("embeddings[0]");
        for (String name : List.of("all-minilm", "all-minilm:latest", "all-minilm:22m", "ALL-MINILM",
                "sentence-transformers/all-MiniLM-L6-v2", "all-minilm-l6-v2:latest")) {
            post("/api/embed", Map.of("model", name, "input", "forklift operator")).then().statusCode(200)
                    .body("model", is("all-minilm-l6-v2")).body("embeddings[0]", is(canonical))
                    .body("prompt_eval_count", greaterThan(0)).body("total_duration", greaterThan(0));
            post("/v1/embeddings", Map.of("model", name, "input", "forklift operator")).then().statusCode(200)
                    .body("model", is("all-minilm-l6-v2"));
        }
        post("/v1/embed", Map.of("model", "small-embedder", "texts", List.of("x"))).then().statusCode(200)
                .body("model", is("fake-openai"));
        post("/api/embed", Map.of("model", "all-minilm:33m", "input", "x")).then().statusCode(400)
                .body("field", is("model")).body("detail", containsString("all-minilm-l6-v2"));
        // each model once, with its aliases
        given().get("/v1/embed/models").then().statusCode(200)
                .body("models.findAll { it.name == 'all-minilm-l6-v2' }", hasSize(1))
                .body("models.find { it.name == 'all-minilm-l6-v2' }.aliases", hasItems("all-minilm", "all-minilm:22m"))
                .body("models.find { it.name == 'fake-openai' }.aliases", contains("text-embedding-3-small", "Small-Embedder"));
    }

    @Test
    void ollamaDiscoveryRoutes() {
        post("/api/embed", Map.of("input", "load it")).then().statusCode(200);
        given().get("/api/tags").then().statusCode(200)
                .body("models.findAll { it.name == 'all-minilm-l6-v2:latest' }", hasSize(1))
                .body("models.find { it.name == 'all-minilm-l6-v2:latest' }.model", is("all-minilm-l6-v2:latest"))
                .body("models.find { it.name == 'all-minilm-l6-v2:latest' }.aliases", hasItem("all-minilm"))
                .body("models.find { it.name == 'all-minilm-l6-v2:latest' }.details.family", is("bert"))
                .body("models.find { it.name == 'all-minilm-l6-v2:latest' }.size", greaterThan(1_000_000))
                .body("models.find { it.name == 'all-minilm-l6-v2:latest' }.digest", matchesPattern("[0-9a-f]{64}"))
                .body("models.find { it.name == 'all-minilm-l6-v2:latest' }.modified_at", notNullValue())
                .body("models.find { it.name == 'fake-openai:latest' }.details.family", is("openai"));
        post("/api/show", Map.of("model", "all-minilm")).then().statusCode(200)
                .body("capabilities", contains("embedding")).body("details.format", is("onnx"))
                .body("model_info.'bert.embedding_length'", is(384));
        post("/api/show", Map.of("model", "no-such-model")).then().statusCode(404).body("error", containsString("not found"));
        post("/api/show", Map.of()).then().statusCode(400).body("field", is("model"));
        given().get("/api/ps").then().statusCode(200).body("models.name", hasItem("all-minilm-l6-v2:latest"));
        given().get("/api/version").then().statusCode(200).body("version", matchesPattern("\\d+\\.\\d+\\.\\d+"));
    }

    @Test
    void ollamaUpstreamFloat64BecomesFloat32AndCarriesTheRequestId() {
        String text = "ollama text " + System.nanoTime();
        Response r = given().header("X-Request-Id", "rid-ollama-1").contentType(ContentType.JSON)
                .body(Map.of("texts", List.of(text, "second " + text), "model", "fake-ollama")).post("/v1/embed");
        r.then().statusCode(200).body("model", is("fake-ollama")).body("dimension", is(FakeUpstreams.DIM));
        float[] got = floats(r.jsonPath().getList("vectors[0]"));
        double[] want = FakeUpstreams.vectorOf(text);
        for (int i = 0; i < want.length; i++) {
            assertEquals((float) want[i], got[i], 0f);
        }
        assertEquals("rid-ollama-1", fakeGet("/_rid/nomic-embed-text"));
        int calls = Integer.parseInt(fakeGet("/_calls/nomic-embed-text"));
        // one hit (the first text) and one new miss: one more upstream call, for the miss only
        post("/v1/embed", Map.of("texts", List.of(text, "third " + text), "model", "fake-ollama")).then().statusCode(200);
        assertEquals(calls + 1, Integer.parseInt(fakeGet("/_calls/nomic-embed-text")));
        post("/v1/embed", Map.of("texts", List.of("third " + text, text), "model", "fake-ollama")).then().statusCode(200);
        assertEquals(calls + 1, Integer.parseInt(fakeGet("/_calls/nomic-embed-text")));
    }

    @Test
    void openAiUpstreamIsSortedByIndexAndUsesTheKey() {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            texts.add("openai text " + i + " " + System.nanoTime());
        }
        Response r = post("/v1/embed", Map.of("texts", texts, "model", "fake-openai"));
        r.then().statusCode(200).body("vectors", hasSize(5));
        for (int i = 0; i < 5; i++) {
            assertEquals((float) FakeUpstreams.vectorOf(texts.get(i))[0],
                    floats(r.jsonPath().getList("vectors[" + i + "]"))[0], 0f);
        }
        post("/v1/embed", Map.of("texts", List.of("no key"), "model", "openai-nokey")).then().statusCode(502)
                .contentType("application/problem+json").body("code", is("upstream_error"))
                .body("detail", allOf(containsString("openai"), containsString("401")));
    }

    @Test
    void upstreamFailuresAreProblemsNamingProviderAndStatus() {
        post("/v1/embed", Map.of("texts", List.of("a"), "model", "ollama-500")).then().statusCode(502)
                .contentType("application/problem+json").body("code", is("upstream_error"))
                .body("detail", allOf(containsString("ollama"), containsString("500")));
        // 1 attempt + 2 retries
        assertEquals("3", fakeGet("/_calls/always-500"));
        post("/v1/embed", Map.of("texts", List.of("a"), "model", "ollama-429")).then().statusCode(503)
                .body("code", is("upstream_rate_limited")).body("detail", containsString("429"));
        // the flaky upstream fails its first attempt; the retry answers
        post("/v1/embed", Map.of("texts", List.of("flaky text"), "model", "ollama-flaky")).then().statusCode(200)
                .body("vectors", hasSize(1));
        assertEquals("2", fakeGet("/_calls/flaky"));
        // a wrong vector count is a bad answer, not retried
        post("/v1/embed", Map.of("texts", List.of("s1", "s2"), "model", "ollama-short")).then().statusCode(502)
                .body("code", is("upstream_bad_response")).body("detail", containsString("1 vectors for 2 texts"));
        assertEquals("1", fakeGet("/_calls/short"));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("embed_upstream_errors_total{code=\"upstream_error\",model=\"ollama-500\",provider=\"ollama\"}"));
    }

    @Test
    void downUpstreamIs503ThenTheBreakerOpens() {
        given().header("X-Request-Id", "rid-down").contentType(ContentType.JSON)
                .body(Map.of("input", "x", "model", "openai-down")).post("/v1/embeddings").then().statusCode(503)
                .contentType("application/problem+json").body("code", is("upstream_unavailable"))
                .body("detail", containsString("openai")).body("request_id", is("rid-down"));
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            codes.add(post("/v1/embeddings", Map.of("input", "x" + i, "model", "openai-down")).then()
                    .statusCode(503).extract().jsonPath().getString("code"));
        }
        assertTrue(codes.contains("upstream_circuit_open"), codes.toString());
    }

    @Test
    void cacheServesHitsWhileTheUpstreamIsDown() {
        String text = "survives an outage " + System.nanoTime();
        List<Number> before = post("/v1/embed", Map.of("texts", List.of(text), "model", "ollama-toggle"))
                .then().statusCode(200).extract().jsonPath().getList("vectors[0]");
        RestAssured.given().baseUri(fake()).port(-1).post("/_fail/toggle").then().statusCode(200);
        List<Number> after = post("/api/embed", Map.of("input", List.of(text), "model", "ollama-toggle"))
                .then().statusCode(200).extract().jsonPath().getList("embeddings[0]");
        assertEquals(before, after);
        post("/v1/embed", Map.of("texts", List.of(text, "new " + text), "model", "ollama-toggle")).then()
                .statusCode(502).body("detail", containsString("503"));
    }

    @Inject
    CacheSnapshots snapshots;
    @Inject
    EmbedService service;

    @Test
    void modelsAndSnapshotToS3() {
        given().get("/v1/embed/models").then().statusCode(200)
                .body("models.find { it.name == 'all-minilm-l6-v2' }.provider", is("local"))
                .body("models.find { it.name == 'all-minilm-l6-v2' }.is_default", is(true))
                .body("models.find { it.name == 'fake-openai' }.provider", is("openai"));
        post("/v1/embed", Map.of("texts", List.of("snapshot me"))).then().statusCode(200);
        given().post("/v1/embed/cache/snapshot").then().statusCode(200)
                .body("snapshots.find { it.model == 'all-minilm-l6-v2' }.key", is("embedd/cache/all-minilm-l6-v2.bin"))
                .body("snapshots.find { it.model == 'all-minilm-l6-v2' }.entries", greaterThan(0));
        // warm start: an emptied cache is refilled from the snapshot and answers the text as a hit
        service.cache().invalidateAll();
        assertTrue(snapshots.load("all-minilm-l6-v2") > 0);
        long hits = service.cache().hits();
        long calls = service.cache().upstreamCalls();
        post("/v1/embed", Map.of("texts", List.of("snapshot me"))).then().statusCode(200);
        assertEquals(hits + 1, service.cache().hits());
        assertEquals(calls, service.cache().upstreamCalls());
    }

    @Test
    void health() {
        given().get("/q/health/ready").then().statusCode(200).body("checks.name", hasItem("s3"));
    }
}

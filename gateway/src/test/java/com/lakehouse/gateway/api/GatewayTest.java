package com.lakehouse.gateway.api;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(FakeFleetResource.class)
class GatewayTest {
    private static final String AUTH = "Bearer " + FakeFleetResource.KEY;

    @TestHTTPResource("/")
    URL gateway;

    /** The management interface (loopback, its own port): where /q/* lives. */
    @TestHTTPResource(value = "/", management = true)
    URL management;

    @Test
    void everyDesignPrefixReachesItsDaemon() {
        Map<String, String> routes = new LinkedHashMap<>();
        routes.put("/v1/embed", "embedd");
        routes.put("/v1/embeddings", "embedd");
        routes.put("/v1/vectors/index", "vectord");
        routes.put("/v1/vectors/index/people/search", "vectord");
        routes.put("/v1/matrix/search", "matrixd");
        routes.put("/v1/matrix/corpora", "matrixd");
        routes.put("/v1/chat", "chatd");
        routes.put("/v1/chat/providers", "chatd");
        routes.put("/v1/models", "chatd");
        routes.put("/v1/validate", "validatord");
        routes.put("/v1/iterate", "validatord");
        routes.put("/v1/truth/rules", "validatord");
        routes.put("/v1/replay/runs", "replayd");
        routes.put("/v1/observer/stats", "observerd");
        routes.put("/v1/catalog/datasets", "catalogd");
        routes.put("/v1/ingest/workers", "catalogd");
        routes.put("/v1/sql", "catalogd");
        routes.put("/v1/journal/events", "catalogd");
        routes.put("/v1/models/kimi/k2", "chatd");
        routes.put("/api/embed", "embedd");
        routes.put("/api/embeddings", "embedd");
        routes.put("/api/version", "embedd");
        routes.put("/api/ps", "embedd");
        routes.put("/api/tags", "chatd");
        routes.put("/api/show", "chatd");
        routes.put("/api/chat", "chatd");
        routes.put("/api/generate", "chatd");
        routes.forEach((path, daemon) -> given().header("Authorization", AUTH).get(path).then()
                .statusCode(200).header("X-Upstream", startsWith(daemon))
                .body("daemon", startsWith(daemon)).body("path", is(path)));
        given().header("Authorization", AUTH).get("/v1/pathway/search").then().statusCode(200)
                .body("daemon", startsWith("pathwayd"));
        // distilld is down in this fleet: the 503 names it, which proves the route chose it.
        given().header("Authorization", AUTH).get("/v1/distill/exports").then().statusCode(503)
                .body("detail", containsString("distilld"));
    }

    @Test
    void methodQueryHeadersAndBodyPassThrough() {
        Response r = given().urlEncodingEnabled(false).header("Authorization", AUTH).header("X-Request-Id", "req-42")
                .header("X-Custom", "v1").header("X-Forwarded-For", "10.9.8.7")
                .contentType("application/json").body("{\"items\":[]}")
                .post("/v1/vectors/index/people/add?dry_run=true&x=%2F");
        r.then().statusCode(200).header("X-Request-Id", "req-42")
                .body("method", is("POST")).body("path", is("/v1/vectors/index/people/add"))
                .body("query", is("dry_run=true&x=%2F"))
                .body("headers.x-request-id", is("req-42"))
                .body("headers.x-custom", is("v1"))
                .body("headers.x-forwarded-for", startsWith("10.9.8.7, "))
                .body("headers.x-forwarded-proto", is("http"))
                .body("headers.content-type", startsWith("application/json"))
                .body("headers", not(hasKey("authorization")))
                .body("headers", not(hasKey("x-api-key")))
                .body("body_bytes", is(12));
        // Without an id the gateway makes one, sends it upstream and echoes it.
        Response made = given().header("X-API-Key", FakeFleetResource.KEY).delete("/v1/vectors/index/people");
        made.then().statusCode(200).body("method", is("DELETE"));
        String id = made.header("X-Request-Id");
        assertTrue(id != null && !id.isBlank());
        assertEquals(id, made.jsonPath().getString("headers.x-request-id"));
    }

    @Test
    void largeChunkedBodyStreamsThroughIntact() throws Exception {
        byte[] body = new byte[40 * 1024];
        new Random(7).nextBytes(body);
        HttpResponse<String> r = client().send(HttpRequest.newBuilder(uri("/v1/catalog/upload"))
                .header("Authorization", AUTH).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"body_bytes\":" + body.length), r.body());
        assertTrue(r.body().contains(FakeDaemon.sha256(body)), r.body());
    }

    @Test
    void sseFlowsEventByEvent() throws Exception {
        String chatd = ConfigProvider.getConfig().getValue("lakehouse.fleet.chatd", String.class);
        HttpResponse<InputStream> r = client().send(HttpRequest.newBuilder(uri("/v1/chat/completions"))
                .header("Authorization", AUTH).header("Accept", "text/event-stream")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"m\",\"stream\":true,\"messages\":[]}")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            assertEquals("data: {\"chunk\":1}", in.readLine());
            // The first event reached us while the upstream still holds the second one back: not buffered.
            given().baseUri(chatd).get("/control/state").then().body("sse", is("first-sent"));
            given().baseUri(chatd).post("/control/release").then().statusCode(200);
            assertEquals("", in.readLine());
            assertEquals("data: {\"chunk\":2}", in.readLine());
            assertEquals("", in.readLine());
            assertEquals("data: [DONE]", in.readLine());
        }
        given().baseUri(chatd).get("/control/state").then().body("sse", is("released"));
    }

    @Test
    void missingOrWrongKeyIs401Problem() {
        given().header("X-Request-Id", "no-key-1").get("/v1/embed").then().statusCode(401)
                .contentType("application/problem+json").body("code", is("unauthorized"))
                .body("status", is(401)).body("request_id", is("no-key-1"))
                .header("WWW-Authenticate", containsString("Bearer"));
        given().header("Authorization", "Bearer wrong").get("/v1/embed").then().statusCode(401)
                .body("detail", containsString("not valid")).body("request_id", not(emptyOrNullString()));
        given().header("X-API-Key", "wrong").get("/v1/fleet/health").then().statusCode(401);
        given().get("/nope").then().statusCode(401);
        // Ollama's routes need the key too (Ollama clients send it as Authorization: Bearer)
        given().get("/api/tags").then().statusCode(401);
        given().header("Authorization", "Bearer wrong").post("/api/embed").then().statusCode(401);
        given().header("Authorization", "Bearer test-key-2").get("/api/tags").then().statusCode(200);
        given().header("X-API-Key", FakeFleetResource.FILE_KEY).get("/v1/embed").then().statusCode(200);
        given().header("Authorization", "Bearer test-key-2").get("/v1/embed").then().statusCode(200);
    }

    @Test
    void openRoutesNeedNoKey() {
        given().get("/health").then().statusCode(200).body("status", is("ok"));
        mgmt().get("/q/health/ready").then().statusCode(200);
        given().get("/").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("lakehouse"));
    }

    /** Issue 25: a key does what its scopes allow and nothing more; 403 names the scope. */
    @Test
    void scopesLimitWhatAKeyMayDo() {
        String reader = "Bearer " + FakeFleetResource.READER_KEY;
        String writer = "Bearer " + FakeFleetResource.WRITER_KEY;
        given().header("Authorization", reader).get("/v1/vectors/index").then().statusCode(200);
        given().header("Authorization", reader).contentType("application/json").body("{}").post("/v1/matrix/search")
                .then().statusCode(200);
        given().header("Authorization", reader).contentType("application/json").body("{}").post("/v1/sql").then().statusCode(200);
        given().header("Authorization", reader).contentType("application/json").body("{}").post("/v1/ingest/workers")
                .then().statusCode(403).contentType("application/problem+json").body("code", is("forbidden"))
                .body("detail", containsString("'write'")).body("detail", containsString("reader"));
        given().header("Authorization", reader).delete("/v1/vectors/index/people").then().statusCode(403)
                .body("detail", containsString("'admin'"));
        given().header("Authorization", writer).contentType("application/json").body("{}").post("/v1/ingest/workers")
                .then().statusCode(200);
        given().header("Authorization", writer).contentType("application/json").body("{}").post("/v1/vectors/index/people/add")
                .then().statusCode(200);
        for (String admin : new String[] {"/v1/distill/export", "/v1/validate/roster/reload", "/v1/observer/workflows/run"}) {
            given().header("Authorization", writer).contentType("application/json").body("{}").post(admin).then()
                    .statusCode(403).body("detail", containsString("'admin'"));
        }
        given().header("Authorization", writer).delete("/v1/catalog/datasets/workers").then().statusCode(403);
        // the full keys (config list) may do everything
        given().header("Authorization", AUTH).delete("/v1/vectors/index/people").then().statusCode(200);
    }

    /** Issue 25: upstream sees the key's name, never the key; a client cannot claim another name. */
    @Test
    void upstreamGetsTheKeyNameNotTheKey() {
        Response r = given().header("Authorization", "Bearer " + FakeFleetResource.READER_KEY)
                .header("X-Lakehouse-Key-Name", "admin").get("/v1/embed");
        r.then().statusCode(200).body("headers.'x-lakehouse-key-name'", is("reader"))
                .body("headers.authorization", nullValue()).body(not(containsString(FakeFleetResource.READER_KEY)));
    }

    /** Issue 25: over its rate a key gets 429 problem+json with Retry-After; other keys are not affected. */
    @Test
    void aKeyOverItsRateIs429WithRetryAfter() {
        String trickle = "Bearer " + FakeFleetResource.TRICKLE_KEY;
        given().header("Authorization", trickle).get("/v1/embed").then().statusCode(200);
        Response r = given().header("Authorization", trickle).get("/v1/embed");
        r.then().statusCode(429).contentType("application/problem+json").body("code", is("rate_limited"))
                .body("detail", containsString("trickle"));
        assertTrue(Integer.parseInt(r.header("Retry-After")) >= 1, r.header("Retry-After"));
        given().header("Authorization", AUTH).get("/v1/embed").then().statusCode(200);
    }

    /** Issue 25: metrics, health and OpenAPI are not served on the public port, with or without a key. */
    @Test
    void managementPathsAreNotOnThePublicPort() {
        for (String path : new String[] {"/q/metrics", "/q/health", "/q/health/ready", "/q/openapi", "/q"}) {
            given().get(path).then().statusCode(401);
            given().header("Authorization", AUTH).get(path).then().statusCode(404);
        }
        mgmt().get("/q/metrics").then().statusCode(200)
                .body(containsString("gateway_upstream_breaker_state"));
        mgmt().get("/q/openapi").then().statusCode(200);
        assertEquals("127.0.0.1", ConfigProvider.getConfig().getValue("quarkus.management.host", String.class));
        assertTrue(management.getPort() != gateway.getPort(), management + " vs " + gateway);
    }

    private io.restassured.specification.RequestSpecification mgmt() {
        return given().baseUri("http://" + management.getHost()).port(management.getPort());
    }

    @Test
    void unknownRouteIs404Problem() {
        for (String path : new String[] {"/v1/nope", "/v1/embedx", "/v1/sql/extra", "/nope", "/v1", "/api/pull", "/api"}) {
            given().header("Authorization", AUTH).header("X-Request-Id", "nf-1").get(path).then().statusCode(404)
                    .contentType("application/problem+json").body("code", is("not_found"))
                    .body("request_id", is("nf-1"));
        }
    }

    @Test
    void oversizedBodyIs413Problem() throws Exception {
        byte[] big = new byte[FakeFleetResource.MAX_BODY + 1];
        given().header("Authorization", AUTH).header("X-Request-Id", "big-1").contentType("application/octet-stream")
                .body(big).post("/v1/ingest/workers").then().statusCode(413)
                .contentType("application/problem+json").body("code", is("body_too_large"))
                .body("request_id", is("big-1"));
        // No Content-Length (chunked): the streamed bytes are counted.
        HttpResponse<String> r = client().send(HttpRequest.newBuilder(uri("/v1/ingest/workers"))
                .header("Authorization", AUTH).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(413, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"code\":\"body_too_large\""), r.body());
        assertTrue(r.body().contains("\"request_id\""), r.body());
    }

    @Test
    void downDaemonIs503WhileOthersAnswer() {
        for (int i = 0; i < 6; i++) {
            given().header("Authorization", AUTH).header("X-Request-Id", "down-" + i).post("/v1/distill/materialize")
                    .then().statusCode(503).contentType("application/problem+json")
                    .body("code", is("upstream_unavailable")).body("detail", containsString("distilld"))
                    .body("request_id", is("down-" + i));
            given().header("Authorization", AUTH).get("/v1/embed").then().statusCode(200);
        }
        // Repeated connect failures opened distilld's breaker, and only distilld's.
        String metrics = mgmt().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("gateway_upstream_breaker_state{daemon=\"distilld\"} 1.0"), metrics);
        assertTrue(metrics.contains("gateway_upstream_breaker_state{daemon=\"embedd\"} 0.0"), metrics);
        assertTrue(metrics.contains("gateway_upstream_requests_seconds_count{daemon=\"distilld\",status=\"503\"}"), metrics);
        assertTrue(metrics.contains("gateway_upstream_requests_seconds_count{daemon=\"embedd\",status=\"200\"}"), metrics);
    }

    @Test
    void slowDaemonIs504AfterItsTimeout() {
        given().header("Authorization", AUTH).get("/v1/replay/slow").then().statusCode(504)
                .contentType("application/problem+json").body("code", is("upstream_timeout"))
                .body("detail", containsString("replayd"));
        given().header("Authorization", AUTH).get("/v1/replay/runs").then().statusCode(200);
    }

    @Test
    void replicasRoundRobinAndFailOver() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            seen.add(given().header("Authorization", AUTH).get("/v1/pathway/history/x").then().statusCode(200)
                    .extract().path("daemon"));
        }
        assertEquals(Set.of("pathwayd-a", "pathwayd-b"), seen);
        // observerd's first replica is down: every call still lands on the live one.
        for (int i = 0; i < 4; i++) {
            given().header("Authorization", AUTH).post("/v1/observer/event").then().statusCode(200)
                    .body("daemon", is("observerd"));
        }
    }

    @Test
    void fleetHealthAggregatesElevenDaemons() {
        given().header("Authorization", AUTH).get("/v1/fleet/health").then().statusCode(200)
                .body("total", is(11)).body("ready_count", is(10)).body("status", is("degraded"))
                .body("daemons.size()", is(11))
                .body("daemons.find { it.name == 'gateway' }.status", is("UP"))
                .body("daemons.find { it.name == 'embedd' }.status", is("UP"))
                .body("daemons.find { it.name == 'embedd' }.latency_ms", greaterThanOrEqualTo(0))
                .body("daemons.find { it.name == 'distilld' }.status", is("DOWN"))
                .body("daemons.find { it.name == 'distilld' }.error", not(emptyOrNullString()))
                .body("daemons.find { it.name == 'pathwayd' }.replicas.size()", is(2))
                .body("daemons.find { it.name == 'observerd' }.status", is("UP"))
                .body("daemons.find { it.name == 'observerd' }.replicas.status", hasItems("UP", "DOWN"));
    }

    private URI uri(String path) throws Exception {
        return gateway.toURI().resolve(path);
    }

    private static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }
}

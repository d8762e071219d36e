package com.lakehouse.observerd.api;

import com.lakehouse.contracts.s3.ObjectStore;
import com.lakehouse.observerd.service.ObserverService;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

@QuarkusTest
@QuarkusTestResource(ObserverdTestResource.class)
class ObserverdApiTest {
    @TestHTTPResource("/")
    URL base;
    @Inject
    ObserverService service;
    @Inject
    ObjectStore store;

    private static String src() {
        return "src-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void eventWithoutEndpointIs400NamingIt() {
        given().contentType(ContentType.JSON).body(Map.of("source", "x")).post("/v1/observer/event")
                .then().statusCode(400).contentType("application/problem+json").body("field", is("endpoint"));
    }

    @Test
    void badBatchIsRejectedWholeNamingTheEvent() {
        String s = src();
        given().contentType(ContentType.JSON)
                .body(Map.of("events", List.of(Map.of("source", s, "endpoint", "/a"), Map.of("source", s))))
                .post("/v1/observer/events")
                .then().statusCode(400).body("field", is("events[1].endpoint"));
        given().get("/v1/observer/stats").then().statusCode(200).body("by_source", not(hasKey(s)));
        given().contentType(ContentType.JSON).body("{}").post("/v1/observer/events").then().statusCode(400)
                .body("field", is("events"));
    }

    @Test
    void ingestStatsAndPagedReadBack() {
        String s = src();
        given().contentType(ContentType.JSON)
                .body(Map.of("source", s, "endpoint", "/v1/validate", "success", true, "op_id", s + "-0"))
                .post("/v1/observer/event").then().statusCode(200).body("accepted", is(1)).body("durable", is(true));
        given().contentType(ContentType.JSON).body(Map.of("events", List.of(
                        Map.of("source", s, "endpoint", "/v1/chat", "success", false, "error", "boom", "op_id", s + "-1"),
                        Map.of("source", s, "endpoint", "/v1/chat", "success", true, "op_id", s + "-2"),
                        Map.of("source", s, "endpoint", "/v1/chat", "op_id", s + "-0"))))
                .post("/v1/observer/events").then().statusCode(200).body("accepted", is(2)).body("duplicates", is(1));
        given().get("/v1/observer/stats").then().statusCode(200)
                .body("by_source." + s, is(3)).body("total", greaterThanOrEqualTo(3))
                .body("failures", greaterThanOrEqualTo(1));

        Response p1 = given().queryParam("source", s).queryParam("limit", 2).get("/v1/observer/ops");
        p1.then().statusCode(200).body("ops.op_id", contains(s + "-0", s + "-1")).body("next_cursor", notNullValue());
        given().queryParam("source", s).queryParam("limit", 2).queryParam("cursor", p1.path("next_cursor").toString())
                .get("/v1/observer/ops").then().statusCode(200).body("ops.op_id", contains(s + "-2"))
                .body("next_cursor", nullValue());
        given().queryParam("since", "yesterday").get("/v1/observer/ops").then().statusCode(400).body("field", is("since"));
        given().queryParam("limit", 0).get("/v1/observer/ops").then().statusCode(400).body("field", is("limit"));

        // shipped to S3 on demand (POST /v1/observer/flush) as a dated JSONL segment holding the acknowledged operations
        given().contentType(ContentType.JSON).body("{}").post("/v1/observer/flush").then().statusCode(200).body("shipped_segments", greaterThanOrEqualTo(0));
        List<String> keys = store.list("observer/ops/");
        assertFalse(keys.isEmpty());
        assertTrue(keys.stream().allMatch(k -> k.matches("observer/ops/\\d{4}/\\d{2}/\\d{2}/[^/]+\\.jsonl")), keys.toString());
        String all = String.join("", keys.stream().map(k -> new String(store.get(k).orElseThrow())).toList());
        assertTrue(all.contains(s + "-2"));
    }

    @Test
    void orderDescPagesNewestFirstAndABadOrderIs400NamingIt() {
        String s = src();
        given().contentType(ContentType.JSON).body(Map.of("events", List.of(
                        Map.of("source", s, "endpoint", "/a", "op_id", s + "-0"),
                        Map.of("source", s, "endpoint", "/b", "op_id", s + "-1", "success", false, "error", "boom"),
                        Map.of("source", s, "endpoint", "/c", "op_id", s + "-2", "latency_ms", 7))))
                .post("/v1/observer/events").then().statusCode(200).body("accepted", is(3));
        Response p1 = given().queryParam("source", s).queryParam("order", "desc").queryParam("limit", 2).get("/v1/observer/ops");
        p1.then().statusCode(200).body("ops.op_id", contains(s + "-2", s + "-1"))
                .body("ops[0].latency_ms", is(7)).body("next_cursor", notNullValue());
        given().queryParam("source", s).queryParam("order", "desc").queryParam("limit", 2)
                .queryParam("cursor", p1.path("next_cursor").toString())
                .get("/v1/observer/ops").then().statusCode(200).body("ops.op_id", contains(s + "-0"))
                .body("next_cursor", nullValue());
        // asc stays the default and can be named
        given().queryParam("source", s).queryParam("order", "asc").get("/v1/observer/ops").then().statusCode(200)
                .body("ops.op_id", contains(s + "-0", s + "-1", s + "-2"));
        given().queryParam("order", "newest").get("/v1/observer/ops").then().statusCode(400)
                .contentType("application/problem+json").body("field", is("order"))
                .body("detail", containsString("asc or desc"));
    }

    @Test
    void workflowRunsInOrderWithReferencesSkipCascadeAndAuditRows() {
        String s = src();
        String self = "http://127.0.0.1:" + base.getPort();   // the fleet's observerd, as ObserverdTestResource configures it
        Map<String, Object> wf = Map.of("name", "wf-" + s, "nodes", List.of(
                Map.of("id", "second", "method", "POST", "url", self + "/v1/observer/event",
                        "body", Map.of("source", s, "endpoint", "/second", "kind", "after-$first.output.accepted"),
                        "depends_on", List.of("first")),
                Map.of("id", "first", "method", "POST", "url", self + "/v1/observer/event",
                        "body", Map.of("source", s, "endpoint", "/first")),
                Map.of("id", "broken", "method", "GET", "url", self + "/v1/observer/nope"),
                Map.of("id", "after_broken", "method", "GET", "url", self + "/v1/observer/stats",
                        "depends_on", List.of("broken"))));
        Response r = given().contentType(ContentType.JSON).body(wf).post("/v1/observer/workflows/run");
        r.then().statusCode(200).body("status", is("failed"))
                .body("nodes.id", contains("first", "second", "broken", "after_broken"))
                .body("nodes.status", contains("succeeded", "succeeded", "failed", "skipped"))
                .body("nodes[2].http_status", is(404))
                .body("nodes[3].error", containsString("broken"));
        given().queryParam("source", s).get("/v1/observer/ops").then().statusCode(200)
                .body("ops.endpoint", contains("/first", "/second"))
                .body("ops[1].kind", is("after-1"));
        String runId = r.path("run_id");
        given().queryParam("source", "workflow").queryParam("limit", 1000).get("/v1/observer/ops").then().statusCode(200)
                .body("ops.findAll { it.task_id == '" + runId + "' }.size()", is(4));
    }

    @Test
    void workflowCycleAndBadNodesAre400() {
        given().contentType(ContentType.JSON).body(Map.of("nodes", List.of(
                        Map.of("id", "a", "url", "http://127.0.0.1:" + base.getPort() + "/x", "depends_on", List.of("b")),
                        Map.of("id", "b", "url", "http://127.0.0.1:" + base.getPort() + "/x", "depends_on", List.of("a")))))
                .post("/v1/observer/workflows/run").then().statusCode(400).body("code", is("workflow_cycle"));
        given().contentType(ContentType.JSON).body(Map.of("nodes", List.of(Map.of("id", "a", "daemon", "nosuchd", "path", "/x"))))
                .post("/v1/observer/workflows/run").then().statusCode(400).body("field", is("nodes[0].daemon"));
        given().contentType(ContentType.JSON).body(Map.of("nodes", List.of(
                        Map.of("id", "a", "url", "http://127.0.0.1:" + base.getPort() + "/x", "body", Map.of("q", "$zz.output")))))
                .post("/v1/observer/workflows/run").then().statusCode(400).body("field", is("nodes[0].body"));
    }

    /** Issue 25: workflow nodes reach only the fleet's daemons (and the allow-list); redirects are not followed. */
    @Test
    void workflowNodesOutsideTheFleetAre400AndRedirectsAreNotFollowed() {
        String outside = org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("test.outside-url", String.class);
        int observerd = base.getPort();
        for (String bad : List.of(outside + "/x", "http://127.0.0.1:" + (observerd + 1) + "/x", "http://0.0.0.0:" + observerd + "/v1/observer/stats",
                "http://169.254.169.254/latest/meta-data/", "file:///etc/passwd", "gopher://127.0.0.1:" + observerd + "/_x",
                "ftp://127.0.0.1/x", "http://[::1]:" + observerd + "/v1/observer/stats",
                "http://[::ffff:127.0.0.1]:" + observerd + "/v1/observer/stats", "http://2130706433:" + observerd + "/v1/observer/stats",
                "http://0177.0.0.1:" + observerd + "/v1/observer/stats", "http://fleet@" + outside.substring(7) + "/x")) {
            given().contentType(ContentType.JSON).body(Map.of("nodes", List.of(Map.of("id", "a", "method", "GET", "url", bad))))
                    .post("/v1/observer/workflows/run").then().statusCode(400).contentType("application/problem+json")
                    .body("field", is("nodes[0].url"));
        }
        Response r = given().contentType(ContentType.JSON).body(Map.of("nodes", List.of(
                Map.of("id", "a", "method", "GET", "daemon", "embedd", "path", "/redirect"))))
                .post("/v1/observer/workflows/run");
        r.then().statusCode(200).body("nodes[0].http_status", is(302)).body("nodes[0].status", is("failed"));
        assertEquals("0", given().baseUri(outside).port(Integer.parseInt(outside.substring(outside.lastIndexOf(':') + 1)))
                .get("/hits").then().statusCode(200).extract().asString());
    }

    /** Issue 25: planted SSN, API key and provider secret are markers in the ring, the spool and S3, never raw. */
    @Test
    void privateValuesAreRedactedAtWrite() throws Exception {
        String s = src();
        String ssn = "457-55-5462";
        String apiKey = "lh_" + "0123456789abcdef".repeat(3);
        String secret = "sk-or-v1-" + "Zz09".repeat(8);
        Map<String, Object> ev = Map.of("source", s, "endpoint", "/v1/iterate", "error", "leaked " + secret,
                "request", Map.of("prompt", "SSN " + ssn + " key " + apiKey),
                "result", Map.of("body", "Hi Ann, your social security number 457555462 is on file"));
        given().contentType(ContentType.JSON).body(ev).post("/v1/observer/event").then().statusCode(200);
        given().contentType(ContentType.JSON).body(Map.of("events", List.of(ev))).post("/v1/observer/events").then().statusCode(200);
        String page = given().queryParam("source", s).get("/v1/observer/ops").then().statusCode(200).extract().asString();
        assertTrue(page.contains("[SSN:") && page.contains("[APIKEY:") && page.contains("[SECRET:"), page);
        given().contentType(ContentType.JSON).body("{}").post("/v1/observer/flush").then().statusCode(200);
        List<String> raw = List.of(ssn, "457555462", apiKey, secret);
        StringBuilder atRest = new StringBuilder();
        for (String key : store.list("")) {
            atRest.append(new String(store.get(key).orElseThrow(), java.nio.charset.StandardCharsets.UTF_8));
        }
        java.nio.file.Path spool = java.nio.file.Path.of(org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("lakehouse.observerd.spool-dir", String.class));
        try (var files = java.nio.file.Files.walk(spool)) {
            for (java.nio.file.Path f : files.filter(java.nio.file.Files::isRegularFile).toList()) {
                atRest.append(java.nio.file.Files.readString(f));
            }
        }
        assertTrue(atRest.indexOf(s) >= 0, "the planted ops are at rest");
        for (String v : raw) {
            assertEquals(-1, atRest.indexOf(v), v + " is at rest");
        }
    }

    @Test
    void metricsShowTheRing() {
        given().get("/q/metrics").then().statusCode(200).body(containsString("observerd_ring_dropped"));
    }
}

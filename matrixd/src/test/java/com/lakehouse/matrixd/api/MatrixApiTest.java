package com.lakehouse.matrixd.api;

import com.lakehouse.contracts.s3.ObjectStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The HTTP API against fake embedd/vectord/chatd/catalogd/observerd and a real S3; one boot, ordered steps. */
@QuarkusTest
@QuarkusTestResource(value = FakeFleet.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MatrixApiTest {
    @Inject
    ObjectStore store;

    private static Response post(String path, Object body) {
        return given().contentType(ContentType.JSON).body(body).post(path);
    }

    private static Map<String, Object> search(String query, List<String> corpora, boolean usePlaybook) {
        return Map.of("query_text", query, "corpora", corpora, "k", 10, "use_playbook", usePlaybook);
    }

    @Test
    @Order(1)
    void putCorpusCreatesTheVectordIndexAndPersistsTheRegistry() {
        given().contentType(ContentType.JSON).body(Map.of("model", "fake-model", "gated", false, "role_field", "role",
                        "text_fields", List.of("name", "role", "city"), "metadata_fields", List.of("city", "client")))
                .put("/v1/matrix/corpora/workers").then().statusCode(201)
                .body("corpus.name", is("workers")).body("corpus.dimension", is(FakeFleet.DIM))
                .body("corpus.text_fields", contains("name", "role", "city")).body("index_created", is(true));
        assertTrue(FakeFleet.INDEXES.containsKey("workers"));
        // the Go shape: the whole map
        given().contentType(ContentType.JSON).body(Map.of("job_orders", Map.of("model", "fake-model", "gated", true,
                        "text_fields", List.of("client", "role", "city"), "metadata_fields", List.of("client", "city"))))
                .put("/v1/matrix/corpora").then().statusCode(200)
                .body("workers.gated", is(false)).body("job_orders.gated", is(true))
                .body("job_orders.role_field", is("role"));
        given().get("/v1/matrix/corpora").then().statusCode(200).body("keySet()", hasItems("workers", "job_orders"));
        // one object per corpus, so replicas registering at once never overwrite each other
        assertTrue(new String(store.get("matrix/corpora/workers.json").orElseThrow()).contains("\"workers\""));
        assertTrue(new String(store.get("matrix/corpora/job_orders.json").orElseThrow()).contains("\"job_orders\""));
    }

    @Test
    @Order(2)
    void badCorpusDefinitionsNameTheField() {
        given().contentType(ContentType.JSON).body(Map.of("text_fields", List.of()))
                .put("/v1/matrix/corpora/x").then().statusCode(400).contentType("application/problem+json")
                .body("field", is("text_fields"));
        given().contentType(ContentType.JSON).body(Map.of("text_fields", List.of("a"), "distance", "manhattan"))
                .put("/v1/matrix/corpora/x").then().statusCode(400).body("field", is("distance"));
        given().contentType(ContentType.JSON).body(Map.of("text_fields", List.of("a")))
                .put("/v1/matrix/corpora/Not_Valid").then().statusCode(400).body("field", is("name"));
        given().contentType(ContentType.JSON).body(Map.of("text_fields", "a"))
                .put("/v1/matrix/corpora/x").then().statusCode(400).body("field", is("text_fields"));
        // Issue 25: vectord_url may name only the fleet's own daemons (or the allow-list).
        for (String bad : List.of("http://169.254.169.254/latest/meta-data", "http://127.0.0.1:1", "file:///etc/passwd",
                "http://[::1]:5102", "http://2130706433:5102", "http://fleet@evil.example", "gopher://127.0.0.1:5102")) {
            given().contentType(ContentType.JSON).body(Map.of("text_fields", List.of("a"), "dimension", 4, "vectord_url", bad))
                    .put("/v1/matrix/corpora/x").then().statusCode(400).contentType("application/problem+json")
                    .body("field", is("vectord_url"));
            given().contentType(ContentType.JSON).body(Map.of("y", Map.of("text_fields", List.of("a"), "dimension", 4, "vectord_url", bad)))
                    .put("/v1/matrix/corpora").then().statusCode(400).body("field", is("y.vectord_url"));
        }
        assertFalse(FakeFleet.INDEXES.containsKey("x"));
        assertFalse(FakeFleet.INDEXES.containsKey("y"));
    }

    @Test
    @Order(3)
    void documentsAreEmbeddedAndAddedWithAttribution() {
        post("/v1/matrix/corpora/workers/documents", Map.of("documents", List.of(
                Map.of("id", "W-FORK-1", "name", "Fran", "role", "Forklift Operator", "city", "Detroit", "client", "Acme"),
                Map.of("id", "W-PICK-1", "name", "Dana", "role", "Picker", "city", "Detroit", "client", "Acme"),
                Map.of("id", "W-CNC-1", "name", "Chris", "role", "CNC Operator", "city", "Detroit", "client", "Acme"))))
                .then().statusCode(200).body("added", is(3));
        JsonObject meta = FakeFleet.INDEXES.get("workers").get("W-FORK-1").getJsonObject("metadata");
        assertEquals("workers", meta.getString("corpus"));
        assertEquals("W-FORK-1", meta.getString("doc_id"));
        assertEquals("Forklift Operator", meta.getString("role"));
        assertEquals("Detroit", meta.getString("city"));
        post("/v1/matrix/corpora/workers/documents", Map.of("documents", List.of(Map.of("id", "ok", "name", "x"),
                Map.of("name", "no id")))).then().statusCode(400).body("field", is("documents[1].id"));
        post("/v1/matrix/corpora/ghosts/documents", Map.of("documents", List.of(Map.of("id", "1", "name", "x"))))
                .then().statusCode(404).body("code", is("corpus_not_found"));
    }

    @Test
    @Order(4)
    void ingestFromCatalogdRunsAsAJob() throws InterruptedException {
        FakeFleet.DATASETS.put("job_orders_ds", List.of(
                new JsonObject().put("job_id", "J-1").put("client", "Acme").put("role", "Picker").put("city", "Detroit"),
                new JsonObject().put("job_id", "J-2").put("client", "Acme").put("role", "Forklift Operator").put("city", "Detroit"),
                new JsonObject().put("job_id", "J-3").put("client", "Acme").put("role", "CNC Operator").put("city", "Detroit"),
                new JsonObject().put("job_id", "J-4").put("client", "Bolt").put("role", "Picker").put("city", "Flint"),
                new JsonObject().put("job_id", "J-5").put("client", "Bolt").put("role", "Welder").put("city", "Flint")));
        String id = post("/v1/matrix/corpora/job_orders/ingest", Map.of("dataset", "job_orders_ds", "page_size", 2))
                .then().statusCode(202).header("Location", containsString("/v1/matrix/jobs/"))
                .extract().path("id");
        String state = "";
        for (int i = 0; i < 200 && !state.matches("succeeded|failed"); i++) {
            Thread.sleep(50);
            state = given().get("/v1/matrix/jobs/" + id).then().statusCode(200).extract().path("state");
        }
        given().get("/v1/matrix/jobs/" + id).then().body("state", is("succeeded"))
                .body("result.added", is(5)).body("result.rows", is(5)).body("result.version", is(3))
                .body("result.id_field", is("job_id"));
        JsonObject meta = FakeFleet.INDEXES.get("job_orders").get("J-3").getJsonObject("metadata");
        assertEquals("job_orders_ds", meta.getString("dataset"));
        assertEquals(3, meta.getInteger("version"));
        assertEquals(2, meta.getInteger("row"));
        post("/v1/matrix/corpora/job_orders/ingest", Map.of()).then().statusCode(400).body("field", is("dataset"));
        given().get("/v1/matrix/jobs/nope").then().statusCode(404);
    }

    @Test
    @Order(5)
    void playbooksAreRecordedWithARole() {
        post("/v1/matrix/playbooks/record", Map.of("query_text", "Forklift Operator @ Acme Detroit",
                "answer_id", "W-FORK-1", "answer_corpus", "workers", "score", 1.0, "tags", List.of("fill")))
                .then().statusCode(201).body("role", is("forklift_operator")).body("id", startsWith("pb-"));
        post("/v1/matrix/playbooks/bulk", Map.of("playbooks", List.of(Map.of("query_text", "Picker @ Bolt Flint",
                "answer_id", "W-PICK-1", "answer_corpus", "workers", "score", 0.8, "role", "Picker"))))
                .then().statusCode(201).body("recorded", is(1)).body("playbooks[0].role", is("picker_packer"));
        post("/v1/matrix/playbooks/record", Map.of("query_text", "x", "answer_id", "W-1", "score", 2))
                .then().statusCode(400).body("field", is("score"));
        post("/v1/matrix/playbooks/record", Map.of("answer_id", "W-1")).then().statusCode(400)
                .body("field", is("query_text"));
        post("/v1/matrix/playbooks/bulk", Map.of("playbooks", List.of(Map.of("query_text", "q"))))
                .then().statusCode(400).body("field", is("playbooks[0].answer_id"));
        assertTrue(FakeFleet.INDEXES.containsKey("playbook_memory"));
        assertTrue(store.list("matrix/playbooks/playbook_memory/").size() >= 2);
    }

    @Test
    @Order(6)
    void sameRoleQueryIsBoostedAndInjectedOverHttp() {
        post("/v1/matrix/search", search("Forklift Operator @ Acme Detroit nights", List.of("workers"), true))
                .then().statusCode(200)
                .body("gate.query_role", is("forklift_operator")).body("gate.role_source", is("rules"))
                .body("gate.playbooks_rejected", is(0)).body("playbook.boosted", is(1))
                .body("results[0].id", is("W-FORK-1")).body("results[0].playbook", is("boosted"))
                .body("per_corpus.workers", is(3)).body("metadata_filter_dropped", is(0));
    }

    @Test
    @Order(7)
    void otherRoleQueryRejectsTheForkliftPlaybookOverHttp() {
        Map<String, Object> body = new java.util.HashMap<>(search("Forklift Operator @ Acme Detroit nights",
                List.of("workers"), true));
        body.put("query_role", "Pickers");
        post("/v1/matrix/search", body).then().statusCode(200)
                .body("gate.query_role", is("picker_packer")).body("gate.role_source", is("explicit"))
                .body("gate.playbooks_rejected", is(1)).body("playbook.boosted", is(0))
                .body("playbook.injected", is(0)).body("results.playbook", everyItem(nullValue()));
    }

    @Test
    @Order(8)
    void gatedCorpusDropsOtherRolesAndFiltersApply() {
        Map<String, Object> body = new java.util.HashMap<>(search("Acme needs 5 pickers in Detroit",
                List.of("workers", "job_orders"), false));
        body.put("metadata_filter", Map.of("city", "Detroit"));
        body.put("exclude_ids", List.of("W-CNC-1"));
        post("/v1/matrix/search", body).then().statusCode(200)
                .body("gate.query_role", is("picker_packer")).body("gate.rule", is("client_needs"))
                .body("gate.dropped", is(2)) // J-2 forklift and J-3 CNC in the gated job_orders
                .body("metadata_filter_dropped", is(2)) // J-4, J-5 in Flint
                .body("excluded", is(1))
                .body("results.findAll { it.corpus == 'job_orders' }.id", contains("J-1"))
                .body("results.findAll { it.corpus == 'workers' }.id", containsInAnyOrder("W-FORK-1", "W-PICK-1"));
    }

    @Test
    @Order(9)
    void badSearchesAreProblemsNamingTheField() {
        post("/v1/matrix/search", Map.of("corpora", List.of("workers"))).then().statusCode(400)
                .contentType("application/problem+json").body("field", is("query_text"));
        post("/v1/matrix/search", Map.of("query_text", "x")).then().statusCode(400).body("field", is("corpora"));
        post("/v1/matrix/search", Map.of("query_text", "x", "corpora", List.of("workers"), "k", 0))
                .then().statusCode(400).body("field", is("k"));
        post("/v1/matrix/search", Map.of("query_text", "x", "corpora", List.of("workers", "ghosts")))
                .then().statusCode(404).body("code", is("corpus_not_found")).body("detail", containsString("ghosts"));
        post("/v1/matrix/search", Map.of("query_vector", List.of(1, 0), "corpora", List.of("workers")))
                .then().statusCode(400).body("field", is("query_vector"));
        given().contentType(ContentType.JSON).body("{\"query_text\": ").post("/v1/matrix/search")
                .then().statusCode(400).contentType("application/problem+json");
        post("/v1/matrix/search", Map.of("query_text", "x", "corpora", "workers")).then().statusCode(400)
                .body("field", is("corpora"));
    }

    @Test
    @Order(10)
    void aPeerErrorIs502NamingThePeer() {
        FakeFleet.failingIndex = "job_orders";
        try {
            post("/v1/matrix/search", search("need 2 pickers in Detroit", List.of("workers", "job_orders"), false))
                    .then().statusCode(502).contentType("application/problem+json")
                    .body("code", is("vectord_error")).body("detail", allOf(containsString("vectord"), containsString("500")));
        } finally {
            FakeFleet.failingIndex = null;
        }
    }

    @Test
    @Order(11)
    void aSearchWhileEmbeddIsDownIs503() {
        FakeFleet.stopEmbedd();
        try {
            // a text never searched before: its vector is not in matrixd's query cache, so embedd must answer
            post("/v1/matrix/search", search("need 2 pickers in Detroit while embedd is down", List.of("workers"), false))
                    .then().statusCode(503).contentType("application/problem+json")
                    .body("code", is("embedd_unavailable")).body("detail", containsString("embedd"))
                    .body("request_id", notNullValue());
        } finally {
            FakeFleet.startEmbedd();
        }
        post("/v1/matrix/search", search("need 2 pickers in Detroit while embedd is down", List.of("workers"), false))
                .then().statusCode(200);
    }

    @Test
    @Order(12)
    void aRepeatedQueryIsEmbeddedOnce() {
        String text = "need 3 forklift operators in Toledo, repeated";
        post("/v1/matrix/search", search(text, List.of("workers", "job_orders"), true)).then().statusCode(200);
        int first = FakeFleet.EMBEDDED.getOrDefault(text, 0);
        org.junit.jupiter.api.Assertions.assertTrue(first >= 1 && first <= 2, "one embed call per model, got " + first);
        for (int i = 0; i < 2; i++) {
            post("/v1/matrix/search", search(text, List.of("workers", "job_orders"), true)).then().statusCode(200);
        }
        org.junit.jupiter.api.Assertions.assertEquals(first, FakeFleet.EMBEDDED.getOrDefault(text, 0),
                "the repeats are served from matrixd's query cache");
    }

    @Test
    @Order(12)
    void llmFallbackThroughChatdAndRulesAloneWhenItIsDown() {
        String q = "who can run the pick line at Acme Detroit";
        FakeFleet.CHAT_ANSWERS.put(q, "Picker");
        post("/v1/matrix/search", search(q, List.of("workers"), false)).then().statusCode(200)
                .body("gate.role_source", is("llm")).body("gate.query_role", is("picker_packer"));
        JsonObject chat = FakeFleet.CHAT_REQUESTS.get(FakeFleet.CHAT_REQUESTS.size() - 1);
        assertEquals("json", chat.getString("format"));
        assertEquals(0, chat.getInteger("temperature"));
        post("/v1/matrix/roles/extract", Map.of("query_text", q)).then().statusCode(200)
                .body("role", is("picker_packer")).body("role_source", is("llm"));
        FakeFleet.chatDown = true;
        try {
            post("/v1/matrix/search", search("anyone free at Bolt Flint", List.of("workers"), false))
                    .then().statusCode(200).body("gate.role_source", is("none"))
                    .body("gate.note", containsString("rules alone"));
        } finally {
            FakeFleet.chatDown = false;
        }
        post("/v1/matrix/roles/extract", Map.of("query_text", "Need 4 welders in Toledo")).then().statusCode(200)
                .body("role", is("welder")).body("role_source", is("rules")).body("rule", is("need"));
        post("/v1/matrix/roles/extract", Map.of()).then().statusCode(400).body("field", is("query_text"));
    }

    @Test
    @Order(13)
    void searchesAreObservedAndCarryTheRequestId() throws InterruptedException {
        given().header("X-Request-Id", "rid-matrix-42").contentType(ContentType.JSON)
                .body(search("Need 2 pickers in Detroit", List.of("workers"), false))
                .post("/v1/matrix/search").then().statusCode(200).header("X-Request-Id", "rid-matrix-42");
        assertTrue(FakeFleet.REQUEST_IDS.contains("embedd:rid-matrix-42"), "embedd saw the request id");
        assertTrue(FakeFleet.REQUEST_IDS.contains("vectord:rid-matrix-42"), "vectord saw the request id");
        JsonObject op = null;
        for (int i = 0; i < 200 && op == null; i++) {
            op = FakeFleet.OBSERVED.stream().filter(o -> "rid-matrix-42".equals(o.getString("request_id")))
                    .findFirst().orElse(null);
            if (op == null) {
                Thread.sleep(50);
            }
        }
        assertTrue(op != null, "the search was shipped to observerd");
        assertEquals("matrixd", op.getString("source"));
        assertEquals("/v1/matrix/search", op.getString("endpoint"));
        assertEquals(true, op.getBoolean("success"));
        assertEquals("Need 2 pickers in Detroit", op.getJsonObject("request").getString("query_text"));
        assertTrue(op.getJsonObject("result").getJsonArray("ids").size() > 0);
        assertTrue(FakeFleet.OBSERVED.stream().anyMatch(o -> Boolean.FALSE.equals(o.getBoolean("success"))),
                "failed searches are observed too");
    }

    @Test
    @Order(14)
    void readyWithS3AndMetrics() {
        given().get("/q/health/ready").then().statusCode(200).body("checks.name", hasItem("s3"));
        given().get("/q/metrics").then().statusCode(200).body(containsString("http_server_requests_seconds"));
    }
}

package com.lakehouse.replayd.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.lakehouse.contracts.s3.ObjectStore;
import com.lakehouse.contracts.testing.S3ProxyTestResource;
import com.lakehouse.replayd.store.ReplayStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(S3ProxyTestResource.class)
@QuarkusTestResource(FakeFleetResource.class)
class ReplayApiTest {
    @Inject
    ObjectStore store;
    @Inject
    ReplayStore replays;

    static JsonPath finished(String jobId) {
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            String state = given().get("/v1/replay/jobs/" + jobId).then().statusCode(200).extract().path("state");
            return !state.equals("queued") && !state.equals("running");
        });
        return given().get("/v1/replay/jobs/" + jobId).then().extract().jsonPath();
    }

    static String start(String body) {
        return given().contentType(ContentType.JSON).body(body).post("/v1/replay/jobs").then().statusCode(202)
                .extract().path("job_id");
    }

    @Test
    void regressionReplayCatchesThePlantedRegressionAndQuarantinesIt() {
        JsonPath job = finished(start("{\"mode\":\"regression\",\"selection\":{\"limit\":10},\"rate_limit\":50}"));
        assertEquals("succeeded", job.getString("state"), job.prettify());
        assertEquals(4, job.getInt("result.replayed"), "two searches, a chat and an iterate attempt");
        assertEquals(3, job.getInt("result.verdicts.same"), job.prettify());
        assertEquals(1, job.getInt("result.verdicts.regressed"), job.prettify());
        String quarantine = new String(store.get("replay/quarantine/regressions.jsonl").orElseThrow(), StandardCharsets.UTF_8);
        assertTrue(quarantine.contains("op-s2") && quarantine.contains("\"reason\":\"regression\""), quarantine);
        List<JsonNode> rows = replays.runs();
        assertTrue(rows.stream().anyMatch(r -> r.path("original_run_id").asText().equals("op-s2")
                && r.path("verdict").asText().equals("regressed") && r.path("mode").asText().equals("regression")));
    }

    @Test
    void exemplarTaskPassesOnlyWithItsExemplars() {
        store.delete("distill/exports/rag/playbooks.jsonl");
        JsonPath without = finished(start("{\"mode\":\"exemplar\",\"selection\":{\"task_ids\":[\"task-f1\"]},\"rate_limit\":50}"));
        assertEquals(1, without.getInt("result.verdicts.fail"), without.prettify());

        store.put("distill/exports/rag/playbooks.jsonl", ("""
                {"id":"rag-good-1","title":"Forklift operator for Beacon Freight in Detroit","content":"Filled 1 forklift operator in Detroit: W-000001","tags":[],"source_run_id":"r1","success_score":1.0,"source_category":"accepted"}
                {"id":"rag-other","title":"Registered nurse in Boston","content":"Filled a nurse","tags":[],"source_run_id":"r2","success_score":1.0,"source_category":"accepted"}
                """).getBytes(StandardCharsets.UTF_8), "application/x-ndjson");
        JsonPath with = finished(start("{\"mode\":\"exemplar\",\"selection\":{\"task_ids\":[\"task-f1\"]},\"rate_limit\":50}"));
        assertEquals(1, with.getInt("result.verdicts.pass"), with.prettify());
    }

    @Test
    void aTargetThatGoesDownStopsTheJobCleanlyAndResumeFinishesIt() {
        FakeFleetResource.SEARCH_DOWN.set(true);
        String id = start("{\"mode\":\"regression\",\"selection\":{\"source\":\"matrixd\",\"limit\":10},\"rate_limit\":50}");
        JsonPath job = finished(id);
        FakeFleetResource.SEARCH_DOWN.set(false);
        assertEquals("failed", job.getString("state"));
        assertTrue(job.getString("error").startsWith("stopped at item 0 of 2"), job.getString("error"));
        String resumed = given().post("/v1/replay/jobs/" + id + "/resume").then().statusCode(202).extract().path("job_id");
        JsonPath done = finished(resumed);
        assertEquals("succeeded", done.getString("state"), done.prettify());
        assertEquals(2, done.getInt("result.replayed"), "the two matrixd searches");
    }

    @Test
    void badInputIs4xxNamingTheField() {
        given().contentType(ContentType.JSON).body("{\"mode\":\"regression\",\"selection\":{}}").post("/v1/replay/jobs")
                .then().statusCode(400).contentType("application/problem+json").body("field", is("selection"));
        given().contentType(ContentType.JSON).body("{\"mode\":\"sideways\",\"selection\":{\"limit\":1}}").post("/v1/replay/jobs")
                .then().statusCode(400).body("field", is("mode"));
        given().contentType(ContentType.JSON).body("{\"mode\":\"regression\",\"selection\":{\"limit\":-3}}").post("/v1/replay/jobs")
                .then().statusCode(400).body("field", is("selection.limit"));
        given().contentType(ContentType.JSON).body("{\"mode\":\"regression\",\"selection\":{\"limit\":1},\"rate_limit\":-1}")
                .post("/v1/replay/jobs").then().statusCode(400).body("field", is("rate_limit"));
        given().contentType(ContentType.JSON).body("{\"mode\":\"regression\",\"selection\":{\"since\":\"yesterday\"}}")
                .post("/v1/replay/jobs").then().statusCode(400).body("field", is("selection.since"));
        given().get("/v1/replay/jobs/nope").then().statusCode(404);
        given().post("/v1/replay/jobs/nope/resume").then().statusCode(404);
    }
}

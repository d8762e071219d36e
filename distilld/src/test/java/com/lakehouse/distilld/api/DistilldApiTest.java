package com.lakehouse.distilld.api;

import com.lakehouse.contracts.s3.ObjectStore;
import com.lakehouse.contracts.testing.S3ProxyTestResource;
import com.lakehouse.distilld.service.Exports;
import com.lakehouse.distilld.service.Fixtures;
import com.lakehouse.distilld.store.S3Blobs;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

@QuarkusTest
@QuarkusTestResource(S3ProxyTestResource.class)
class DistilldApiTest {
    @Inject
    ObjectStore store;
    @Inject
    MeterRegistry meters;

    /** A counter's count, 0 when it does not exist yet. */
    private double count(String name, String... tags) {
        Counter c = meters.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    /** Waits for a job to reach a terminal state (bounded by a number of polls, not by time) and returns it. */
    static Response await(Response submitted) throws InterruptedException {
        submitted.then().statusCode(202).body("id", notNullValue());
        String id = submitted.path("id");
        for (int i = 0; i < 600; i++) {
            Response r = given().get("/v1/distill/jobs/" + id);
            String state = r.path("state");
            if (!"queued".equals(state) && !"running".equals(state)) {
                return r;
            }
            Thread.sleep(100);
        }
        fail("job " + id + " did not finish");
        return null;
    }

    static Response post(String path, Object body) {
        return given().contentType(ContentType.JSON).body(body).post(path);
    }

    @Test
    void theWholeLoopRunsAsJobsOverS3() throws Exception {
        int n = (int) Fixtures.write(new S3Blobs(store), 150, 9, 50);
        store.put("observer/ops/2026/11/20/zz-corrupt.jsonl", "{\"op_id\":\"x\"\n{oops".getBytes(), "application/x-ndjson");

        double evidence = count("distill.records.written", "stage", "evidence");
        long materialized = meters.get("distill.jobs").tags("kind", "materialize", "outcome", "succeeded").timer().count();
        double badLines = count("distill.records.quarantined", "stage", "materializer", "reason", "schema_violation");
        await(post("/v1/distill/materialize", Map.of("from", "2026-11-20", "to", "2026-11-20"))).then()
                .body("state", is("succeeded")).body("result.evidence_rows", is(n)).body("result.quarantined", is(2));
        assertEquals(evidence + n, count("distill.records.written", "stage", "evidence"));
        assertEquals(badLines + 2, count("distill.records.quarantined", "stage", "materializer", "reason", "schema_violation"),
                "the corrupt segment's two lines");
        assertEquals(materialized + 1, meters.get("distill.jobs").tags("kind", "materialize", "outcome", "succeeded").timer().count());
        await(post("/v1/distill/score", Map.of())).then().body("state", is("succeeded"))
                .body("result.scored", is(n)).body("result.categories.accepted", greaterThan(0));
        double pairs = count("distill.records.written", "stage", "preference");
        Response exported = await(post("/v1/distill/export", Map.of("kind", "all")));
        exported.then().body("state", is("succeeded"))
                .body("result.rows.sft", greaterThan(0)).body("result.rows.preference", greaterThan(0));
        assertEquals(pairs + exported.<Integer>path("result.rows.preference"), count("distill.records.written", "stage", "preference"));
        assertTrue(store.exists(Exports.SFT_KEY));
        assertTrue(store.exists(Exports.QUARANTINE_PREFIX + "materializer.jsonl"));
        byte[] first = store.get(Exports.SFT_KEY).orElseThrow();
        await(post("/v1/distill/export", Map.of("kind", "sft"))).then().body("state", is("succeeded"));
        assertArrayEquals(first, store.get(Exports.SFT_KEY).orElseThrow());

        await(post("/v1/distill/audit", Map.of())).then().body("state", is("succeeded"))
                .body("result.metrics.evidence_rows", is(n)).body("result.git_commit", notNullValue());
        Response full = await(post("/v1/distill/audit-full", Map.of()));
        full.then().body("state", is("succeeded"))
                .body("result.phases.phase", contains("P0", "P1", "P2", "P3", "P4", "P5", "P6", "P7"))
                .body("result.phases.find { it.phase == 'P1' }.status", is("pass"))
                .body("result.phases.find { it.phase == 'P4' }.status", is("pass"))
                .body("result.phases.find { it.phase == 'P6' }.status", is("pass"))
                .body("result.phases.find { it.phase == 'P7' }.status", is("skipped"));
    }

    /** Issue 25: evidence and quarantine written by distilld hold markers, not the planted values. */
    @Test
    void evidenceAndQuarantineHoldNoPrivateValue() throws Exception {
        String line = "{\"op_id\":\"pii-1\",\"timestamp\":\"2026-11-21T10:00:00Z\",\"source\":\"validatord\","
                + "\"endpoint\":\"/v1/iterate\",\"kind\":\"iterate\",\"request\":{\"prompt\":\"SSN 457-55-5462\"},"
                + "\"result\":{\"body\":\"key sk-abcdefghijklmnop1234 lh_0123456789abcdef0123\"},\"success\":true}\n"
                + "{\"op_id\":\"pii-2\",\"note\":\"ssn 457-55-5462\"\n";
        store.put("observer/ops/2026/11/21/pii.jsonl", line.getBytes(java.nio.charset.StandardCharsets.UTF_8), "application/x-ndjson");
        await(post("/v1/distill/materialize", Map.of("from", "2026-11-21", "to", "2026-11-21"))).then()
                .body("state", is("succeeded")).body("result.quarantined", greaterThan(0));
        StringBuilder written = new StringBuilder();
        for (String k : store.list("distill/")) {
            written.append(new String(store.get(k).orElseThrow(), java.nio.charset.StandardCharsets.UTF_8));
        }
        assertTrue(written.indexOf("pii-2") >= 0 && written.indexOf("[SSN:") >= 0, "the quarantine keeps the item and a marker");
        // leave no evidence behind for the other test's score and export counts
        store.delete("observer/ops/2026/11/21/pii.jsonl");
        store.list("distill/evidence/2026/11/21/").forEach(store::delete);
        for (String raw : List.of("457-55-5462", "sk-abcdefghijklmnop", "lh_0123456789abcdef")) {
            assertEquals(-1, written.indexOf(raw), raw);
        }
    }

    @Test
    void badInputNamesTheField() {
        post("/v1/distill/export", Map.of("kind", "everything")).then().statusCode(400)
                .contentType("application/problem+json").body("field", is("kind"));
        post("/v1/distill/materialize", Map.of("from", "last tuesday")).then().statusCode(400).body("field", is("from"));
        given().get("/v1/distill/jobs/nope").then().statusCode(404).body("code", is("job_not_found"));
    }
}

package com.lakehouse.pathwayd.api;

import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.lakehouse.contracts.s3.ObjectStore;
import com.lakehouse.pathwayd.service.PathwayMemory;
import com.lakehouse.pathwayd.store.OperationLog;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/**
 * The pathway API against real S3 and fake embedd/vectord; run by {@link PathwayApiTest} on S3Proxy (everywhere)
 * and by {@link PathwayApiMinioTest} on a MinIO container (where Docker exists).
 */
abstract class PathwayApiContract {
    @Inject
    ObjectStore store;

    @BeforeEach
    void ready() {
        await().atMost(Duration.ofSeconds(30)).until(() -> given().get("/q/health/ready").statusCode() == 200);
    }

    static String upsertBody(String subject, String verdict, String role) {
        return """
                {"task_class":"fill","subject":"%s","signal_class":"validated",
                 "content":{"steps":["search %s","validate the fill"],"verdict":"%s"},
                 "tags":["detroit"],"role":"%s"}""".formatted(subject, subject, verdict, role);
    }

    String upsert(String subject, String verdict, String role, String event) {
        return given().contentType(ContentType.JSON).body(upsertBody(subject, verdict, role))
                .post("/v1/pathway/upsert").then().statusCode(200).body("event", is(event))
                .extract().path("trace.trace_uid");
    }

    @Test
    void upsertSearchReviseRetireThroughTheApi() {
        String uid = upsert("forklift operators detroit nights", "accepted", "Forklift Operator", "ADD");
        upsert("forklift operators detroit nights", "accepted", "Forklift Operator", "UPDATED");
        upsert("forklift operators detroit nights", "rejected", "Forklift Operator", "NOOP");
        given().get("/v1/pathway/traces/" + uid).then().statusCode(200).body("replay_count", is(1))
                .body("version", is(1));

        given().contentType(ContentType.JSON).body("{\"query\":\"forklift operators detroit\",\"k\":5,\"role\":\"forklift drivers\"}")
                .post("/v1/pathway/search").then().statusCode(200)
                .body("results.trace_uid", hasItem(uid)).body("gate.role_source", is("explicit"));
        // The role gate: a picker query never gets the forklift trace.
        given().contentType(ContentType.JSON).body("{\"query\":\"forklift operators detroit\",\"k\":5,\"role\":\"Pickers\"}")
                .post("/v1/pathway/search").then().statusCode(200)
                .body("results.trace_uid", not(hasItem(uid))).body("gate.dropped", is(1));

        String v2 = given().contentType(ContentType.JSON)
                .body("{\"parent_trace_uid\":\"" + uid + "\",\"content\":{\"steps\":[\"search\",\"call\"],\"verdict\":\"accepted\"}}")
                .post("/v1/pathway/revise").then().statusCode(201).body("trace.version", is(2))
                .body("parent.superseded_by_trace_uid", notNullMatcher()).extract().path("trace.trace_uid");
        given().contentType(ContentType.JSON).body("{\"parent_trace_uid\":\"" + uid + "\",\"content\":{\"steps\":[\"x\"],\"verdict\":\"y\"}}")
                .post("/v1/pathway/revise").then().statusCode(409).contentType("application/problem+json")
                .body("code", is("parent_superseded"));
        given().get("/v1/pathway/history/" + v2).then().statusCode(200).body("chain.trace_uid", contains(uid, v2))
                .body("cycle_detected", is(false));

        given().contentType(ContentType.JSON).body("{\"trace_uid\":\"" + v2 + "\",\"reason\":\"client left\"}")
                .post("/v1/pathway/retire").then().statusCode(200).body("event", is("RETIRED"));
        given().contentType(ContentType.JSON).body("{\"trace_uid\":\"" + v2 + "\",\"reason\":\"again\"}")
                .post("/v1/pathway/retire").then().statusCode(200).body("event", is("NOOP"))
                .body("trace.retirement_reason", is("client left"));
        given().contentType(ContentType.JSON).body("{\"query\":\"forklift operators detroit search call\",\"k\":10}")
                .post("/v1/pathway/search").then().statusCode(200)
                .body("results.trace_uid", not(hasItem(v2))).body("results.trace_uid", not(hasItem(uid)));
    }

    @Test
    void aSearchWhosePeerFailsIsAProblemNamingThePeer() {
        String body = "{\"query\":\"forklift operators detroit\",\"k\":5}";
        FakePeersResource.embedStatus = 503;
        try {
            given().contentType(ContentType.JSON).body(body).post("/v1/pathway/search").then().statusCode(503)
                    .contentType("application/problem+json").body("code", is("embedd_unavailable"))
                    .body("request_id", notNullMatcher());
        } finally {
            FakePeersResource.embedStatus = 0;
        }
        FakePeersResource.searchStatus = 500;
        try {
            given().contentType(ContentType.JSON).body(body).post("/v1/pathway/search").then().statusCode(502)
                    .contentType("application/problem+json").body("code", is("vectord_error"))
                    .body("detail", org.hamcrest.Matchers.containsString("500"));
        } finally {
            FakePeersResource.searchStatus = 0;
        }
        given().contentType(ContentType.JSON).body(body).post("/v1/pathway/search").then().statusCode(200);
    }

    /**
     * Group commit: 48 distinct upserts plus 16 of one same workflow, 16 at a time. Every one is acknowledged,
     * the same-workflow ones are decided in order (one ADD, the rest UPDATED), and the S3 log a restart replays
     * holds every acknowledged trace with the acknowledged replay count.
     */
    @Test
    void manyConcurrentUpsertsAreAllAcknowledgedAndAllInTheLogARestartReplays() throws Exception {
        String run = java.util.UUID.randomUUID().toString().substring(0, 8);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(16);
        try {
            List<java.util.concurrent.Future<io.restassured.path.json.JsonPath>> fs = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                String subject = i < 48 ? "concurrent " + run + " #" + i : "same " + run;
                fs.add(pool.submit(() -> given().contentType(ContentType.JSON).body(upsertBody(subject, "accepted", "Welder"))
                        .post("/v1/pathway/upsert").then().statusCode(200).extract().jsonPath()));
            }
            Map<String, String> events = new HashMap<>();
            Map<String, Integer> eventCounts = new HashMap<>();
            for (int i = 0; i < 64; i++) {
                io.restassured.path.json.JsonPath r = fs.get(i).get(60, java.util.concurrent.TimeUnit.SECONDS);
                events.put(r.getString("trace.trace_uid"), r.getString("event"));
                if (i >= 48) {
                    eventCounts.merge(r.getString("event"), 1, Integer::sum);
                }
            }
            assertEquals(49, events.size(), "48 distinct traces and one shared one");
            assertEquals(Map.of("ADD", 1, "UPDATED", 15), eventCounts);

            // What a restart replays: a fresh log reader over the same bucket.
            PathwayMemory replayed = new PathwayMemory(java.time.Clock.systemUTC());
            new OperationLog(store, 256).load().forEach(replayed::apply);
            for (String uid : events.keySet()) {
                assertTrue(replayed.get(uid).isPresent(), "acknowledged trace " + uid + " is in the log");
            }
            String shared = events.entrySet().stream().filter(e -> replayed.get(e.getKey()).orElseThrow().subject().equals("same " + run))
                    .map(Map.Entry::getKey).findFirst().orElseThrow();
            assertEquals(15, replayed.get(shared).orElseThrow().replayCount());
        } finally {
            pool.shutdownNow();
        }
    }

    static org.hamcrest.Matcher<Object> notNullMatcher() {
        return org.hamcrest.Matchers.notNullValue();
    }

    @Test
    void badInputNamesTheField() {
        given().contentType(ContentType.JSON).body("{\"subject\":\"s\",\"signal_class\":\"x\",\"content\":{\"steps\":[\"a\"],\"verdict\":\"v\"}}")
                .post("/v1/pathway/upsert").then().statusCode(400).contentType("application/problem+json")
                .body("field", is("task_class"));
        given().contentType(ContentType.JSON).body("{\"task_class\":\"t\",\"subject\":\"s\",\"signal_class\":\"x\",\"content\":{\"steps\":[],\"verdict\":\"v\"}}")
                .post("/v1/pathway/upsert").then().statusCode(400).body("field", is("content.steps"));
        given().contentType(ContentType.JSON).body("{\"task_class\":\"t\",\"subject\":\"s\",\"signal_class\":\"x\",\"content\":{\"steps\":[\"a\"]}}")
                .post("/v1/pathway/upsert").then().statusCode(400).body("field", is("content.verdict"));
        given().contentType(ContentType.JSON).body("{\"query\":\"x\",\"k\":0}")
                .post("/v1/pathway/search").then().statusCode(400).body("field", is("k"));
        given().contentType(ContentType.JSON).body("{\"query\":\"x\",\"k\":\"many\"}")
                .post("/v1/pathway/search").then().statusCode(400).body("field", is("k"));
        given().contentType(ContentType.JSON).body("{\"trace_uid\":\"t\"}")
                .post("/v1/pathway/retire").then().statusCode(400).body("field", is("reason"));
        given().contentType(ContentType.JSON).body("{\"trace_uid\":\"nope\",\"reason\":\"r\"}")
                .post("/v1/pathway/retire").then().statusCode(404).body("code", equalTo("trace_not_found"));
        given().get("/v1/pathway/history/nope").then().statusCode(404);
    }

    @Test
    void theGoFleetsTraceShapeIsAcceptedAndAnswersCarryBothNames() {
        // Go shape: no task_class/subject/signal_class, content a string, the client's own uid.
        String go = "{\"uid\":\"go-trace-1\",\"content\":\"search workers, call the top three, confirm the fill\",\"tags\":[\"detroit\"]}";
        given().contentType(ContentType.JSON).body(go).post("/v1/pathway/upsert").then().statusCode(200)
                .body("event", is("ADD")).body("action", is("ADD"))
                .body("trace.uid", is("go-trace-1")).body("trace.trace_uid", is("go-trace-1"))
                .body("trace.content", is("search workers, call the top three, confirm the fill"))
                .body("trace.tags", contains("detroit"));
        // The same trace again: today's UPDATED beside DESIGN.md's UPDATE.
        given().contentType(ContentType.JSON).body(go).post("/v1/pathway/upsert").then().statusCode(200)
                .body("event", is("UPDATED")).body("action", is("UPDATE")).body("trace.replay_count", is(1));
        // No uid: content identifies the pathway; an object content needs no steps in the Go shape.
        String anon = given().contentType(ContentType.JSON).body("{\"content\":{\"note\":\"night shift fill\"},\"tags\":[\"x\"]}")
                .post("/v1/pathway/upsert").then().statusCode(200).body("event", is("ADD"))
                .body("trace.content.note", is("night shift fill")).extract().path("trace.uid");
        given().contentType(ContentType.JSON).body("{\"content\":{\"note\":\"night shift fill\"},\"tags\":[\"x\"]}")
                .post("/v1/pathway/upsert").then().statusCode(200).body("action", is("UPDATE")).body("trace.uid", is(anon));
        // predecessor_uid chains a new version: the predecessor is superseded under both names.
        given().contentType(ContentType.JSON)
                .body("{\"uid\":\"go-trace-2\",\"predecessor_uid\":\"go-trace-1\",\"content\":\"search, text the top five\"}")
                .post("/v1/pathway/upsert").then().statusCode(200).body("event", is("REVISED"))
                .body("trace.uid", is("go-trace-2")).body("trace.predecessor_uid", is("go-trace-1"))
                .body("trace.parent_trace_uid", is("go-trace-1")).body("trace.tags", contains("detroit"))
                .body("parent.superseded_by", is("go-trace-2")).body("parent.superseded_by_trace_uid", is("go-trace-2"));
        // revise with the Go name of the parent field, and the Go name in a retire.
        String v3 = given().contentType(ContentType.JSON).body("{\"predecessor_uid\":\"go-trace-2\",\"content\":\"search workers, call, confirm\"}")
                .post("/v1/pathway/revise").then().statusCode(201).body("trace.version", is(3))
                .body("trace.predecessor_uid", is("go-trace-2")).extract().path("trace.uid");
        given().contentType(ContentType.JSON).body("{\"uid\":\"go-trace-2\",\"reason\":\"old\"}")
                .post("/v1/pathway/retire").then().statusCode(200).body("event", is("RETIRED"))
                .body("trace.uid", is("go-trace-2")).body("trace.superseded_by", is(v3));
        // A uid that is taken (here by a superseded trace) is refused, naming the field.
        given().contentType(ContentType.JSON).body("{\"uid\":\"go-trace-2\",\"content\":\"other\"}")
                .post("/v1/pathway/upsert").then().statusCode(409).body("field", is("uid")).body("code", is("uid_taken"));
        given().contentType(ContentType.JSON).body("{\"content\":\"  \"}")
                .post("/v1/pathway/upsert").then().statusCode(400).body("field", is("content"));
        given().contentType(ContentType.JSON).body("{\"content\":42}")
                .post("/v1/pathway/upsert").then().statusCode(400).body("field", is("content"));
        // search answers carry uid beside trace_uid.
        given().contentType(ContentType.JSON).body("{\"query\":\"search workers call confirm the fill\",\"k\":10,\"tags\":[\"detroit\"]}")
                .post("/v1/pathway/search").then().statusCode(200).body("results.uid", hasItem(v3)).body("results.trace_uid", hasItem(v3));
    }
}

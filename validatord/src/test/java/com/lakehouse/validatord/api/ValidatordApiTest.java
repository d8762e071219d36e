package com.lakehouse.validatord.api;

import com.lakehouse.contracts.s3.ObjectStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

@QuarkusTest
@QuarkusTestResource(value = FleetFixture.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ValidatordApiTest {
    @Inject
    com.lakehouse.validatord.service.RosterService rosters;
    @Inject
    ObjectStore store;
    @Inject
    MeterRegistry meters;

    /** A counter's count, 0 when it does not exist yet. */
    private double count(String name, String... tags) {
        Counter c = meters.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    private static final String GOOD_FILL = """
            {"kind": "fill", "artifact": {"fills": [{"candidate_id": "W-1", "name": "Maria Lopez"},
              {"candidate_id": "W-0042", "name": "Lee Park"}]},
             "context": {"target_count": 2, "city": "Chicago", "state": "IL", "role": "forklift operator", "client": "Acme"}}""";

    /** The roster loads in the background at start; wait for it (not a timing assertion: a generous deadline). */
    @BeforeEach
    void rosterLoaded() throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (given().get("/v1/validate/roster").then().extract().<Boolean>path("loaded")) {
                return;
            }
            Thread.sleep(100);
        }
        fail("roster never loaded: " + given().get("/v1/validate/roster").asString());
    }

    private static Response post(String path, String body) {
        return given().contentType(ContentType.JSON).body(body).post(path);
    }

    @Test
    @Order(1)
    void rosterStatusAndReadiness() {
        given().get("/v1/validate/roster").then().statusCode(200)
                .body("loaded", is(true)).body("count", is(206)).body("version", is("file:workers.parquet"))
                .body("loaded_at", notNullValue()).body("load_ms", greaterThanOrEqualTo(0)).body("source", is("file"));
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'roster' }.status", is("UP"))
                .body("checks.find { it.name == 'roster' }.data.count", is(206));
    }

    @Test
    @Order(2)
    void validFillIs200Report() {
        post("/v1/validate", GOOD_FILL).then().statusCode(200)
                .body("valid", is(true)).body("kind", is("fill")).body("findings", empty())
                .body("error", nullValue()).body("roster_version", is("file:workers.parquet"));
    }

    @Test
    @Order(3)
    void phantomFillIs422WithGoErrorAndFindings() {
        double invalid = count("validator.validations", "kind", "fill", "outcome", "invalid");
        double phantoms = count("validator.findings", "code", "phantom_id", "severity", "error");
        post("/v1/validate", """
                {"kind": "fill", "artifact": {"fills": [{"candidate_id": "W-1"}, {"candidate_id": "W-999999"}]},
                 "context": {"target_count": 2}}""").then().statusCode(422)
                .body("error.kind", is("Consistency")).body("error.reason", containsString("W-999999"))
                .body("error.field", nullValue())
                .body("valid", is(false)).body("findings.code", hasItem("phantom_id"))
                .body("findings[0].field", is("fills[1].candidate_id")).body("findings[0].severity", is("error"))
                .body("findings[0]", not(hasKey("error")));
        assertEquals(invalid + 1, count("validator.validations", "kind", "fill", "outcome", "invalid"));
        assertEquals(phantoms + 1, count("validator.findings", "code", "phantom_id", "severity", "error"));
    }

    @Test
    @Order(4)
    void schemaErrorNamesTheField() {
        post("/v1/validate", "{\"kind\": \"fill\", \"artifact\": {\"picks\": []}}").then().statusCode(422)
                .body("error.kind", is("Schema")).body("error.field", is("fills")).body("error.reason", notNullValue());
        post("/v1/validate", "{\"kind\": \"fill\", \"artifact\": {\"fills\": [{\"candidate_id\": \"W-1\"}]}, \"context\": {\"target_count\": 3}}")
                .then().statusCode(422).body("error.kind", is("Completeness")).body("findings.code", hasItem("count_mismatch"));
    }

    @Test
    @Order(5)
    void emailWithSsnAndPayIsPolicy422() {
        post("/v1/validate", """
                {"kind": "email", "artifact": {"to": "maria.lopez@example.com", "subject": "Offer",
                  "body": "Hi Maria, the pay rate is $24 per hour. Send your SSN 123 45 6789."},
                 "context": {"candidate_id": "W-1"}}""").then().statusCode(422)
                .body("error.kind", is("Policy")).body("findings.code", hasItems("ssn_detected", "pay_disclosed"));
        post("/v1/validate", """
                {"kind": "email", "artifact": {"to": "maria.lopez@example.com", "body": "Hi Maria, see you Monday."},
                 "context": {"candidate_id": "W-1"}}""").then().statusCode(200).body("valid", is(true));
    }

    @Test
    @Order(6)
    void badInputIs4xxProblemNamingTheField() {
        post("/v1/validate", "{\"kind\": \"poem\", \"artifact\": {}}").then().statusCode(400)
                .contentType("application/problem+json").body("field", is("kind")).body("code", is("invalid_field"));
        post("/v1/validate", "{\"kind\": \"fill\"}").then().statusCode(400).body("field", is("artifact"));
        post("/v1/validate", "{\"kind\": \"fill\", \"artifact\": {\"fills\": []}, \"context\": [1]}").then().statusCode(400)
                .body("field", is("context"));
        post("/v1/validate", "{\"kind\": ").then().statusCode(400).contentType("application/problem+json");
        post("/v1/iterate", "{\"kind\": \"email\", \"model\": \"m\"}").then().statusCode(400).body("field", is("prompt"));
        post("/v1/iterate", "{\"kind\": \"email\", \"prompt\": \"p\", \"model\": \"m\", \"max_iterations\": 0}")
                .then().statusCode(400).body("field", is("max_iterations"));
        post("/v1/iterate", "{\"kind\": \"email\", \"prompt\": \"p\"}").then().statusCode(400).body("field", is("model"));
        post("/v1/truth/evaluate", "{\"artifact\": {}}").then().statusCode(400).body("field", is("task_class"));
        post("/v1/validate/roster/reload", "{\"source\": \"ftp\"}").then().statusCode(400).body("field", is("source"));
    }

    @Test
    @Order(7)
    void truthRulesFromFilesAndBlacklistFromFileAndConfig() {
        given().get("/v1/truth/rules").then().statusCode(200)
                .body("rules.id", hasItems("no-night-shift", "email-no-template-placeholders"))
                .body("rules.find { it.id == 'no-night-shift' }.source", is("shifts.toml"));
        post("/v1/truth/evaluate", """
                {"task_class": "fill", "artifact": {"fills": []}, "context": {"shift": "Night"}}""").then().statusCode(200)
                .body("blocked", is(true)).body("passed", is(false))
                .body("matched.id", hasItems("no-night-shift", "fill-has-candidates"));
        String night = GOOD_FILL.replace("\"client\": \"Acme\"", "\"client\": \"Acme\", \"shift\": \"night\"");
        post("/v1/validate", night).then().statusCode(422).body("error.kind", is("Policy"))
                .body("findings.code", hasItem("night_shift_blocked")).body("blocked", is(true));
        post("/v1/validate", GOOD_FILL.replace("Acme", "shady staffing")).then().statusCode(422)
                .body("findings.code", hasItem("blacklisted_client"));
        post("/v1/validate", GOOD_FILL.replace("Acme", "Evil Corp")).then().statusCode(422)
                .body("findings.code", hasItem("blacklisted_client"));
        post("/v1/truth/reload", "").then().statusCode(200).body("count", is(4)).body("blacklisted_clients", is(2));
    }

    @Test
    @Order(8)
    void iterateCorrectsAnEmailAndRecordsEachAttempt() throws InterruptedException {
        FleetFixture.CHAT_REQUESTS.clear();
        FleetFixture.CHAT_REQUEST_IDS.clear();
        FleetFixture.OBSERVED.clear();
        double invalidAttempts = count("validator.iterate.attempts", "kind", "email", "status", "invalid");
        double validAttempts = count("validator.iterate.attempts", "kind", "email", "status", "valid");
        double validRuns = count("validator.iterate.runs", "kind", "email", "outcome", "valid");
        double ssn = count("validator.findings", "code", "ssn_detected", "severity", "error");
        given().contentType(ContentType.JSON).header("X-Request-Id", "it-email-1").body("""
                {"kind": "email", "prompt": "EMAIL: tell W-1 about Monday", "system": "You write short emails.",
                 "model": "ollama/qwen3", "context": {"candidate_id": "W-1"}}""").post("/v1/iterate").then()
                .statusCode(200)
                .body("iterations", is(2)).body("artifact.body", is("Hi Maria, your shift starts Monday at 7."))
                .body("validation.valid", is(true))
                .body("history.status", contains("invalid", "valid")).body("history[0].iteration", is(1))
                .body("history[0].raw", containsString("123-45-6789"));
        assertEquals(2, FleetFixture.CHAT_REQUESTS.size());
        JsonObject first = FleetFixture.CHAT_REQUESTS.get(0);
        assertEquals("json", first.getString("format"));
        assertEquals("ollama/qwen3", first.getString("model"));
        assertEquals(0.2, first.getDouble("temperature"));
        assertEquals("system", first.getJsonArray("messages").getJsonObject(0).getString("role"));
        String retryPrompt = FleetFixture.CHAT_REQUESTS.get(1).getJsonArray("messages").getJsonObject(1).getString("content");
        assertTrue(retryPrompt.startsWith("EMAIL: tell W-1 about Monday"));
        assertTrue(retryPrompt.contains("ssn_detected"), retryPrompt);
        assertEquals(List.of("it-email-1", "it-email-1"), FleetFixture.CHAT_REQUEST_IDS);
        assertEquals(invalidAttempts + 1, count("validator.iterate.attempts", "kind", "email", "status", "invalid"));
        assertEquals(validAttempts + 1, count("validator.iterate.attempts", "kind", "email", "status", "valid"));
        assertEquals(validRuns + 1, count("validator.iterate.runs", "kind", "email", "outcome", "valid"));
        assertEquals(ssn + 1, count("validator.findings", "code", "ssn_detected", "severity", "error"));

        long deadline = System.nanoTime() + 30_000_000_000L;
        while (FleetFixture.OBSERVED.size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        List<JsonObject> ops = FleetFixture.OBSERVED.stream()
                .filter(o -> "it-email-1".equals(o.getString("request_id"))).collect(Collectors.toList());
        assertEquals(2, ops.size(), "one observed operation per attempt: " + FleetFixture.OBSERVED);
        assertEquals("validatord", ops.get(0).getString("source"));
        assertEquals("email", ops.get(0).getString("kind"));
        assertEquals("/v1/iterate", ops.get(0).getString("endpoint"));
        assertEquals(ops.get(0).getString("task_id"), ops.get(1).getString("task_id"));
        assertEquals(false, ops.get(0).getBoolean("success"));
        assertEquals(true, ops.get(1).getBoolean("success"));
        assertTrue(ops.get(0).getJsonObject("result").getJsonArray("findings").encode().contains("ssn_detected"));
    }

    @Test
    @Order(9)
    void iterateCorrectsAFillFromProse() {
        post("/v1/iterate", """
                {"kind": "fill", "prompt": "Pick 2 forklift operators in Chicago", "model": "m",
                 "context": {"target_count": 2, "city": "Chicago", "role": "forklift operator"}}""").then()
                .statusCode(200).body("iterations", is(2))
                .body("artifact.fills.candidate_id", contains("W-1", "W-0042"))
                .body("history.status", contains("invalid", "valid"));
    }

    @Test
    @Order(10)
    void iterateGivesUpWith422AndHistory() {
        double exhausted = count("validator.iterate.runs", "kind", "email", "outcome", "exhausted");
        post("/v1/iterate", """
                {"kind": "email", "prompt": "EMAIL NEVER fixes it", "model": "m", "max_iterations": 2,
                 "context": {"candidate_id": "W-1"}}""").then()
                .statusCode(422).body("error.kind", is("Policy")).body("iterations", is(2))
                .body("history.status", contains("invalid", "invalid"))
                .body("validation.findings.code", hasItem("ssn_detected"));
        assertEquals(exhausted + 1, count("validator.iterate.runs", "kind", "email", "outcome", "exhausted"));
    }

    @Test
    @Order(11)
    void reloadFromCatalogdSwapsOnlyWhenComplete() {
        store.putFile(FleetFixture.catalogKey, FleetFixture.catalogParquet, "application/octet-stream");
        given().contentType(ContentType.JSON).header("X-Request-Id", "reload-1").body("{\"source\": \"catalogd\"}")
                .post("/v1/validate/roster/reload").then().statusCode(200)
                .body("loaded", is(true)).body("count", is(506)).body("version", is("v2")).body("source", is("catalogd"));
        assertTrue(FleetFixture.CATALOG_REQUEST_IDS.contains("reload-1"));
        post("/v1/validate", GOOD_FILL).then().statusCode(200).body("roster_version", is("v2"));

        FleetFixture.corruptChecksum = true;
        try {
            post("/v1/validate/roster/reload", "{\"source\": \"catalogd\"}").then().statusCode(502)
                    .contentType("application/problem+json").body("detail", containsString("checksum"));
        } finally {
            FleetFixture.corruptChecksum = false;
        }
        given().get("/v1/validate/roster").then().body("count", is(506)).body("version", is("v2"))
                .body("last_error", containsString("checksum"));
        given().get("/v1/validate/nothing-here").then().statusCode(404);
        // no body, no content type: reload from the default source (the roster file)
        given().post("/v1/validate/roster/reload").then().statusCode(200).body("count", is(206)).body("source", is("file"));

        // A replica's watch: the live roster (the file's) differs from catalogd's latest version (v2), so the
        // watch loads v2 (what every replica does within roster-watch-interval after an ingest elsewhere).
        rosters.reloadWhenCatalogMoved();
        awaitRosterVersion("v2");
        int calls = FleetFixture.CATALOG_REQUEST_IDS.size();
        rosters.reloadWhenCatalogMoved(); // same version: one version check, no load
        given().get("/v1/validate/roster").then().body("version", is("v2")).body("loading", is(false));
        assertEquals(calls + 1, FleetFixture.CATALOG_REQUEST_IDS.size(), "an unchanged version is not reloaded");
        given().post("/v1/validate/roster/reload").then().statusCode(200).body("count", is(206)).body("source", is("file"));
    }

    private static void awaitRosterVersion(String version) {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            if (version.equals(given().get("/v1/validate/roster").then().extract().path("version"))
                    && Boolean.FALSE.equals(given().get("/v1/validate/roster").then().extract().path("loading"))) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        fail("roster never reached version " + version + ": " + given().get("/v1/validate/roster").asString());
    }

    @Test
    @Order(12)
    void chatdDownIs503AndValidateKeepsWorking() throws Exception {
        double chatFailed = count("validator.iterate.runs", "kind", "email", "outcome", "chat_failed");
        FleetFixture.stopChat();
        try {
            post("/v1/iterate", "{\"kind\": \"email\", \"prompt\": \"EMAIL hi\", \"model\": \"m\"}").then()
                    .statusCode(503).contentType("application/problem+json").body("code", is("chatd_unavailable"))
                    .body("request_id", notNullValue());
            assertEquals(chatFailed + 1, count("validator.iterate.runs", "kind", "email", "outcome", "chat_failed"));
            post("/v1/validate", GOOD_FILL).then().statusCode(200).body("valid", is(true));
        } finally {
            FleetFixture.restartChat();
        }
        Map<String, Object> roster = given().get("/v1/validate/roster").then().extract().as(Map.class);
        assertEquals(true, roster.get("loaded"));
    }

    /*
     * The peer error mapping and the fault tolerance numbers (validatord's config, defaults: chatd no retry, window
     * 4 at 0.75; catalogd 1 retry on 5xx/unreachable, window 4 at 0.75). Breaker windows so far: chatd
     * [ok ok ok down] after test 12; catalogd [ok ok] after test 11. A 4xx counts as a success for a breaker.
     */

    private static Response iterateEmail() {
        return post("/v1/iterate", "{\"kind\": \"email\", \"prompt\": \"EMAIL hi\", \"model\": \"m\"}");
    }

    @Test
    @Order(13)
    void chatdErrorsMapTo502Or503WithoutRetry() {
        try {
            FleetFixture.CHAT_FAILED_REQUESTS.clear();
            FleetFixture.chatStatus = 400;
            iterateEmail().then().statusCode(502).contentType("application/problem+json")
                    .body("code", is("chatd_error")).body("detail", containsString("400"));
            FleetFixture.chatStatus = 500;
            iterateEmail().then().statusCode(502).contentType("application/problem+json")
                    .body("code", is("chatd_error")).body("detail", containsString("500"));
            FleetFixture.chatStatus = 503;
            iterateEmail().then().statusCode(503).contentType("application/problem+json")
                    .body("code", is("chatd_unavailable")).body("request_id", notNullValue());
            assertEquals(3, FleetFixture.CHAT_FAILED_REQUESTS.size(), "chatd is never retried");
        } finally {
            FleetFixture.chatStatus = 200;
        }
    }

    @Test
    @Order(14)
    void chatdBreakerOpensAfterThreeFailuresInFour() {
        // window now [down ok(400) 500 503]: 3 failures of 4 >= 0.75, the breaker is open
        int answered = FleetFixture.CHAT_REQUESTS.size();
        iterateEmail().then().statusCode(503).contentType("application/problem+json")
                .body("code", is("chatd_unavailable")).body("detail", containsString("circuit breaker"));
        assertEquals(answered, FleetFixture.CHAT_REQUESTS.size(), "an open breaker does not call chatd");
        post("/v1/validate", GOOD_FILL).then().statusCode(200).body("valid", is(true));
    }

    private static Response reloadFromCatalogd() {
        return post("/v1/validate/roster/reload", "{\"source\": \"catalogd\"}");
    }

    @Test
    @Order(15)
    void catalogdErrorsMapTo502Or503AndRetryOnlyServerErrors() {
        try {
            FleetFixture.CATALOG_REQUEST_IDS.clear();
            FleetFixture.catalogStatus = 404;
            reloadFromCatalogd().then().statusCode(502).contentType("application/problem+json")
                    .body("code", is("catalogd_error")).body("detail", containsString("404"));
            assertEquals(1, FleetFixture.CATALOG_REQUEST_IDS.size(), "a 4xx is not retried");
            FleetFixture.catalogStatus = 500;
            reloadFromCatalogd().then().statusCode(502).contentType("application/problem+json")
                    .body("code", is("catalogd_error")).body("detail", containsString("500"));
            assertEquals(3, FleetFixture.CATALOG_REQUEST_IDS.size(), "a 5xx is retried once (catalogd.retries=1)");
            // window [ok ok(404) 500 500]; this 503 makes it [ok(404) 500 500 503]: open, so its retry is refused
            FleetFixture.catalogStatus = 503;
            reloadFromCatalogd().then().statusCode(503).contentType("application/problem+json")
                    .body("code", is("catalogd_unavailable")).body("request_id", notNullValue());
            assertEquals(4, FleetFixture.CATALOG_REQUEST_IDS.size());
            FleetFixture.catalogStatus = 200;
            reloadFromCatalogd().then().statusCode(503).contentType("application/problem+json")
                    .body("code", is("catalogd_unavailable")).body("detail", containsString("circuit breaker"));
            assertEquals(4, FleetFixture.CATALOG_REQUEST_IDS.size(), "an open breaker does not call catalogd");
        } finally {
            FleetFixture.catalogStatus = 200;
        }
        given().get("/v1/validate/roster").then().body("loaded", is(true)).body("count", is(206))
                .body("version", is("file:workers.parquet"));
    }
}

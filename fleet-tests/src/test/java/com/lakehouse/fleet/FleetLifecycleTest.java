package com.lakehouse.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 2's fleet behaviour with real processes: eleven daemons ready behind the gateway; kill -9 of one makes
 * its routes answer 503 problem+json fast while others keep answering; restart brings it back alone.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetLifecycleTest {
    static FleetSupport fleet;

    @BeforeAll
    static void up() {
        fleet = FleetSupport.start("ft-life", List.of("--no-demo"), null);
    }

    @AfterAll
    static void down() {
        if (fleet != null) {
            fleet.close();
        }
    }

    @Test
    @Order(1)
    void fleetHealthReportsElevenReady() {
        HttpResponse<String> r = fleet.get(fleet.gateway() + "/v1/fleet/health", fleet.apiKey());
        assertEquals(200, r.statusCode(), r.body());
        JsonNode body = FleetSupport.json(r);
        assertEquals(11, body.path("ready_count").asInt(), r.body());
        assertEquals(11, body.path("daemons").size(), r.body());
    }

    @Test
    @Order(2)
    void gatewayErrorsAreProblemsWithRequestIds() {
        HttpResponse<String> noKey = fleet.get(fleet.gateway() + "/v1/vectors/index", null);
        assertProblem(noKey, 401);
        HttpResponse<String> wrongKey = fleet.get(fleet.gateway() + "/v1/vectors/index", "not-the-key");
        assertProblem(wrongKey, 401);
        HttpResponse<String> unknown = fleet.get(fleet.gateway() + "/v1/no-such-route", fleet.apiKey());
        assertProblem(unknown, 404);
        HttpResponse<String> tooBig = fleet.post(fleet.gateway() + "/v1/embed", fleet.apiKey(),
                "{\"texts\":[\"" + "x".repeat(17 * 1024 * 1024) + "\"]}");
        assertProblem(tooBig, 413);
        HttpResponse<String> open = fleet.get(fleet.gateway() + "/health", null);
        assertEquals(200, open.statusCode(), open.body());
    }

    @Test
    @Order(3)
    void killedDaemonAnswers503FastWhileOthersServe() {
        fleet.kill9("vectord");
        long t0 = System.nanoTime();
        HttpResponse<String> down = fleet.get(fleet.gateway() + "/v1/vectors/index", fleet.apiKey());
        long ms = Duration.ofNanos(System.nanoTime() - t0).toMillis();
        assertProblem(down, 503);
        assertTrue(ms < 2000, "503 took " + ms + " ms");
        HttpResponse<String> other = fleet.get(fleet.gateway() + "/v1/observer/stats", fleet.apiKey());
        assertEquals(200, other.statusCode(), other.body());
        JsonNode health = FleetSupport.json(fleet.get(fleet.gateway() + "/v1/fleet/health", fleet.apiKey()));
        assertEquals(10, health.path("ready_count").asInt(), health.toString());
    }

    @Test
    @Order(4)
    void restartBringsTheDaemonBackWithoutTouchingOthers() {
        long observerPid = fleet.pid("observerd");
        long gatewayPid = fleet.pid("gateway");
        FleetSupport.LauncherResult r = fleet.restart("vectord");
        assertEquals(0, r.exit(), r.output());
        assertEquals(observerPid, fleet.pid("observerd"));
        assertEquals(gatewayPid, fleet.pid("gateway"));
        // The breaker may still be open for a moment after the daemon is back; it closes on the next probe.
        HttpResponse<String> back = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            back = fleet.get(fleet.gateway() + "/v1/vectors/index", fleet.apiKey());
            if (back.statusCode() == 200) {
                break;
            }
            FleetSupport.sleep(500);
        }
        assertNotNull(back);
        assertEquals(200, back.statusCode(), back.body());
        JsonNode health = FleetSupport.json(fleet.get(fleet.gateway() + "/v1/fleet/health", fleet.apiKey()));
        assertEquals(11, health.path("ready_count").asInt(), health.toString());
    }

    static void assertProblem(HttpResponse<String> r, int status) {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"),
                "content type " + r.headers().firstValue("Content-Type"));
        JsonNode p = FleetSupport.json(r);
        assertEquals(status, p.path("status").asInt());
        assertNotEquals("", p.path("request_id").asText(""), r.body());
        assertNotEquals("", p.path("code").asText(""), r.body());
    }
}

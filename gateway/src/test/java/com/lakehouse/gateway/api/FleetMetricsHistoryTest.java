package com.lakehouse.gateway.api;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Predicate;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code GET /v1/fleet/metrics/history} against the fake fleet ({@link FakeFleetResource}: a sample every 250 ms,
 * six kept). validatord's fake serves an exposition with latency buckets that the test grows by a known amount,
 * so the rate and the p99 the ring reports are known.
 */
@QuarkusTest
@QuarkusTestResource(FakeFleetResource.class)
class FleetMetricsHistoryTest {
    private static final String AUTH = "Bearer " + FakeFleetResource.KEY;

    private static void serveValidatord(String exposition) {
        String url = ConfigProvider.getConfig().getValue("lakehouse.fleet.validatord", String.class);
        given().baseUri(url).body(exposition).post("/control/metrics").then().statusCode(200);
    }

    /** Cumulative counters of validatord: {@code fast} requests <= 50 ms, {@code slow} in (50 ms, 100 ms]. */
    private static String validatord(long fast, long slow) {
        return """
                process_uptime_seconds 50
                jvm_memory_used_bytes{area="heap",id="g1"} 4000000.0
                http_server_requests_seconds_count{method="POST",status="200",uri="/v1/validate"} %d.0
                http_server_requests_seconds_bucket{method="POST",status="200",uri="/v1/validate",le="0.05"} %d.0
                http_server_requests_seconds_bucket{method="POST",status="200",uri="/v1/validate",le="0.1"} %d.0
                http_server_requests_seconds_bucket{method="POST",status="200",uri="/v1/validate",le="+Inf"} %d.0
                """.formatted(fast + slow, fast, fast + slow, fast + slow);
    }

    private static JsonPath history() {
        return given().header("Authorization", AUTH).get("/v1/fleet/metrics/history")
                .then().statusCode(200).extract().jsonPath();
    }

    private static JsonPath awaitHistory(Predicate<JsonPath> done, String what) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        JsonPath h = history();
        while (!done.test(h)) {
            if (System.nanoTime() > deadline) {
                fail("history never showed " + what + ": " + h.prettify());
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
            h = history();
        }
        return h;
    }

    @Test
    void theDeskTheConsoleAndTheirScriptsAreOpen() {
        given().redirects().follow(false).get("/desk").then().statusCode(301).header("Location", endsWith("/desk/"));
        given().get("/desk/").then().statusCode(200).contentType(containsString("html")).body(containsString("staffing desk"));
        given().get("/desk/desk.js").then().statusCode(200);
        given().get("/console/charts.js").then().statusCode(200);
        given().get("/webjars/uplot/1.6.30/dist/uPlot.iife.min.js").then().statusCode(200).body(containsString("uPlot"));
        given().get("/").then().statusCode(200).body(containsString("/webjars/uplot/1.6.30/dist/uPlot.iife.min.js"));
    }

    @Test
    void needsTheApiKey() {
        given().get("/v1/fleet/metrics/history").then().statusCode(401).body("code", is("unauthorized"));
    }

    @Test
    void ringOfSamplesWithRatesP99AndGaps() {
        serveValidatord(validatord(0, 0));
        try {
            // a baseline sample with these counters, then 99 requests <= 50 ms and 1 in (50, 100]: p99 = 50 ms
            int start = history().getInt("samples");
            awaitHistory(h -> h.getInt("samples") >= Math.min(6, start + 2), "two samples of the baseline");
            serveValidatord(validatord(99, 1));
            JsonPath h = awaitHistory(x -> x.<Float>getList("daemons.validatord.p99_ms").stream()
                    .anyMatch(v -> v != null && v > 0), "a p99 for validatord");
            List<Float> p99 = h.getList("daemons.validatord.p99_ms");
            List<Float> rps = h.getList("daemons.validatord.requests_per_second");
            int i = p99.size() - 1;
            while (p99.get(i) == null || p99.get(i) == 0) {
                i--;
            }
            assertEquals(50.0, p99.get(i), 1e-3, h.prettify());
            assertTrue(rps.get(i) > 0, h.prettify());
            assertEquals(4_000_000, h.getList("daemons.validatord.heap_used_bytes", Integer.class).get(i));

            // bounded: once full, six samples, oldest first
            h = awaitHistory(x -> x.getInt("samples") == 6, "a full ring");
            assertEquals(6, h.getInt("capacity"));
            assertEquals(250, h.getInt("interval_ms"));
            List<Long> times = h.getList("times", Long.class);
            assertEquals(6, times.size());
            for (int k = 1; k < times.size(); k++) {
                assertTrue(times.get(k) >= times.get(k - 1), "times not ascending: " + times);
            }
            // every daemon in DESIGN order, each series as long as the ring
            assertEquals(List.of("gateway", "embedd", "vectord", "matrixd", "chatd", "validatord", "distilld", "replayd",
                    "observerd", "pathwayd", "catalogd"), List.copyOf(h.getMap("daemons").keySet()));
            assertEquals(6, h.getList("daemons.gateway.heap_used_bytes").size());
            assertEquals(6, h.getList("embed_cache_hit_rate").size());
            // distilld is a closed port: gaps, never zeros
            assertTrue(h.getList("daemons.distilld.heap_used_bytes").stream().allMatch(v -> v == null), h.prettify());
            assertNull(h.getList("daemons.distilld.requests_per_second").get(5));
            // the gateway reads its own registry in-process: always a heap
            assertTrue(h.getList("daemons.gateway.heap_used_bytes").stream().allMatch(v -> v != null), h.prettify());
            Thread.sleep(600);
            assertEquals(6, history().getInt("samples"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            serveValidatord("");
        }
    }
}

package com.lakehouse.gateway.api;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /v1/fleet/metrics} against the fake fleet of {@link FakeFleetResource}: the fakes serve Prometheus text
 * on {@code /q/metrics}, which the test rewrites between calls to know every number the gateway should report.
 */
@QuarkusTest
@QuarkusTestResource(FakeFleetResource.class)
class FleetMetricsTest {
    private static final String AUTH = "Bearer " + FakeFleetResource.KEY;

    private static String fake(String daemon) {
        return ConfigProvider.getConfig().getValue("lakehouse.fleet." + daemon, String.class);
    }

    private static void serve(String daemon, String exposition, long delayMs) {
        given().baseUri(fake(daemon)).body(exposition).post("/control/metrics?delay_ms=" + delayMs).then().statusCode(200);
    }

    private static String catalogd(double uptime, long ok, long errors) {
        return """
                # HELP process_uptime_seconds The uptime of the Java virtual machine
                # TYPE process_uptime_seconds gauge
                process_uptime_seconds %s
                jvm_memory_used_bytes{area="heap",id="eden space"} 1000000.0
                jvm_memory_used_bytes{area="heap",id="tenured gen"} 2000000.0
                jvm_memory_max_bytes{area="heap",id="eden space"} 4000000.0
                jvm_memory_max_bytes{area="heap",id="tenured gen"} 6000000.0
                jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 5.0E7
                jvm_memory_used_bytes{area="nonheap",id="CodeCache"} 1.0E7
                http_server_requests_seconds_count{method="GET",outcome="SUCCESS",status="200",uri="/v1/sql"} %d.0
                http_server_requests_seconds_count{method="POST",outcome="SERVER_ERROR",status="503",uri="/v1/sql"} %d.0
                """.formatted(uptime, ok, errors);
    }

    private static Response metrics() {
        return given().header("Authorization", AUTH).get("/v1/fleet/metrics");
    }

    @Test
    void needsTheApiKey() {
        given().get("/v1/fleet/metrics").then().statusCode(401).contentType("application/problem+json")
                .body("code", is("unauthorized"));
    }

    @Test
    void reportsEveryDaemonsNumbersAndRatesFromTwoSamples() {
        serve("catalogd", catalogd(100.5, 96, 4), 0);
        long t1s = System.nanoTime();
        Response first = metrics();
        long t1e = System.nanoTime();
        first.then().statusCode(200).contentType(containsString("json"))
                .body("total", is(11)).body("daemons.size()", is(11))
                .body("daemons.name", contains("gateway", "embedd", "vectord", "matrixd", "chatd", "validatord",
                        "distilld", "replayd", "observerd", "pathwayd", "catalogd"))
                .body("up_count", is(10)).body("sampled_at", not(emptyOrNullString()))
                .body("daemons.find { it.name == 'catalogd' }.status", is("UP"))
                .body("daemons.find { it.name == 'catalogd' }.uptime_seconds", is(100.5f))
                .body("daemons.find { it.name == 'catalogd' }.heap_used_bytes", is(3_000_000))
                .body("daemons.find { it.name == 'catalogd' }.heap_max_bytes", is(10_000_000))
                .body("daemons.find { it.name == 'catalogd' }.nonheap_used_bytes", is(60_000_000))
                .body("daemons.find { it.name == 'catalogd' }.requests_total", is(100))
                .body("daemons.find { it.name == 'catalogd' }.errors_total", is(4))
                // the first sample of a daemon has no rate yet (the key is present, null)
                .body("daemons.find { it.name == 'catalogd' }", hasKey("requests_per_second"))
                .body("daemons.find { it.name == 'catalogd' }.requests_per_second", nullValue())
                // the gateway reads its own registry: a JVM that is running has uptime and heap
                .body("daemons.find { it.name == 'gateway' }.status", is("UP"))
                .body("daemons.find { it.name == 'gateway' }.uptime_seconds", greaterThan(0f))
                .body("daemons.find { it.name == 'gateway' }.heap_used_bytes", greaterThan(0))
                // distilld is a closed port: DOWN with the reason, no numbers
                .body("daemons.find { it.name == 'distilld' }.status", is("DOWN"))
                .body("daemons.find { it.name == 'distilld' }.error", not(emptyOrNullString()))
                .body("daemons.find { it.name == 'distilld' }.uptime_seconds", nullValue())
                // two live replicas: memory summed, both listed
                .body("daemons.find { it.name == 'pathwayd' }.replicas.size()", is(2))
                .body("daemons.find { it.name == 'pathwayd' }.heap_used_bytes", is(2_000_000))
                .body("daemons.find { it.name == 'pathwayd' }.nonheap_used_bytes", is(16_000_000))
                // a dead replica in front of a live one: UP, the dead one listed DOWN
                .body("daemons.find { it.name == 'observerd' }.status", is("UP"))
                .body("daemons.find { it.name == 'observerd' }.heap_used_bytes", is(1_000_000))
                .body("daemons.find { it.name == 'observerd' }.replicas.status", containsInAnyOrder("UP", "DOWN"));

        serve("catalogd", catalogd(101.5, 150, 10), 0);
        sleepPastTheMinimumRateInterval();
        long t2s = System.nanoTime();
        Response second = metrics();
        long t2e = System.nanoTime();
        second.then().statusCode(200)
                .body("daemons.find { it.name == 'catalogd' }.requests_total", is(160))
                .body("daemons.find { it.name == 'catalogd' }.errors_total", is(10));
        // 60 more requests (6 of them 5xx) between two samples the gateway took somewhere inside these bounds
        double rps = second.jsonPath().getDouble("daemons.find { it.name == 'catalogd' }.requests_per_second");
        double eps = second.jsonPath().getDouble("daemons.find { it.name == 'catalogd' }.errors_per_second");
        double longest = (t2e - t1s) / 1e9;
        double shortest = (t2s - t1e) / 1e9;
        assertTrue(rps >= 60 / longest && rps <= 60 / shortest, rps + " req/s outside [" + 60 / longest + ", " + 60 / shortest + "]");
        assertTrue(eps >= 6 / longest && eps <= 6 / shortest, eps + " errors/s outside [" + 6 / longest + ", " + 6 / shortest + "]");

        // a restart (uptime and counters back near zero) gives no rate rather than a negative one
        serve("catalogd", catalogd(2.0, 3, 0), 0);
        sleepPastTheMinimumRateInterval();
        assertNull(metrics().then().statusCode(200).extract().jsonPath()
                .get("daemons.find { it.name == 'catalogd' }.requests_per_second"));
        serve("catalogd", "", 0);
    }

    @Test
    void aSilentDaemonIsDownAfterTheTimeoutAndAnUnreadableOneIsError() {
        // chatd accepts the connection and holds /q/metrics for 20 s; the gateway's timeout is 1 s
        serve("chatd", "", 20_000);
        serve("vectord", "process_uptime_seconds 5\njvm_memory_used_bytes{area=\"heap\" 12\n", 0);
        try {
            long t0 = System.nanoTime();
            Response r = metrics();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            r.then().statusCode(200)
                    .body("daemons.find { it.name == 'chatd' }.status", is("DOWN"))
                    .body("daemons.find { it.name == 'chatd' }.error", containsString("Timeout"))
                    .body("daemons.find { it.name == 'vectord' }.status", is("ERROR"))
                    .body("daemons.find { it.name == 'vectord' }.error", containsString("line 2"))
                    .body("daemons.find { it.name == 'embedd' }.status", is("UP"))
                    .body("daemons.find { it.name == 'embedd' }.heap_used_bytes", is(1_000_000));
            // the answer did not wait for chatd (it would have said UP after 20 s)
            assertTrue(ms < 20_000, "took " + ms + " ms");
            assertEquals(8, r.jsonPath().getInt("up_count"), r.asString());
        } finally {
            serve("chatd", "", 0);
            serve("vectord", "", 0);
        }
    }

    private static void sleepPastTheMinimumRateInterval() {
        try {
            Thread.sleep(300);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

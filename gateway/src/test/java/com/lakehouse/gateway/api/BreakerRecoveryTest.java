package com.lakehouse.gateway.api;

import com.lakehouse.gateway.client.UpstreamClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An open breaker closes as soon as its daemon answers ready again, not after one slow half-open trial: with a
 * 30 s breaker delay, a daemon that is ready again serves within a few seconds.
 */
@QuarkusTest
@QuarkusTestResource(value = BreakerRecoveryTest.Flaky.class, restrictToAnnotatedClass = true)
class BreakerRecoveryTest {
    private static final String AUTH = "Bearer " + FakeFleetResource.KEY;

    public static class Flaky implements QuarkusTestResourceLifecycleManager {
        static DroppingDaemon daemon;

        @Override
        public Map<String, String> start() {
            try {
                daemon = new DroppingDaemon();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            Map<String, String> cfg = new HashMap<>();
            cfg.put("lakehouse.gateway.upstreams.vectord", daemon.url());
            cfg.put("lakehouse.gateway.breaker.request-volume-threshold", "4");
            cfg.put("lakehouse.gateway.breaker.delay", "30s");
            return cfg;
        }

        @Override
        public void stop() {
            try {
                daemon.close();
            } catch (IOException ignored) {
                // test teardown
            }
        }
    }

    @Inject
    UpstreamClient upstream;

    @Test
    void anOpenBreakerClosesWhenTheDaemonIsReadyAgain() throws Exception {
        Flaky.daemon.ready = false;
        for (int i = 0; i < 4; i++) {
            given().header("Authorization", AUTH).get("/v1/vectors/index/reset-always/b" + i).then().statusCode(503);
        }
        assertEquals(1, upstream.breakerState("vectord"), "four resets in a row open the breaker");
        given().header("Authorization", AUTH).get("/v1/vectors/index/fine").then().statusCode(503)
                .body("code", is("upstream_unavailable")).body("detail", containsString("circuit breaker open"));
        Thread.sleep(1500);
        assertEquals(1, upstream.breakerState("vectord"), "not ready: the breaker stays open");

        Flaky.daemon.ready = true;
        int status = 0;
        long deadline = System.nanoTime() + 8_000_000_000L;
        while (System.nanoTime() < deadline && status != 200) {
            Thread.sleep(250);
            status = given().header("Authorization", AUTH).get("/v1/vectors/index/fine").then().extract().statusCode();
        }
        assertEquals(200, status, "ready again: served long before the 30 s breaker delay");
        assertEquals(0, upstream.breakerState("vectord"));
    }
}

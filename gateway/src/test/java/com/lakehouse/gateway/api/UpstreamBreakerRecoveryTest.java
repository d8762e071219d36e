package com.lakehouse.gateway.api;

import com.lakehouse.gateway.client.UpstreamClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An open breaker closes as soon as its daemon answers ready again, not after one slow half-open trial: with a
 * 30 s breaker delay, a daemon that is ready again serves within a few seconds.
 */
@QuarkusTest
@QuarkusTestResource(value = DroppingDaemonResource.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = "breaker.request-volume-threshold", value = "4"),
        @ResourceArg(name = "breaker.delay", value = "30s")})
class UpstreamBreakerRecoveryTest {
    private static final String AUTH = "Bearer " + FakeFleetResource.KEY;

    @Inject
    UpstreamClient upstream;

    @Test
    void anOpenBreakerClosesWhenTheDaemonIsReadyAgain() throws Exception {
        DroppingDaemonResource.daemon.ready = false;
        for (int i = 0; i < 4; i++) {
            given().header("Authorization", AUTH).get("/v1/vectors/index/reset-always/b" + i).then().statusCode(503);
        }
        assertEquals(1, upstream.breakerState("vectord"), "four resets in a row open the breaker");
        given().header("Authorization", AUTH).get("/v1/vectors/index/fine").then().statusCode(503)
                .body("code", is("upstream_unavailable")).body("detail", containsString("circuit breaker open"));
        Thread.sleep(1500);
        assertEquals(1, upstream.breakerState("vectord"), "not ready: the breaker stays open");

        DroppingDaemonResource.daemon.ready = true;
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

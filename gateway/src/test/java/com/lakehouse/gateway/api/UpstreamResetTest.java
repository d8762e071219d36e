package com.lakehouse.gateway.api;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A daemon that closes or resets the connection before its response head (what a kill -9 looks like on a pooled
 * keep-alive connection) is a 503 {@code upstream_unavailable}, never a 502: a request without a body is retried
 * once on a new connection, a request whose body went out is not replayed.
 */
@QuarkusTest
@QuarkusTestResource(value = DroppingDaemonResource.class, restrictToAnnotatedClass = true,
        // every failure here is counted; a breaker that opened would turn the later tests into 503s for another
        // reason, so give it a window no test reaches
        initArgs = @ResourceArg(name = "breaker.request-volume-threshold", value = "1000"))
class UpstreamResetTest {
    private static final String AUTH = "Bearer " + FakeFleetResource.KEY;

    @Test
    void closeBeforeHeadOnABodilessRequestIsRetriedOnANewConnection() {
        given().header("Authorization", AUTH).get("/v1/vectors/index/drop-once/get1")
                .then().statusCode(200).body("token", is("get1"));
        assertEquals(2, DroppingDaemonResource.daemon.attempts("get1"));
    }

    @Test
    void closeBeforeHeadAfterTheBodyWentOutIs503AndNotReplayed() {
        given().header("Authorization", AUTH).contentType("application/json").body("{\"texts\":[\"x\"]}")
                .post("/v1/vectors/index/drop-once/post1")
                .then().statusCode(503).contentType("application/problem+json")
                .body("code", is("upstream_unavailable")).body("detail", containsString("vectord"))
                .body("request_id", org.hamcrest.Matchers.notNullValue());
        assertEquals(1, DroppingDaemonResource.daemon.attempts("post1"));
    }

    @Test
    void resetOnEveryAttemptIs503AfterOneRetry() {
        given().header("Authorization", AUTH).get("/v1/vectors/index/reset-always/get2")
                .then().statusCode(503).contentType("application/problem+json")
                .body("code", is("upstream_unavailable"));
        assertEquals(2, DroppingDaemonResource.daemon.attempts("get2"));
        given().header("Authorization", AUTH).contentType("application/json").body("{}")
                .post("/v1/vectors/index/reset-always/post2")
                .then().statusCode(503).body("code", is("upstream_unavailable"));
        assertEquals(1, DroppingDaemonResource.daemon.attempts("post2"));
    }
}

package com.lakehouse.vectord.api;

import com.lakehouse.contracts.testing.S3ProxyTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;

@QuarkusTest
@QuarkusTestResource(S3ProxyTestResource.class)
class SkeletonTest {
    @Test
    void readyWithS3() {
        given().get("/q/health/ready").then().statusCode(200).body("checks.name", hasItem("s3"));
    }

    @Test
    void notBuiltIs501Problem() {
        given().header("X-Request-Id", "abc-1").get("/v1/vectors/index").then().statusCode(501)
                .contentType("application/problem+json").body("code", is("not_implemented"))
                .body("request_id", is("abc-1")).header("X-Request-Id", "abc-1");
    }

    @Test
    void unknownRouteIs404Problem() {
        given().get("/nope").then().statusCode(404).body("status", is(404));
    }

    @Test
    void badJsonNamesTheField() {
        given().contentType("application/json").body("{").post("/v1/vectors/index").then().statusCode(anyOf(is(400), is(501)));
    }

    @Test
    void metrics() {
        given().get("/q/metrics").then().statusCode(200).body(containsString("http_server_requests_seconds"));
    }
}

package com.lakehouse.vectord.api;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

@QuarkusTest
@QuarkusTestResource(VectordTestResource.class)
class VectordApiTest {

    static ValidatableResponse post(String path, Object body) {
        return given().contentType(ContentType.JSON).body(body).post(path).then();
    }

    static void create(String name, int dim, String distance) {
        post("/v1/vectors/index", Map.of("name", name, "dimension", dim, "distance", distance)).statusCode(201);
    }

    static void problem(ValidatableResponse r, int status, String field) {
        r.statusCode(status).contentType("application/problem+json").body("field", is(field))
                .body("status", is(status)).body("request_id", notNullValue());
    }

    @Test
    void readyWithS3AndIndexes() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.name", hasItems("s3", "vectord-indexes"));
    }

    @Test
    void createListGetDeleteAnd409() {
        post("/v1/vectors/index", Map.of("name", "life", "dimension", 3, "distance", "euclidean", "m", 8))
                .statusCode(201).body("name", is("life")).body("dimension", is(3)).body("distance", is("euclidean"))
                .body("m", is(8)).body("ef_construction", is(200)).body("ef_search", is(100))
                .body("count", is(0)).body("generation", is(1));
        post("/v1/vectors/index", Map.of("name", "life", "dimension", 3)).statusCode(409)
                .contentType("application/problem+json").body("code", is("index_exists"));
        given().get("/v1/vectors/index").then().statusCode(200).body("indexes.name", hasItem("life"));
        given().get("/v1/vectors/index/life").then().statusCode(200).body("distance", is("euclidean"));
        given().delete("/v1/vectors/index/life").then().statusCode(200).body("deleted", is(true));
        given().get("/v1/vectors/index/life").then().statusCode(404).body("code", is("index_not_found"));
        given().delete("/v1/vectors/index/life").then().statusCode(404);
        // A dropped name can be created again, empty.
        create("life", 2, "cosine");
        given().get("/v1/vectors/index/life").then().statusCode(200).body("count", is(0)).body("dimension", is(2));
    }

    @Test
    void badCreateInputsNameTheField() {
        problem(post("/v1/vectors/index", Map.of("name", "../etc", "dimension", 3)), 400, "name");
        problem(post("/v1/vectors/index", Map.of("name", "Upper", "dimension", 3)), 400, "name");
        problem(post("/v1/vectors/index", Map.of("dimension", 3)), 400, "name");
        problem(post("/v1/vectors/index", Map.of("name", "x1")), 400, "dimension");
        problem(post("/v1/vectors/index", Map.of("name", "x1", "dimension", 0)), 400, "dimension");
        problem(post("/v1/vectors/index", Map.of("name", "x1", "dimension", 100000)), 422, "dimension");
        problem(post("/v1/vectors/index", Map.of("name", "x1", "dimension", 3, "distance", "hamming")), 400, "distance");
        problem(post("/v1/vectors/index", Map.of("name", "x1", "dimension", 3, "m", 1)), 400, "m");
        problem(post("/v1/vectors/index", Map.of("name", "x1", "dimension", "three")), 400, "dimension");
        given().contentType(ContentType.JSON).body("{").post("/v1/vectors/index").then().statusCode(400)
                .contentType("application/problem+json");
        given().get("/v1/vectors/index/x1").then().statusCode(404);
    }

    @Test
    void addSearchGetDeleteItems() {
        create("people", 3, "cosine");
        post("/v1/vectors/index/people/add", Map.of("items", List.of(
                Map.of("id", "w1", "vector", List.of(1, 0, 0), "metadata", Map.of("role", "welder", "city", "Austin")),
                Map.of("id", "w2", "vector", List.of(0, 1, 0), "metadata", Map.of("role", "driver", "city", "Austin")),
                Map.of("id", "w3", "vector", List.of(0.9, 0.1, 0), "metadata", Map.of("role", "welder", "city", "Dallas")))))
                .statusCode(200).body("added", is(3)).body("count", is(3));
        ValidatableResponse top = post("/v1/vectors/index/people/search", Map.of("vector", List.of(1, 0, 0), "k", 2))
                .statusCode(200).body("results.id", contains("w1", "w3")).body("results[0].metadata.role", is("welder"));
        assertEquals(0.0, ((Number) top.extract().path("results[0].distance")).doubleValue(), 1e-5);
        assertEquals(1.0, ((Number) top.extract().path("results[0].score")).doubleValue(), 1e-5);
        // Filter: scalar equality, list = any of, keys ANDed.
        post("/v1/vectors/index/people/search", Map.of("vector", List.of(1, 0, 0), "k", 5,
                "filter", Map.of("city", "Austin"))).statusCode(200).body("results.id", contains("w1", "w2"));
        post("/v1/vectors/index/people/search", Map.of("vector", List.of(0, 1, 0), "k", 5,
                "filter", Map.of("role", List.of("welder", "driver"), "city", "Dallas")))
                .statusCode(200).body("results.id", contains("w3"));
        // Duplicates in one batch: last wins; metadata null keeps the stored metadata.
        List<Object> dup = new ArrayList<>();
        dup.add(Map.of("id", "w2", "vector", List.of(0, 0, 1), "metadata", Map.of("role", "x")));
        Map<String, Object> nullMd = new java.util.HashMap<>();
        nullMd.put("id", "w1");
        nullMd.put("vector", List.of(0, 0.5, 0.5));
        nullMd.put("metadata", null);
        dup.add(nullMd);
        dup.add(Map.of("id", "w2", "vector", List.of(0, 0, 2), "metadata", Map.of("role", "rigger")));
        post("/v1/vectors/index/people/add", Map.of("items", dup)).statusCode(200).body("added", is(2)).body("count", is(3));
        given().get("/v1/vectors/index/people/items/w2").then().statusCode(200)
                .body("vector", contains(0f, 0f, 2f)).body("metadata.role", is("rigger"));
        given().get("/v1/vectors/index/people/items/w1").then().statusCode(200)
                .body("vector", contains(0f, 0.5f, 0.5f)).body("metadata.role", is("welder"));
        given().delete("/v1/vectors/index/people/items/w3").then().statusCode(200).body("count", is(2));
        given().get("/v1/vectors/index/people/items/w3").then().statusCode(404).body("code", is("item_not_found"));
        given().delete("/v1/vectors/index/people/items/w3").then().statusCode(404);
        // Batch search.
        post("/v1/vectors/index/people/search/batch", Map.of("queries", List.of(
                Map.of("vector", List.of(0, 0, 1), "k", 1), Map.of("vector", List.of(0, 1, 1), "k", 2))))
                .statusCode(200).body("results[0].results.id", contains("w2"))
                .body("results[1].results.id", contains("w1", "w2"));
        given().get("/v1/vectors/index/people").then().body("count", is(2)).body("dirty", is(true));
    }

    @Test
    void badItemsAreRefusedWholeNamingTheField() {
        create("strict", 2, "euclidean");
        List<Object> items = List.of(Map.of("id", "ok", "vector", List.of(1, 2)),
                Map.of("id", "bad", "vector", List.of(1, 2, 3)));
        problem(post("/v1/vectors/index/strict/add", Map.of("items", items)), 400, "items[1].vector");
        given().get("/v1/vectors/index/strict").then().body("count", is(0));
        problem(post("/v1/vectors/index/strict/add", Map.of("items", List.of(Map.of("id", "i", "vector", List.of(1, 1e39))))),
                400, "items[0].vector");
        problem(post("/v1/vectors/index/strict/add", Map.of("items", List.of(Map.of("id", "i", "vector", List.of(1, "NaN"))))),
                400, "items[0].vector");
        problem(post("/v1/vectors/index/strict/add", Map.of("items", List.of(Map.of("vector", List.of(1, 1))))),
                400, "items[0].id");
        problem(post("/v1/vectors/index/strict/add", Map.of("items", List.of(Map.of("id", "i")))), 400, "items[0].vector");
        problem(post("/v1/vectors/index/strict/add", Map.of("items", List.of())), 400, "items");
        problem(post("/v1/vectors/index/strict/add", Map.of()), 400, "items");
        problem(post("/v1/vectors/index/strict/add", Map.of("items", List.of(Map.of("id", "i", "vector", List.of(1, 1),
                "metadata", "not-an-object")))), 400, "items[0].metadata");
        List<Object> many = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            many.add(Map.of("id", "i" + i, "vector", List.of(1, 1)));
        }
        problem(post("/v1/vectors/index/strict/add", Map.of("items", many)), 422, "items");
        problem(post("/v1/vectors/index/nope/add", Map.of("items", List.of(Map.of("id", "i", "vector", List.of(1, 1))))),
                404, "name");
        given().get("/v1/vectors/index/strict").then().body("count", is(0));
        // Search inputs.
        problem(post("/v1/vectors/index/strict/search", Map.of("vector", List.of(1, 1, 1))), 400, "vector");
        problem(post("/v1/vectors/index/strict/search", Map.of("vector", List.of(1, 1), "k", 0)), 400, "k");
        problem(post("/v1/vectors/index/strict/search", Map.of("vector", List.of(1, 1), "k", 51)), 422, "k");
        problem(post("/v1/vectors/index/strict/search", Map.of("vector", List.of(1, 1), "ef", -1)), 400, "ef");
        problem(post("/v1/vectors/index/strict/search", Map.of("vector", List.of(1, 1e39))), 400, "vector");
        problem(post("/v1/vectors/index/strict/search", Map.of("vector", List.of(1, 1), "filter", Map.of("a", Map.of("b", 1)))),
                400, "filter.a");
        problem(post("/v1/vectors/index/strict/search", Map.of("k", 3)), 400, "vector");
        problem(post("/v1/vectors/index/strict/search/batch", Map.of("queries", List.of(Map.of("vector", List.of(1, 1)),
                Map.of("vector", List.of(1))))), 400, "queries[1].vector");
        problem(post("/v1/vectors/index/strict/search/batch", Map.of()), 400, "queries");
        problem(post("/v1/vectors/index/BAD/search", Map.of("vector", List.of(1, 1))), 400, "name");
        post("/v1/vectors/index/strict/search", Map.of("vector", List.of(1, 1))).statusCode(200).body("results", empty());
    }

    @Test
    void mergeIsIdempotentAndClearsTheSource() {
        create("src1", 2, "cosine");
        create("dst1", 2, "cosine");
        create("other3", 3, "cosine");
        post("/v1/vectors/index/src1/add", Map.of("items", List.of(Map.of("id", "a", "vector", List.of(1, 0)),
                Map.of("id", "b", "vector", List.of(0, 1), "metadata", Map.of("k", 1))))).statusCode(200);
        post("/v1/vectors/index/dst1/add", Map.of("items", List.of(Map.of("id", "c", "vector", List.of(1, 1))))).statusCode(200);
        post("/v1/vectors/index/src1/merge", Map.of("dest", "dst1")).statusCode(200)
                .body("merged", is(2)).body("dest_count", is(3)).body("source_count", is(2));
        post("/v1/vectors/index/src1/merge", Map.of("dest", "dst1")).statusCode(200).body("dest_count", is(3));
        post("/v1/vectors/index/src1/merge", Map.of("dest", "dst1", "clear_source", true)).statusCode(200)
                .body("dest_count", is(3)).body("source_count", is(0)).body("source_cleared", is(2));
        post("/v1/vectors/index/src1/merge", Map.of("dest", "dst1", "clear_source", true)).statusCode(200)
                .body("merged", is(0)).body("dest_count", is(3));
        given().get("/v1/vectors/index/dst1/items/b").then().statusCode(200).body("metadata.k", is(1));
        problem(post("/v1/vectors/index/src1/merge", Map.of("dest", "missing")), 404, "dest");
        problem(post("/v1/vectors/index/src1/merge", Map.of("dest", "src1")), 400, "dest");
        problem(post("/v1/vectors/index/src1/merge", Map.of("dest", "other3")), 400, "dest");
        problem(post("/v1/vectors/index/src1/merge", Map.of()), 400, "dest");
    }

    @Test
    void bulkLoadRebuildAndSaveRunAsJobs() throws InterruptedException {
        create("bulky", 4, "euclidean");
        List<Object> items = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            items.add(Map.of("id", "b" + i, "vector", List.of(i, i % 7, i % 11, 1), "metadata", Map.of("g", i % 3)));
        }
        String job = post("/v1/vectors/index/bulky/bulk", Map.of("items", items)).statusCode(202)
                .body("kind", is("bulk_load")).extract().path("id");
        Map<String, Object> done = awaitJob(job);
        assertEquals("succeeded", done.get("state"), done.toString());
        given().get("/v1/vectors/index/bulky").then().body("count", is(600));
        post("/v1/vectors/index/bulky/search", Map.of("vector", List.of(300, 300 % 7, 300 % 11, 1), "k", 3,
                "filter", Map.of("g", 0))).statusCode(200).body("results[0].id", is("b300")).body("results", hasSize(3));

        int genBefore = given().get("/v1/vectors/index/bulky").then().extract().path("generation");
        String rebuild = given().contentType(ContentType.JSON).body(Map.of("m", 8, "ef_construction", 50))
                .post("/v1/vectors/index/bulky/rebuild").then().statusCode(202).extract().path("id");
        assertEquals("succeeded", awaitJob(rebuild).get("state"));
        given().get("/v1/vectors/index/bulky").then().body("m", is(8)).body("ef_construction", is(50))
                .body("count", is(600)).body("generation", greaterThan(genBefore)).body("dirty", is(false));

        String save = given().post("/v1/vectors/index/bulky/save").then().statusCode(202).extract().path("id");
        Map<String, Object> saved = awaitJob(save);
        assertEquals("succeeded", saved.get("state"));
        given().get("/v1/vectors/jobs").then().statusCode(200).body("jobs.id", hasItems(job, rebuild, save));
        given().get("/v1/vectors/jobs/nope").then().statusCode(404).contentType("application/problem+json");
        problem(given().contentType(ContentType.JSON).body(Map.of("m", 1000)).post("/v1/vectors/index/bulky/rebuild").then(),
                400, "m");
    }

    static Map<String, Object> awaitJob(String id) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            Map<String, Object> view = given().get("/v1/vectors/jobs/" + id).then().statusCode(200).extract().as(Map.class);
            String state = (String) view.get("state");
            if (!state.equals("queued") && !state.equals("running")) {
                return view;
            }
            Thread.sleep(100);
        }
        fail("job " + id + " did not finish");
        return null;
    }

    @Test
    void metricsAndRequestIds() {
        given().header("X-Request-Id", "abc-1").get("/v1/vectors/index/none-here").then().statusCode(404)
                .body("request_id", is("abc-1")).header("X-Request-Id", "abc-1");
        given().get("/q/metrics").then().statusCode(200).body(containsString("http_server_requests_seconds"));
    }
}

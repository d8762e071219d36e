package com.lakehouse.catalogd.api;

import com.lakehouse.catalogd.store.CatalogStore;
import com.lakehouse.catalogd.service.Journal;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.startsWith;

import com.lakehouse.contracts.s3.ObjectStore;
import com.lakehouse.contracts.testing.S3ProxyTestResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(S3ProxyTestResource.class)
@QuarkusTestResource(CatalogdDirsTestResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CatalogdApiTest {
    private static final String PEOPLE_CSV = "id,name,role\n1,ann,welder\n2,bob,driver\n3,cy,welder\n";
    private static final int WORKERS = 1000;

    @Inject
    ObjectStore objects;
    @Inject
    MeterRegistry meters;

    private double gauge(String name, String... tags) {
        return meters.get(name).tags(tags).gauge().value();
    }

    private double mutations(String entity, String action) {
        return meters.get("catalog.mutations").tags("entity", entity, "action", action).counter().count();
    }

    @Test
    @Order(1)
    void ingestCsvPublishesVersionOneWithManifestAndKeys() {
        given().header("X-Request-Id", "ingest-1").contentType("text/csv").body(PEOPLE_CSV)
                .post("/v1/ingest/people?wait=true").then().statusCode(201)
                .body("dataset", is("people")).body("version", is(1)).body("row_count", is(3))
                .body("job_id", notNullValue());
        given().get("/v1/catalog/datasets/people").then().statusCode(200)
                .body("latest_version", is(1)).body("row_count", is(3))
                .body("schema.name", contains("id", "name", "role"))
                .body("schema[0].type", is("BIGINT"))
                .body("files[0].key", matchesPattern("catalog/people/parts/[0-9a-f-]{36}\\.parquet"))
                .body("manifest_key", matchesPattern("catalog/people/v1/manifest-[0-9a-f-]{36}\\.json"))
                .body("files[0].sha256", notNullValue()).body("files[0].rows", is(3));
        String partKey = given().get("/v1/catalog/datasets/people").path("files[0].key");
        String manifestKey = given().get("/v1/catalog/datasets/people").path("manifest_key");
        assertTrue(objects.exists(partKey));
        assertTrue(objects.list(CatalogStore.LOG).contains(CatalogStore.logKey(1)), "the commit is catalog version 1");
        String manifest = new String(objects.get(manifestKey).orElseThrow(), StandardCharsets.UTF_8);
        assertTrue(manifest.contains("\"request_id\" : \"ingest-1\""), manifest);
        assertTrue(manifest.contains("\"row_count\" : 3"), manifest);
    }

    @Test
    @Order(2)
    void jsonlWithGivenSchemaIsVersionTwo() {
        String jsonl = "{\"id\":4,\"name\":\"dee\",\"role\":\"driver\"}\n\n{\"id\":5,\"name\":\"eve\",\"role\":null}\n";
        given().contentType("application/x-ndjson").body(jsonl.getBytes(StandardCharsets.UTF_8))
                .post("/v1/ingest/people?wait=true&schema=id:bigint,name:varchar,role:varchar").then().statusCode(201)
                .body("version", is(2)).body("row_count", is(2));
        given().get("/v1/catalog/datasets/people").then().statusCode(200)
                .body("latest_version", is(2)).body("versions.version", contains(1, 2))
                .body("files[0].key", matchesPattern("catalog/people/parts/[0-9a-f-]{36}\\.parquet"))
                .body("manifest_key", startsWith("catalog/people/v2/manifest-"));
        given().get("/v1/catalog/datasets/people?version=1").then().statusCode(200).body("row_count", is(3));
    }

    @Test
    @Order(3)
    void asyncIngestReportsAJobThatSucceeds() throws InterruptedException {
        Response r = given().queryParam("format", "csv").contentType("text/plain").body("a,b\n1,x\n2,y\n")
                .post("/v1/ingest/tiny");
        assertEquals(202, r.statusCode());
        String status = r.path("status_url");
        String state = "queued";
        for (int i = 0; i < 600 && !state.equals("succeeded") && !state.equals("failed"); i++) {
            Thread.sleep(50);
            state = given().get(status).then().statusCode(200).extract().path("state");
        }
        given().get(status).then().body("state", is("succeeded")).body("result.dataset", is("tiny"))
                .body("result.version", is(1)).body("result.row_count", is(2)).body("kind", is("ingest"));
    }

    @Test
    @Order(4)
    void parquetBodyAndS3KeyIngest() throws Exception {
        Path dir = Files.createTempDirectory("catalogd-parquet");
        Path file = dir.resolve("workers.parquet");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("COPY (SELECT 'W-' || lpad(range::VARCHAR, 6, '0') AS worker_id, "
                    + "['welder','driver','picker','loader'][(range % 4) + 1] AS role, "
                    + "(10 + range % 20)::DOUBLE AS pay_rate FROM range(" + WORKERS + ")) TO '" + file + "' (FORMAT parquet)");
        }
        given().contentType("application/vnd.apache.parquet").body(Files.readAllBytes(file))
                .post("/v1/ingest/workers?wait=true").then().statusCode(201)
                .body("version", is(1)).body("row_count", is(WORKERS));
        objects.putFile("incoming/workers.parquet", file, "application/vnd.apache.parquet");
        given().contentType("application/json").body(Map.of("s3_key", "incoming/workers.parquet", "format", "parquet"))
                .post("/v1/ingest/workers?wait=true").then().statusCode(201)
                .body("version", is(2)).body("row_count", is(WORKERS));
        given().get("/v1/catalog/datasets/workers").then().body("source", is("s3:incoming/workers.parquet"));
        given().contentType("application/json").body(Map.of("s3_key", "incoming/none.parquet", "format", "parquet"))
                .post("/v1/ingest/workers?wait=true").then().statusCode(404).body("field", is("s3_key"));
        given().contentType("application/json").body(Map.of("s3_key", "../etc/passwd", "format", "parquet"))
                .post("/v1/ingest/workers?wait=true").then().statusCode(400).body("field", is("s3_key"));
    }

    @Test
    @Order(5)
    void sqlGroupByParamsAndTruncation() {
        given().contentType("application/json")
                .body(Map.of("sql", "SELECT role, count(*) AS n FROM workers GROUP BY role ORDER BY role"))
                .post("/v1/sql").then().statusCode(200)
                .body("columns.name", contains("role", "n")).body("columns[1].type", is("BIGINT"))
                .body("rows.role", contains("driver", "loader", "picker", "welder"))
                .body("rows.n", everyItem(is(WORKERS / 4))).body("row_count", is(4)).body("truncated", is(false))
                .body("elapsed_ms", notNullValue());
        given().contentType("application/json")
                .body(Map.of("sql", "SELECT worker_id FROM workers WHERE role = ? ORDER BY worker_id", "params", List.of("picker"), "limit", 5))
                .post("/v1/sql").then().statusCode(200)
                .body("row_count", is(5)).body("truncated", is(true)).body("rows[0].worker_id", is("W-000002"));
        String jsonl = given().contentType("application/json")
                .body(Map.of("sql", "SELECT id, name FROM people ORDER BY id", "format", "jsonl"))
                .post("/v1/sql").then().statusCode(200).contentType(containsString("application/x-ndjson"))
                .extract().asString();
        assertEquals("{\"id\":4,\"name\":\"dee\"}\n{\"id\":5,\"name\":\"eve\"}\n", jsonl);
    }

    @Test
    @Order(6)
    void sqlRefusesWritesFilesOverLimitAndSlowStatements() {
        for (String sql : List.of("DROP VIEW workers", "COPY (SELECT * FROM workers) TO '/tmp/out.csv'",
                "ATTACH '/tmp/x.db'", "SELECT * FROM read_csv('/etc/passwd')", "SELECT 1; SELECT 2",
                "SELECT * FROM '/etc/passwd'")) {
            given().contentType("application/json").body(Map.of("sql", sql)).post("/v1/sql").then()
                    .statusCode(400).contentType("application/problem+json")
                    .body("code", is("sql_not_read_only")).body("field", is("sql"));
        }
        given().contentType("application/json").body(Map.of("sql", "SELECT * FROM workers", "limit", 1_000_000))
                .post("/v1/sql").then().statusCode(422).body("field", is("limit")).body("code", is("limit_exceeded"));
        given().contentType("application/json").body(Map.of("sql", "SELECT * FROM nope")).post("/v1/sql").then()
                .statusCode(400).body("code", is("sql_error"));
        given().contentType("application/json").body(Map.of("sql",
                        "SELECT count(*) FROM range(1000000000) a, range(1000000) b WHERE a.range * b.range = -1",
                        "timeout_ms", 300))
                .post("/v1/sql").then().statusCode(408).body("code", is("sql_timeout"));
        given().contentType("application/json").body(Map.of("sql", "SELECT count(*) AS n FROM workers"))
                .post("/v1/sql").then().statusCode(200).body("rows[0].n", is(WORKERS));
    }

    @Test
    @Order(7)
    void rowsPageAsJsonlWithNextCursor() {
        Set<String> ids = new HashSet<>();
        String cursor = "0";
        int pages = 0;
        while (cursor != null) {
            Response r = given().get("/v1/catalog/datasets/workers/rows?limit=400&cursor=" + cursor);
            assertEquals(200, r.statusCode());
            assertTrue(r.contentType().startsWith("application/x-ndjson"), r.contentType());
            String[] lines = r.asString().split("\n");
            assertEquals(pages < 2 ? 400 : WORKERS - 800, lines.length);
            for (String line : lines) {
                ids.add(io.restassured.path.json.JsonPath.from(line).getString("worker_id"));
            }
            cursor = r.header("X-Next-Cursor");
            pages++;
        }
        assertEquals(3, pages);
        assertEquals(WORKERS, ids.size());
        given().get("/v1/catalog/datasets/workers/rows?cursor=-1").then().statusCode(400).body("field", is("cursor"));
        given().get("/v1/catalog/datasets/workers/rows?limit=0").then().statusCode(400).body("field", is("limit"));
        given().get("/v1/catalog/datasets/nobody/rows").then().statusCode(404);
    }

    @Test
    @Order(8)
    void badInputIsRejectedWithLineNumbersAndPublishesNothing() {
        given().contentType("text/csv").body("id,name,role\n1,a,x\n2,b\n3,c,z\n4,d,y,extra\n")
                .post("/v1/ingest/badcsv?wait=true").then().statusCode(422)
                .contentType("application/problem+json").body("code", is("ingest_rejected"))
                .body("detail", containsString("line 3")).body("errors.line", contains(3, 5));
        given().get("/v1/catalog/datasets/badcsv").then().statusCode(404);
        assertFalse(objects.list("catalog/badcsv/").stream().anyMatch(k -> k.contains("manifest")));

        given().contentType("application/x-ndjson").body("{\"id\":1}\n{\"id\":2\n[1,2]\n".getBytes(StandardCharsets.UTF_8))
                .post("/v1/ingest/people?wait=true").then().statusCode(422)
                .body("errors.line", contains(2, 3)).body("errors[0].reason", containsString("malformed JSON"));
        given().contentType("application/x-ndjson").body("{\"id\":1,\"name\":\"a\"}\n{\"id\":2,\"name\":\"b\"}\n{\"id\":\"x\",\"name\":\"c\"}\n".getBytes(StandardCharsets.UTF_8))
                .post("/v1/ingest/people?wait=true&schema=id:bigint,name:varchar").then().statusCode(422)
                .body("errors[0].line", is(3)).body("errors[0].reason", containsString("expected BIGINT"));
        given().contentType("text/csv").body("id,age\n1,30\n2,old\n")
                .post("/v1/ingest/people?wait=true&schema=id:bigint,age:integer").then().statusCode(422)
                .body("errors[0].line", is(3));
        given().contentType("text/csv").body("id,nick\n1,x\n")
                .post("/v1/ingest/people?wait=true&schema=id:bigint,name:varchar").then().statusCode(422)
                .body("errors[0].line", is(1));
        // nothing of the rejected ingests became visible
        given().get("/v1/catalog/datasets/people").then().body("latest_version", is(2));

        given().contentType("text/csv").body(PEOPLE_CSV).post("/v1/ingest/Bad..Name").then().statusCode(400)
                .body("field", is("name"));
        given().contentType("text/plain").body(PEOPLE_CSV).post("/v1/ingest/people").then().statusCode(400)
                .body("field", is("format"));
        given().contentType("text/csv").body("").post("/v1/ingest/people").then().statusCode(400)
                .body("field", is("body"));
        given().contentType("text/csv").body(PEOPLE_CSV).post("/v1/ingest/people?schema=id:blob").then().statusCode(400)
                .body("field", is("schema"));
        given().get("/v1/catalog/datasets/NOPE!").then().statusCode(400);
        given().get("/v1/ingest/jobs/nope").then().statusCode(404).body("code", is("job_not_found"));
    }

    @Test
    @Order(9)
    void tombstoneHidesFromListingAndSql() {
        double live = gauge("catalog.datasets", "state", "live");
        double tombstoned = gauge("catalog.datasets", "state", "tombstoned");
        double deletes = mutations("dataset", "delete");
        double length = gauge("catalog.journal.length");
        assertTrue(live > 0 && length > 0, "the catalog and journal are loaded by the earlier ingests: " + live + ", " + length);
        given().queryParam("reason", "test data").delete("/v1/catalog/datasets/tiny").then().statusCode(200)
                .body("tombstoned", is(true)).body("tombstone_reason", is("test data"));
        given().get("/v1/catalog/datasets").then().statusCode(200)
                .body("datasets.dataset", not(hasItem("tiny"))).body("datasets.dataset", hasItem("workers"));
        given().get("/v1/catalog/datasets?include_tombstoned=true").then()
                .body("datasets.dataset", hasItem("tiny"));
        given().get("/v1/catalog/datasets/tiny").then().statusCode(404);
        given().get("/v1/catalog/datasets/tiny?include_tombstoned=true").then().statusCode(200)
                .body("tombstoned", is(true)).body("tombstoned_at", notNullValue());
        given().contentType("application/json").body(Map.of("sql", "SELECT * FROM tiny")).post("/v1/sql").then()
                .statusCode(400).body("code", is("sql_error"));
        given().delete("/v1/catalog/datasets/never").then().statusCode(404);
        assertEquals(live - 1, gauge("catalog.datasets", "state", "live"));
        assertEquals(tombstoned + 1, gauge("catalog.datasets", "state", "tombstoned"));
        assertEquals(deletes + 1, mutations("dataset", "delete"));
        assertEquals(length + 1, gauge("catalog.journal.length"));
        double revivals = mutations("dataset", "update");
        double versions = mutations("dataset_version", "insert");
        // a new ingest revives a tombstoned dataset as its next version
        given().contentType("text/csv").body("a,b\n9,z\n").post("/v1/ingest/tiny?wait=true").then().statusCode(201)
                .body("version", is(2));
        given().get("/v1/catalog/datasets/tiny").then().statusCode(200).body("tombstoned", is(false))
                .body("versions.version", contains(1, 2));
        assertEquals(revivals + 1, mutations("dataset", "update"));
        assertEquals(versions + 1, mutations("dataset_version", "insert"));
        assertEquals(live, gauge("catalog.datasets", "state", "live"));
        assertEquals(length + 3, gauge("catalog.journal.length"));
        assertEquals(0, gauge("catalog.journal.pending.segments"), "every segment shipped to S3");
        given().contentType("application/json").body(Map.of("sql", "SELECT a FROM tiny")).post("/v1/sql").then()
                .statusCode(200).body("rows[0].a", is(9));
    }

    @Test
    @Order(10)
    void journalRecordsMutationsAndVerifyNamesATamperedEvent() {
        given().get("/v1/journal/history/people").then().statusCode(200)
                .body("events.entity_id", contains("people", "people/v1", "people/v2"))
                .body("events[1].request_id", is("ingest-1")).body("events[0].action", is("insert"));
        given().get("/v1/journal/history/tiny").then()
                .body("events.action", contains("insert", "insert", "delete", "update", "insert"))
                .body("events.entity_id", contains("tiny", "tiny/v1", "tiny", "tiny", "tiny/v2"));
        given().get("/v1/journal/events?entity_type=dataset_version&limit=2").then().statusCode(200)
                .body("count", is(2)).body("next_cursor", notNullValue());
        given().get("/v1/journal/events?since=yesterday").then().statusCode(400).body("field", is("since"));
        Response all = given().get("/v1/journal/events?limit=1000");
        List<Integer> seqs = all.path("events.seq");
        for (int i = 0; i < seqs.size(); i++) {
            assertEquals(i + 1, seqs.get(i));
        }
        assertNull(all.path("next_cursor"));
        given().get("/v1/journal/verify").then().statusCode(200).body("intact", is(true))
                .body("events", is(seqs.size())).body("first_broken_seq", nullValue());

        // edit the stored event seq 3 (each event is its own object)
        String key = Journal.eventKey(3);
        String text = new String(objects.get(key).orElseThrow(), StandardCharsets.UTF_8);
        String tampered = text.replace("\"actor\":\"catalogd\"", "\"actor\":\"mallory\"");
        assertFalse(tampered.equals(text));
        objects.put(key, tampered.getBytes(StandardCharsets.UTF_8), "application/json");
        given().get("/v1/journal/verify").then().statusCode(200).body("intact", is(false))
                .body("first_broken_seq", is(3)).body("reason", containsString("hash mismatch"));
    }
}

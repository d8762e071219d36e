package com.lakehouse.catalogd.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.lakehouse.catalogd.store.CatalogModel.Column;
import com.lakehouse.catalogd.store.CatalogModel.DatasetRecord;
import com.lakehouse.catalogd.store.CatalogModel.VersionEntry;
import com.lakehouse.catalogd.store.CatalogStore;
import com.lakehouse.contracts.json.Json;
import com.lakehouse.contracts.s3.ObjectStore;
import com.lakehouse.contracts.testing.S3ProxyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Two writers on one bucket, each with its own ObjectStore (own HTTP client), journal and catalog, as two
 * catalogd processes would be: concurrent commits from both all land, version numbers are never shared, and the
 * journal stays one verifiable chain. Against a real S3 server (S3Proxy child process).
 */
class ManyWritersTest {
    private static S3ProxyServer s3;
    private String bucket;

    @BeforeAll
    static void startS3() {
        s3 = S3ProxyServer.start();
    }

    @AfterAll
    static void stopS3() {
        s3.close();
    }

    @BeforeEach
    void freshBucket() {
        bucket = "many-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private ObjectStore store() {
        return s3.objectStore(bucket);
    }

    private static Journal.Draft draft(String writer, int i) {
        return new Journal.Draft("dataset", writer + "-" + i, null, "insert", null, i, "test", "unit", writer + "-" + i);
    }

    @Test
    void twoJournalsRacingKeepOneChain(@TempDir Path spoolA, @TempDir Path spoolB) throws Exception {
        Journal a = new Journal(store(), spoolA, 100, d -> { }, v -> v, 1000);
        Journal b = new Journal(store(), spoolB, 100, d -> { }, v -> v, 1000);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<List<JsonNode>>> fs = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Journal j = t % 2 == 0 ? a : b;
            String writer = "w" + t;
            fs.add(pool.submit(() -> {
                List<JsonNode> mine = new ArrayList<>();
                for (int i = 0; i < 15; i++) {
                    mine.add(j.append(draft(writer, i)));
                }
                return mine;
            }));
        }
        Set<Long> ackedSeqs = new HashSet<>();
        Set<String> ackedIds = new HashSet<>();
        for (Future<List<JsonNode>> f : fs) {
            for (JsonNode e : f.get()) {
                assertTrue(ackedSeqs.add(e.get("seq").asLong()), "seq handed out twice: " + e);
                ackedIds.add(e.get("event_id").asText());
            }
        }
        pool.shutdown();
        assertEquals(60, ackedSeqs.size());
        List<JsonNode> events = a.events();
        assertEquals(60, events.size());
        Set<String> stored = new HashSet<>();
        for (int i = 0; i < events.size(); i++) {
            assertEquals(i + 1, events.get(i).get("seq").asLong());
            stored.add(events.get(i).get("event_id").asText());
        }
        assertEquals(ackedIds, stored, "every acknowledged event is in the chain, and only those");
        Journal.Verification v = b.verify();
        assertTrue(v.intact(), String.valueOf(v));
        assertEquals(60, v.events());
        // a third writer that starts now continues the same chain
        JsonNode next = new Journal(store(), Files.createTempDirectory("spool-c"), 100).append(draft("c", 0));
        assertEquals(61, next.get("seq").asLong());
        assertEquals(events.getLast().get("hash").asText(), next.get("prev_hash").asText());
        assertTrue(a.verify().intact());
    }

    @Test
    void olderSegmentLayoutIsReadAndContinued(@TempDir Path oldSpool, @TempDir Path newSpool) throws Exception {
        ObjectStore s = store();
        // an older stack: events 1..3 in a segment object, as the previous journal wrote them
        StringBuilder seg = new StringBuilder();
        String prev = Journal.GENESIS;
        for (int i = 1; i <= 3; i++) {
            var e = Json.mapper().createObjectNode();
            e.put("event_id", "old-" + i);
            e.put("seq", i);
            e.put("timestamp", Instant.now().toString());
            e.put("entity_type", "dataset");
            e.put("entity_id", "old");
            e.put("action", "insert");
            e.put("prev_hash", prev);
            prev = Journal.hashOf(e);
            e.put("hash", prev);
            seg.append(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(e)).append('\n');
        }
        s.put(Journal.PREFIX + Journal.segmentName(1), seg.toString().getBytes(StandardCharsets.UTF_8), "application/x-ndjson");
        Journal j = new Journal(store(), newSpool, 100);
        assertEquals(3, j.lastSeq());
        JsonNode fourth = j.append(draft("new", 4));
        assertEquals(4, fourth.get("seq").asLong());
        assertEquals(prev, fourth.get("prev_hash").asText());
        assertTrue(s.exists(Journal.eventKey(4)));
        assertEquals(4, j.events().size());
        assertTrue(j.verify().intact(), String.valueOf(j.verify()));
        assertEquals(4, j.verify().events());
    }

    @Test
    void twoCatalogsRacingLoseNoCommit(@TempDir Path dir) throws Exception {
        Journal ja = new Journal(store(), dir.resolve("ja"), 100, d -> { }, v -> v, 1000);
        Journal jb = new Journal(store(), dir.resolve("jb"), 100, d -> { }, v -> v, 1000);
        CatalogService a = new CatalogService(new CatalogStore(store()), ja, Duration.ofHours(1), 1000);
        CatalogService b = new CatalogService(new CatalogStore(store()), jb, Duration.ofHours(1), 1000);
        Path parquet = Files.writeString(dir.resolve("x.parquet"), "not really parquet; the catalog only stores it");
        List<Column> schema = List.of(new Column("id", "BIGINT"));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<List<CatalogService.Published>>> fs = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            CatalogService c = t % 2 == 0 ? a : b;
            int thread = t;
            fs.add(pool.submit(() -> {
                List<CatalogService.Published> mine = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    // two datasets shared by both writers, so version numbers are contended too
                    String name = (i % 2 == 0) ? "shared" : "other";
                    mine.add(c.publish(name, parquet, 10, "sha", thread * 100 + i, schema, "unit", "t" + thread + "-" + i));
                }
                return mine;
            }));
        }
        Map<String, Set<Integer>> versions = Map.of("shared", new HashSet<>(), "other", new HashSet<>());
        Map<String, Set<Long>> rowsByDataset = Map.of("shared", new HashSet<>(), "other", new HashSet<>());
        for (Future<List<CatalogService.Published>> f : fs) {
            for (CatalogService.Published p : f.get()) {
                assertTrue(versions.get(p.dataset()).add(p.version()), "version given twice: " + p);
                rowsByDataset.get(p.dataset()).add(p.rowCount());
            }
        }
        pool.shutdown();
        // b's cache is an hour old by config, but a commit or an explicit new reader always sees the newest
        CatalogService fresh = new CatalogService(new CatalogStore(store()), ja, Duration.ZERO, 10);
        for (CatalogService c : List.of(fresh, new CatalogService(new CatalogStore(store()), jb, Duration.ZERO, 10))) {
            for (String name : List.of("shared", "other")) {
                DatasetRecord r = c.require(name, false);
                assertEquals(16, r.versions().size(), name + " lost a commit: " + r.versions());
                assertEquals(16, r.latestVersion());
                assertEquals(versions.get(name), new HashSet<>(r.versions().stream().map(VersionEntry::version).toList()));
                Set<Long> rows = new HashSet<>(r.versions().stream().map(VersionEntry::rowCount).toList());
                assertEquals(rowsByDataset.get(name), rows, "each version is the publish that was acknowledged");
                for (VersionEntry v : r.versions()) {
                    assertEquals(v.version(), c.manifest(r, v.version()).version());
                }
            }
        }
        Journal.Verification v = ja.verify();
        assertTrue(v.intact(), String.valueOf(v));
        assertEquals(2 + 32, v.events(), "two dataset inserts and 32 version inserts, one chain");
        // a tombstone from a, seen by b on its next commit (which always refreshes first)
        a.tombstone("other", "gone", "r");
        assertTrue(b.find("other").isEmpty() || !b.find("other").get().tombstoned(), "b's hour-long cache is stale");
        assertEquals(17, b.publish("other", parquet, 10, "sha", 1, schema, "unit", "revive").version());
        DatasetRecord revived = fresh.require("other", false);
        assertFalse(revived.tombstoned());
        assertEquals(17, revived.latestVersion());
        assertTrue(ja.verify().intact());
    }

    @Test
    void olderDatasetJsonLayoutStillLoadsAndMigratesOnTheFirstCommit(@TempDir Path dir) throws Exception {
        ObjectStore s = store();
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        DatasetRecord old = new DatasetRecord("legacy", t, t, 1,
                List.of(new VersionEntry(1, 3, t, "catalog/legacy/v1/manifest.json", "api")), false, null, null);
        s.put(CatalogStore.datasetKey("legacy"), Json.mapper().writeValueAsBytes(old), "application/json");
        s.put("catalog/legacy/v1/manifest.json", Json.mapper().writeValueAsBytes(
                new com.lakehouse.catalogd.store.CatalogModel.Manifest("legacy", 1, List.of(new Column("id", "BIGINT")), 3,
                        List.of(new com.lakehouse.catalogd.store.CatalogModel.FileEntry("catalog/legacy/v1/part-00000.parquet", 1, "x", 3)),
                        t, "api", "r")), "application/json");
        CatalogService c = new CatalogService(new CatalogStore(s), new Journal(s, dir.resolve("j"), 10), Duration.ZERO, 5);
        assertEquals(1, c.require("legacy", false).latestVersion());
        assertEquals(3, c.manifest(c.require("legacy", false), 1).rowCount());
        assertEquals(0, c.seq(), "no catalog version yet");
        Path parquet = Files.writeString(dir.resolve("p.parquet"), "p");
        assertEquals(1, c.publish("fresh", parquet, 1, "s", 1, List.of(), "unit", "r").version());
        assertEquals(1, c.seq());
        CatalogService other = new CatalogService(new CatalogStore(store()), new Journal(store(), dir.resolve("k"), 10), Duration.ZERO, 5);
        assertEquals(List.of("fresh", "legacy"), other.list(false).stream().map(DatasetRecord::dataset).toList(),
                "catalog version 1 carries the older layout's datasets");
        assertEquals(2, other.publish("legacy", parquet, 1, "s", 1, List.of(), "unit", "r").version());
    }
}

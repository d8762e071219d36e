package com.lakehouse.catalogd.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.lakehouse.contracts.s3.ObjectStore;
import com.lakehouse.contracts.testing.S3ProxyServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The journal against a real S3 server (S3Proxy child process): chain, segments, restart, concurrency, tamper. */
class JournalTest {
    private static S3ProxyServer s3;
    private ObjectStore store;

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
        store = s3.objectStore("journal-" + UUID.randomUUID().toString().substring(0, 8));
    }

    private static Journal.Draft draft(String id, int i) {
        return new Journal.Draft("dataset", id, "row_count", "update", i, i + 1, "test", "unit", "req-" + i);
    }

    @Test
    void metersFollowTheJournalOnceWatched(@TempDir Path spool) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        CatalogMetrics metrics = new CatalogMetrics(registry);
        assertTrue(Double.isNaN(registry.get("catalog.journal.length").gauge().value()), "no journal yet");
        assertTrue(Double.isNaN(registry.get("catalog.datasets").tag("state", "live").gauge().value()));
        for (List<String> m : CatalogMetrics.MUTATIONS) {
            assertEquals(0, registry.get("catalog.mutations").tags("entity", m.get(0), "action", m.get(1)).counter().count());
        }
        Journal j = new Journal(store, spool, 3, metrics::mutated);
        metrics.watch(j);
        assertEquals(0, registry.get("catalog.journal.length").gauge().value());
        for (int i = 0; i < 4; i++) {
            j.append(draft("d", i));
        }
        j.append(new Journal.Draft("dataset", "d", "tombstoned", "delete", false, true, "test", "unit", "req-x"));
        assertEquals(5, registry.get("catalog.journal.length").gauge().value());
        assertEquals(0, registry.get("catalog.journal.pending.segments").gauge().value(), "both segments shipped");
        assertEquals(4, registry.get("catalog.mutations").tags("entity", "dataset", "action", "update").counter().count());
        assertEquals(1, registry.get("catalog.mutations").tags("entity", "dataset", "action", "delete").counter().count());
        assertEquals(0, registry.get("catalog.mutations").tags("entity", "dataset", "action", "insert").counter().count());
    }

    /** Issue 25: journal values pass the Redactor before they are hashed and written (spool and S3). */
    @Test
    void privateValuesAreRedactedInTheSpoolAndS3(@TempDir Path spool) throws Exception {
        var redactor = new com.lakehouse.contracts.redact.Redactor("journal test key of 32 bytes...".getBytes(StandardCharsets.UTF_8));
        Journal j = new Journal(store, spool, 3, d -> { }, redactor::redact);
        j.append(new Journal.Draft("worker", "W-1 ssn 457-55-5462", "notes", "update", "ssn 457-55-5462",
                Map.of("notes", "call with key lh_0123456789abcdef0123456789abcdef, sk-abcdefghijklmnop1234"), "test", "unit", "r"));
        assertTrue(j.verify().intact(), "the chain hashes what is stored");
        StringBuilder atRest = new StringBuilder();
        for (String k : store.list("")) {
            atRest.append(new String(store.get(k).orElseThrow(), StandardCharsets.UTF_8));
        }
        try (var files = java.nio.file.Files.list(spool)) {
            for (Path f : files.toList()) {
                atRest.append(java.nio.file.Files.readString(f));
            }
        }
        assertTrue(atRest.indexOf("[SSN:") >= 0 && atRest.indexOf("[APIKEY:") >= 0 && atRest.indexOf("[SECRET:") >= 0, atRest.toString());
        for (String raw : List.of("457-55-5462", "lh_0123456789abcdef", "sk-abcdefghijklmnop")) {
            assertEquals(-1, atRest.indexOf(raw), raw);
        }
    }

    @Test
    void chainsSegmentsAndVerifies(@TempDir Path spool) {
        Journal j = new Journal(store, spool, 3);
        List<JsonNode> appended = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            appended.add(j.append(draft("d" + (i % 2), i)));
        }
        assertEquals(Journal.GENESIS, appended.getFirst().get("prev_hash").asText());
        for (int i = 1; i < 7; i++) {
            assertEquals(i + 1, appended.get(i).get("seq").asLong());
            assertEquals(appended.get(i - 1).get("hash").asText(), appended.get(i).get("prev_hash").asText());
        }
        List<String> keys = new ArrayList<>();
        for (int i = 1; i <= 7; i++) {
            keys.add(Journal.eventKey(i));
        }
        assertEquals(keys, store.list("journal/"), "one object per event, named by its zero-padded seq");
        Journal.Verification v = j.verify();
        assertTrue(v.intact());
        assertEquals(7, v.events());
        List<JsonNode> events = j.events();
        assertEquals(7, events.size());
        assertEquals(appended.get(6).get("hash"), events.get(6).get("hash"));
        assertEquals("req-3", events.get(3).get("request_id").asText());
        assertEquals(4, events.get(3).get("new_value").asInt());
    }

    @Test
    void restartContinuesTheChainFromSpoolOrFromS3(@TempDir Path spool, @TempDir Path otherSpool) {
        Journal first = new Journal(store, spool, 3);
        JsonNode last = null;
        for (int i = 0; i < 4; i++) {
            last = first.append(draft("x", i));
        }
        Journal restarted = new Journal(store, spool, 3);
        assertEquals(4, restarted.lastSeq());
        JsonNode next = restarted.append(draft("x", 4));
        assertEquals(5, next.get("seq").asLong());
        assertEquals(last.get("hash").asText(), next.get("prev_hash").asText());
        // a new machine with an empty spool continues from S3
        Journal elsewhere = new Journal(store, otherSpool, 3);
        JsonNode sixth = elsewhere.append(draft("x", 5));
        assertEquals(6, sixth.get("seq").asLong());
        assertEquals(next.get("hash").asText(), sixth.get("prev_hash").asText());
        Journal.Verification v = elsewhere.verify();
        assertTrue(v.intact(), String.valueOf(v));
        assertEquals(6, v.events());
    }

    @Test
    void concurrentWritersKeepOneOrder(@TempDir Path spool) throws Exception {
        Journal j = new Journal(store, spool, 10);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            fs.add(pool.submit(() -> {
                for (int i = 0; i < 8; i++) {
                    j.append(draft("t" + thread, i));
                }
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        pool.shutdown();
        List<JsonNode> events = j.events();
        assertEquals(32, events.size());
        for (int i = 0; i < events.size(); i++) {
            assertEquals(i + 1, events.get(i).get("seq").asLong());
        }
        assertTrue(j.verify().intact());
    }

    @Test
    void tamperingNamesTheFirstBrokenEvent(@TempDir Path spool) {
        Journal j = new Journal(store, spool, 3);
        for (int i = 0; i < 7; i++) {
            j.append(draft("d", i));
        }
        String key = Journal.eventKey(5);
        String text = new String(store.get(key).orElseThrow(), StandardCharsets.UTF_8);
        // change seq 5's new_value (5 -> 500) and keep its stored hash
        String edited = text.replace("\"new_value\":5,", "\"new_value\":500,");
        assertFalse(edited.equals(text));
        store.put(key, edited.getBytes(StandardCharsets.UTF_8), "application/json");
        Journal.Verification v = j.verify();
        assertFalse(v.intact());
        assertEquals(5L, v.firstBrokenSeq());
        assertEquals(4, v.events());
        assertTrue(v.reason().contains("hash mismatch"), v.reason());

        // dropping an event is a gap, named at the missing seq
        store.delete(key);
        Journal.Verification gap = j.verify();
        assertFalse(gap.intact());
        assertEquals(5L, gap.firstBrokenSeq());
    }

    @Test
    void canonicalHashIgnoresKeyOrder() {
        var a = com.lakehouse.contracts.json.Json.mapper().valueToTree(Map.of("b", 1, "a", Map.of("y", 2, "x", 3)));
        var b = com.lakehouse.contracts.json.Json.mapper().createObjectNode();
        b.putObject("a").put("x", 3).put("y", 2);
        b.put("b", 1);
        assertEquals(Journal.hashOf((JsonNode) a), Journal.hashOf(b));
        b.put("b", 2);
        assertFalse(Journal.hashOf((JsonNode) a).equals(Journal.hashOf(b)));
    }
}

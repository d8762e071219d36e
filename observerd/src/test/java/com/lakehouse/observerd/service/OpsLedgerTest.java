package com.lakehouse.observerd.service;

import com.lakehouse.contracts.observer.ObservedOperation;
import com.lakehouse.contracts.s3.ObjectStore;
import com.lakehouse.contracts.testing.S3ProxyServer;
import com.lakehouse.observerd.store.OpsArchive;
import com.lakehouse.observerd.store.Spool;
import io.minio.MinioClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.*;

/** The ledger against a real S3 server (S3Proxy child process) and a real spool directory. */
class OpsLedgerTest {
    static S3ProxyServer s3;

    @BeforeAll
    static void up() {
        s3 = S3ProxyServer.start();
    }

    @AfterAll
    static void down() {
        s3.close();
    }

    static ObjectStore store(String endpoint) {
        return new ObjectStore(MinioClient.builder().endpoint(endpoint)
                .credentials(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY).build(),
                "t-" + UUID.randomUUID().toString().substring(0, 8), "", 0);
    }

    static List<ObservedOperation> ops(String prefix, int n) {
        List<ObservedOperation> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new ObservedOperation(prefix + "-" + i, Instant.parse("2026-11-25T10:00:00Z").plusSeconds(i), "matrixd",
                    "/v1/matrix/search", null, null, null, null, null, null, i % 7 != 0, 3L, null, null));
        }
        return out;
    }

    /** What one operation costs in memory (its JSON, its id, the fixed overhead). */
    static long cost(ObservedOperation op) throws Exception {
        return com.lakehouse.contracts.json.Json.mapper().writeValueAsBytes(op).length + op.opId().length() + OpsRing.ENTRY_OVERHEAD;
    }

    @Test
    void restartLosesNothingAcknowledged() throws Exception {
        Path dir = Files.createTempDirectory("spool");
        ObjectStore store = store(s3.endpoint());
        OpsLedger first = new OpsLedger(1 << 20, 5, new Spool(dir, true, 1000), new OpsArchive(store));
        assertTrue(first.accept(ops("a", 50)).durable());
        assertEquals(1, first.ship());
        assertFalse(store.list("observer/ops/").isEmpty());
        // contract: every shipped line is an observed_op.v1 (schema in common-contracts)
        var schema = com.networknt.schema.JsonSchemaFactory.getInstance(com.networknt.schema.SpecVersion.VersionFlag.V202012)
                .getSchema(getClass().getClassLoader().getResourceAsStream("schemas/observed_op.v1.json"));
        String shipped = new String(store.get(store.list("observer/ops/").get(0)).orElseThrow(), StandardCharsets.UTF_8);
        int checked = 0;
        for (String line : shipped.split("\n")) {
            assertEquals(java.util.Set.of(), schema.validate(com.lakehouse.contracts.json.Json.mapper().readTree(line)), line);
            checked++;
        }
        assertEquals(50, checked);
        assertFalse(schema.validate(com.lakehouse.contracts.json.Json.mapper().readTree("{\"op_id\":\"x\"}")).isEmpty());
        assertTrue(first.accept(ops("b", 30)).durable());
        // The process dies here: the second batch is only in the spool, and a torn write ends the active segment.
        Path active = Files.list(dir).filter(p -> p.toString().endsWith(".jsonl")).findFirst().orElseThrow();
        Files.writeString(active, "{\"op_id\":\"torn", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        OpsLedger second = new OpsLedger(1 << 20, 5, new Spool(dir, true, 1000), new OpsArchive(store));
        OpsLedger.Recovery r = second.recover(3, OpsLedger.todayUtc());
        assertEquals(50, r.fromS3());
        assertEquals(30, r.fromSpool());
        assertEquals(1, r.badLines());
        OpsLedger.Page all = second.query(null, null, null, null, 1000, false);
        Set<String> ids = new HashSet<>();
        all.ops().forEach(o -> ids.add(o.opId()));
        for (int i = 0; i < 50; i++) {
            assertTrue(ids.contains("a-" + i));
        }
        for (int i = 0; i < 30; i++) {
            assertTrue(ids.contains("b-" + i));
        }
        assertEquals(80, all.ops().size());
        assertEquals("a-0", all.ops().get(0).opId());
        assertEquals("b-29", all.ops().get(79).opId());
        // the leftover spool ships on the next tick; a third start reloads everything from S3 alone, once
        assertTrue(second.ship() >= 1);
        OpsLedger third = new OpsLedger(1 << 20, 5, new Spool(dir, true, 1000), new OpsArchive(store));
        OpsLedger.Recovery r3 = third.recover(3, OpsLedger.todayUtc());
        assertEquals(80, r3.fromS3() + r3.fromSpool());
        assertEquals(80, third.stats().total());
    }

    @Test
    void fullRingDropsOldestAndCountsIt() throws Exception {
        // a budget of three of these operations (bytes, not a count): the fourth pushes the oldest out
        OpsLedger ledger = new OpsLedger(3 * cost(ops("r", 5).get(1)) + 2, 5, null, null);
        ledger.accept(ops("r", 5));
        assertEquals(3, ledger.size());
        assertEquals(2, ledger.droppedCount());
        assertEquals(List.of("r-2", "r-3", "r-4"), ledger.query(null, null, null, null, 10, false).ops().stream().map(ObservedOperation::opId).toList());
        OpsLedger.Stats s = ledger.stats();
        assertEquals(5, s.total());
        assertEquals(4, s.successes());
        assertEquals(1, s.failures());
        // a dropped id can come back (it is no longer held), a held one is a duplicate
        OpsLedger.Accepted again = ledger.accept(List.of(ops("r", 5).get(4)));
        assertEquals(0, again.accepted());
        assertEquals(1, again.duplicates());
    }

    @Test
    void newestFirstReadsTheRingBackwardsAcrossItsWrap() throws Exception {
        OpsLedger ledger = new OpsLedger(4 * cost(ops("w", 6).get(1)) + 3, 5, null, null);
        ledger.accept(ops("w", 6));
        // the ring holds w-2..w-5 and has wrapped (head is not slot 0)
        OpsLedger.Page p1 = ledger.query(null, null, null, null, 3, true);
        assertEquals(List.of("w-5", "w-4", "w-3"), p1.ops().stream().map(ObservedOperation::opId).toList());
        assertNotNull(p1.nextCursor());
        OpsLedger.Page p2 = ledger.query(null, null, null, p1.nextCursor(), 3, true);
        assertEquals(List.of("w-2"), p2.ops().stream().map(ObservedOperation::opId).toList());
        assertNull(p2.nextCursor());
        // filters apply the same way: the window [w-3, w-5) newest first
        Instant t0 = Instant.parse("2026-11-25T10:00:00Z");
        assertEquals(List.of("w-4", "w-3"), ledger.query("matrixd", t0.plusSeconds(3), t0.plusSeconds(5), null, 10, true)
                .ops().stream().map(ObservedOperation::opId).toList());
        assertEquals(List.of(), ledger.query("chatd", null, null, null, 10, true).ops());
    }

    /** Every op id of every page, following next_cursor to the end (bounded: a broken cursor cannot loop). */
    static List<String> pageAll(OpsLedger ledger, String source, boolean desc, int limit) {
        List<String> out = new ArrayList<>();
        String cursor = null;
        for (int i = 0; i < 100; i++) {
            OpsLedger.Page p = ledger.query(source, null, null, cursor, limit, desc);
            p.ops().forEach(o -> out.add(o.opId()));
            cursor = p.nextCursor();
            if (cursor == null) {
                return out;
            }
        }
        throw new AssertionError("no end after 100 pages: " + out);
    }

    @Test
    void readBackPagesPastMemoryIntoTheSpoolAndS3AndAfterARestart() throws Exception {
        Path dir = Files.createTempDirectory("spool");
        ObjectStore store = store(s3.endpoint());
        long budget = 3 * cost(ops("p", 10).get(1)) + 2;
        OpsLedger ledger = new OpsLedger(budget, 5, new Spool(dir, true, 4), new OpsArchive(store));
        List<ObservedOperation> all = ops("p", 10);
        for (int i = 0; i < 10; i += 2) {
            ledger.accept(all.subList(i, i + 2));
            if (i == 4) {
                assertTrue(ledger.ship() >= 1, "part of the history is in S3, the rest in the spool");
            }
        }
        assertEquals(3, ledger.size());
        List<String> asc = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            asc.add("p-" + i);
        }
        List<String> desc = new ArrayList<>(asc);
        java.util.Collections.reverse(desc);
        for (int limit : new int[] {1, 4}) {
            assertEquals(desc, pageAll(ledger, null, true, limit), "newest first, limit " + limit);
            assertEquals(asc, pageAll(ledger, null, false, limit), "arrival order, limit " + limit);
        }
        // a page also ends at its byte bound (here: one op a page), in memory and in the history, and goes on by cursor
        ledger.pageMaxBytes(1);
        assertEquals(1, ledger.query(null, null, null, null, 100, true).ops().size());
        assertEquals(desc, pageAll(ledger, null, true, 100));
        assertEquals(asc, pageAll(ledger, null, false, 100));
        ledger.pageMaxBytes(1 << 20);
                // a filter applies in memory and in the history alike (ops() marks every 7th as a failure, all matrixd)
        assertEquals(List.of(), pageAll(ledger, "chatd", true, 2));
        // ops left memory, but the totals still count every op this instance took
        assertTrue(ledger.droppedCount() > 0);
        assertTrue(ledger.stats().countsCoverAllHistory());
        assertEquals(10, ledger.stats().total());

        // a restart under the same budget loads only the newest that fit, and still pages everything
        ledger.ship();
        OpsLedger again = new OpsLedger(budget, 5, new Spool(dir, true, 4), new OpsArchive(store));
        OpsLedger.Recovery r = again.recover(2, OpsLedger.todayUtc());
        assertTrue(r.truncated());
        assertEquals(3, r.fromS3() + r.fromSpool());
        assertEquals(List.of("p-9", "p-8", "p-7"), again.query(null, null, null, null, 3, true).ops().stream()
                .map(ObservedOperation::opId).toList());
        assertFalse(again.stats().countsCoverAllHistory());
        assertEquals(3, again.stats().total(), "the totals say which window they cover");
        for (int limit : new int[] {3}) {
            assertEquals(desc, pageAll(again, null, true, limit), "after restart, newest first, limit " + limit);
            assertEquals(asc, pageAll(again, null, false, limit), "after restart, arrival order, limit " + limit);
        }
        // a cursor that names no position of ours is a bad cursor, not a read of another key
        assertThrows(IllegalArgumentException.class, () -> again.query(null, null, null, "h:../../etc:0", 3, true));
        assertThrows(IllegalArgumentException.class, () -> again.query(null, null, null, "-4", 3, true));
    }

    @Test
    void acknowledgedOpsReachS3WhenItComesBackAfterBeingDown() throws Exception {
        S3ProxyServer own = S3ProxyServer.start();
        try {
            Path dir = Files.createTempDirectory("spool");
            ObjectStore store = store(own.endpoint());
            OpsLedger ledger = new OpsLedger(1 << 20, 5, new Spool(dir, true, 1000), new OpsArchive(store));
            assertTrue(ledger.accept(ops("up", 5)).durable());
            assertEquals(1, ledger.ship());
            own.stop();
            // S3 down: every write is still acknowledged only once it is on disk, and shipping fails without loss
            assertTrue(ledger.accept(ops("down", 7)).durable());
            assertEquals(0, ledger.ship());
            assertEquals(1, ledger.shipFailureCount());
            assertEquals(1, Files.list(dir).count(), "the unshipped segment waits on disk");
            // newest pages still come from memory while S3 is down
            assertEquals("down-6", ledger.query(null, null, null, null, 1, true).ops().get(0).opId());
            own.startAgain();
            assertEquals(1, ledger.ship());
            assertEquals(0, Files.list(dir).count());
            // a new instance with an empty spool finds every acknowledged op in S3 alone
            OpsLedger fresh = new OpsLedger(1 << 20, 5, new Spool(Files.createTempDirectory("spool"), true, 1000),
                    new OpsArchive(store));
            OpsLedger.Recovery r = fresh.recover(2, OpsLedger.todayUtc());
            assertEquals(12, r.fromS3());
            assertEquals(12, pageAll(fresh, null, false, 100).size());
        } finally {
            own.close();
        }
    }

    @Test
    void diskAndS3FailuresAreNeverFatal() throws Exception {
        Path notADir = Files.createTempFile("spool", ".file");
        ObjectStore dead = store("http://127.0.0.1:" + S3ProxyServer.freePort());
        OpsLedger ledger = new OpsLedger(1 << 20, 5, new Spool(notADir.resolve("sub"), true, 1000), new OpsArchive(dead));
        OpsLedger.Accepted a = ledger.accept(ops("d", 4));
        assertEquals(4, a.accepted());
        assertFalse(a.durable());
        assertEquals(4, ledger.size());
        assertEquals(1, ledger.spoolFailureCount());

        Path dir = Files.createTempDirectory("spool");
        OpsLedger shipsNowhere = new OpsLedger(1 << 20, 5, new Spool(dir, true, 1000), new OpsArchive(dead));
        assertTrue(shipsNowhere.accept(ops("e", 4)).durable());
        assertEquals(0, shipsNowhere.ship());
        assertEquals(1, shipsNowhere.shipFailureCount());
        assertEquals(1, Files.list(dir).count(), "the unshipped segment stays on disk");
        OpsLedger.Recovery r = new OpsLedger(1 << 20, 5, new Spool(dir, true, 1000), new OpsArchive(dead))
                .recover(2, OpsLedger.todayUtc());
        assertFalse(r.s3Reachable());
        assertEquals(4, r.fromSpool());
    }

    @Test
    void scenarioOpsAreListedNewestFirst() {
        OpsLedger ledger = new OpsLedger(1 << 20, 2, null, null);
        for (int i = 0; i < 3; i++) {
            ledger.accept(List.of(new ObservedOperation("s" + i, null, "scenario", "/x", null, null, null, null, null,
                    null, true, null, null, null)));
        }
        assertEquals(List.of("s2", "s1"), ledger.stats().recentScenarioOps().stream().map(ObservedOperation::opId).toList());
    }
}

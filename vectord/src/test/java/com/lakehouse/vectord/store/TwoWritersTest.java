package com.lakehouse.vectord.store;

import com.lakehouse.contracts.s3.ObjectStore;
import com.lakehouse.contracts.testing.S3ProxyServer;
import com.lakehouse.vectord.service.Distance;
import com.lakehouse.vectord.service.IndexParams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two vectord writers on one prefix (a misconfigured shard pair, or a replica started on a shard's prefix):
 * the second one is fenced off by generation claims, so neither overwrites the other's generations or
 * current.json. Against a real S3 server.
 */
class TwoWritersTest {
    static S3ProxyServer s3;
    static ObjectStore store;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startS3() {
        s3 = S3ProxyServer.start();
        store = s3.objectStore("two-writers");
    }

    @AfterAll
    static void stopS3() {
        s3.close();
    }

    @Test
    void aSecondWriterCannotSaveOverGenerationsItDidNotWrite() throws Exception {
        EnvelopeStore a = new EnvelopeStore(store, tmp.resolve("a"), WriterId.of(mkdir("a-data")));
        EnvelopeStore b = new EnvelopeStore(store, tmp.resolve("b"), WriterId.of(mkdir("b-data")));
        IndexParams p = new IndexParams("fenced", 4, Distance.COSINE, 12, 80, 40);
        long g1 = a.claimGeneration("fenced", 0);
        a.save(p, g1, 3, PersistenceTest.items("a1-", 5, 4), null, 4, Instant.now());
        long bLoaded = b.load("fenced").orElseThrow().generation(); // b starts from a's generation
        long g2 = a.claimGeneration("fenced", g1);
        a.save(p, g2, 7, PersistenceTest.items("a2-", 9, 4), null, 4, Instant.now());

        EnvelopeStore.ConcurrentWriterException refused = assertThrows(EnvelopeStore.ConcurrentWriterException.class,
                () -> b.claimGeneration("fenced", bLoaded));
        assertTrue(refused.getMessage().contains("lakehouse.s3.prefix"), refused.getMessage());
        assertEquals(g2, a.load("fenced").orElseThrow().generation(), "current.json still names a's generation");
        assertEquals(9, a.load("fenced").orElseThrow().items().size());
    }

    @Test
    void twoWritersRacingForTheSameGenerationLeaveExactlyOneWinner() throws Exception {
        int writers = 6;
        List<EnvelopeStore> stores = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            stores.add(new EnvelopeStore(store, tmp.resolve("r" + i), WriterId.of(mkdir("r" + i + "-data"))));
        }
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> claims = new ArrayList<>();
        for (EnvelopeStore s : stores) {
            claims.add(pool.submit(() -> {
                go.await();
                try {
                    s.claimGeneration("raced", 0);
                    return true;
                } catch (EnvelopeStore.ConcurrentWriterException e) {
                    return false;
                }
            }));
        }
        go.countDown();
        int won = 0;
        for (Future<Boolean> f : claims) {
            won += f.get() ? 1 : 0;
        }
        pool.shutdown();
        assertEquals(1, won, "exactly one writer may own generation 1");
    }

    @Test
    void aRestartedWriterKeepsItsIdentityAndItsHalfWrittenGenerations() throws Exception {
        Path data = mkdir("restart-data");
        EnvelopeStore first = new EnvelopeStore(store, tmp.resolve("s1"), WriterId.of(data));
        IndexParams p = new IndexParams("restarted", 4, Distance.COSINE, 12, 80, 40);
        long g1 = first.claimGeneration("restarted", 0);
        first.save(p, g1, 1, PersistenceTest.items("x-", 3, 4), null, 4, Instant.now());
        long crashed = first.claimGeneration("restarted", g1); // claimed, then the process died mid-save
        EnvelopeStore again = new EnvelopeStore(store, tmp.resolve("s2"), WriterId.of(data));
        long loaded = again.load("restarted").orElseThrow().generation();
        assertEquals(g1, loaded);
        assertEquals(crashed + 1, again.claimGeneration("restarted", loaded), "skips its own half-written one");
    }

    private Path mkdir(String name) {
        try {
            return java.nio.file.Files.createDirectories(tmp.resolve(name));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

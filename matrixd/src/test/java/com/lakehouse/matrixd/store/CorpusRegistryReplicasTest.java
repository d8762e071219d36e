package com.lakehouse.matrixd.store;

import com.lakehouse.contracts.json.Json;
import com.lakehouse.contracts.s3.ObjectStore;
import com.lakehouse.contracts.testing.S3ProxyServer;
import com.lakehouse.matrixd.service.Corpus;
import com.lakehouse.matrixd.service.CorpusRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two matrixd replicas' registries on one bucket (a real S3 server): no registration lost, each learns the other's. */
class CorpusRegistryReplicasTest {
    private static S3ProxyServer s3;

    @BeforeAll
    static void start() {
        s3 = S3ProxyServer.start();
    }

    @AfterAll
    static void stop() {
        s3.close();
    }

    private static ObjectStore bucket(String name) {
        return s3.objectStore(name);
    }

    private static Corpus corpus(String name) {
        Instant now = Instant.now();
        return new Corpus(name, "local-minilm", false, null, List.of("text"), List.of(), null, 384, "cosine", now, now);
    }

    @Test
    void concurrentRegistrationsOnTwoReplicasAreAllKeptAndSeenByBoth() throws Exception {
        String b = "replicas-" + UUID.randomUUID().toString().substring(0, 8);
        CorpusRegistry a = new CorpusRegistry(new S3CorpusStore(bucket(b)));
        CorpusRegistry c = new CorpusRegistry(new S3CorpusStore(bucket(b)));
        a.load();
        c.load();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> writes = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            CorpusRegistry on = i % 2 == 0 ? a : c;
            String name = "corpus_" + i;
            writes.add(pool.submit(() -> {
                go.await();
                return on.put(corpus(name));
            }));
        }
        go.countDown();
        for (Future<?> f : writes) {
            f.get();
        }
        pool.shutdown();
        assertFalse(a.find("corpus_1").isPresent(), "a replica sees another's corpus only after a refresh");
        a.refresh();
        c.refresh();
        assertEquals(12, a.all().size(), a.all().keySet().toString());
        assertEquals(a.all().keySet(), c.all().keySet());
        CorpusRegistry fresh = new CorpusRegistry(new S3CorpusStore(bucket(b)));
        fresh.load();
        assertEquals(12, fresh.all().size(), "a third replica starting now loads every acknowledged registration");
    }

    @Test
    void theSingleRegistryObjectOfEarlierReleasesIsStillRead() throws Exception {
        String b = "legacy-" + UUID.randomUUID().toString().substring(0, 8);
        ObjectStore store = bucket(b);
        Map<String, Corpus> old = new LinkedHashMap<>();
        old.put("workers", corpus("workers"));
        old.put("jobs", corpus("jobs"));
        store.put(S3CorpusStore.LEGACY_REGISTRY_KEY, Json.mapper().writeValueAsBytes(old), "application/json");
        CorpusRegistry r = new CorpusRegistry(new S3CorpusStore(store));
        r.load();
        assertEquals(old.keySet(), r.all().keySet());
        Corpus updated = new Corpus("jobs", "other-model", false, null, List.of("text"), List.of(), null, 384,
                "cosine", Instant.now(), Instant.now());
        r.put(updated);
        CorpusRegistry again = new CorpusRegistry(new S3CorpusStore(store));
        again.load();
        assertEquals("other-model", again.require("jobs").model(), "the corpus' own object wins over the old file");
        assertTrue(again.find("workers").isPresent());
    }
}

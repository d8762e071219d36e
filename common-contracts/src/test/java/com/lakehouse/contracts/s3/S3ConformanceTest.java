package com.lakehouse.contracts.s3;

import com.lakehouse.contracts.testing.S3ProxyServer;
import io.minio.MinioClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exactly what the fleet relies on from an S3 server, and nothing more: read-after-write, list-after-write,
 * conditional puts (create-if-absent under contention, compare-and-swap one writer at a time), multipart upload, ranged
 * read and delete. It runs against the embedded server in the test command; to qualify another server (SeaweedFS,
 * Ceph RGW, a cloud S3), point it there:
 *
 * <pre>LAKEHOUSE_S3_CONFORMANCE_ENDPOINT=http://host:8333 LAKEHOUSE_S3_CONFORMANCE_ACCESS_KEY=…
 * LAKEHOUSE_S3_CONFORMANCE_SECRET_KEY=… mvn -pl common-contracts test -Dtest=S3ConformanceTest</pre>
 *
 * Every run works under a fresh prefix, so it can be pointed at a shared bucket.
 */
class S3ConformanceTest {
    private static final int CONTENDERS = 16;
    private static S3ProxyServer server;
    private static ObjectStore store;

    @BeforeAll
    static void start() {
        String endpoint = System.getenv("LAKEHOUSE_S3_CONFORMANCE_ENDPOINT");
        String access = S3ProxyServer.ACCESS_KEY;
        String secret = S3ProxyServer.SECRET_KEY;
        if (endpoint == null || endpoint.isBlank()) {
            server = S3ProxyServer.start();
            endpoint = server.endpoint();
        } else {
            access = System.getenv("LAKEHOUSE_S3_CONFORMANCE_ACCESS_KEY");
            secret = System.getenv("LAKEHOUSE_S3_CONFORMANCE_SECRET_KEY");
        }
        String bucket = Optional.ofNullable(System.getenv("LAKEHOUSE_S3_CONFORMANCE_BUCKET")).orElse("conformance");
        MinioClient client = MinioClient.builder().endpoint(endpoint).credentials(access, secret).region("us-east-1").build();
        store = new ObjectStore(client, bucket, "conformance-" + UUID.randomUUID() + "/", 5L * 1024 * 1024);
        store.ensureBucket();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readAfterWriteSeesTheNewBytesAtOnce() {
        for (int i = 0; i < 20; i++) {
            store.put("raw/k", utf8("v" + i), "text/plain");
            assertEquals("v" + i, new String(store.get("raw/k").orElseThrow(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void listAfterWriteSeesEveryKeyAtOnce() {
        List<String> written = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            String key = String.format("list/%03d.json", i);
            store.put(key, utf8("{}"), "application/json");
            written.add(key);
            assertEquals(written, store.list("list/"), "listing right after writing " + key);
        }
    }

    @Test
    void createIfAbsentLetsExactlyOneOfManyConcurrentWritersWin() throws Exception {
        List<Boolean> outcomes = race(i -> store.putIfAbsent("cas/create", utf8("writer-" + i), "text/plain"));
        assertEquals(1, outcomes.stream().filter(b -> b).count(), "winners among " + outcomes);
        String stored = new String(store.get("cas/create").orElseThrow(), StandardCharsets.UTF_8);
        assertTrue(stored.startsWith("writer-"));
        assertFalse(store.putIfAbsent("cas/create", utf8("late"), "text/plain"), "an existing key is never replaced");
        assertEquals(stored, new String(store.get("cas/create").orElseThrow(), StandardCharsets.UTF_8));
    }

    @Test
    void compareAndSwapReplacesOnlyTheVersionRead() throws Exception {
        store.put("cas/swap", utf8("start"), "text/plain");
        ObjectStore.Versioned read = store.getVersioned("cas/swap").orElseThrow();
        assertEquals(read.etag(), store.etag("cas/swap").orElseThrow(), "GET and HEAD agree on the ETag");
        // One writer at a time: the embedded server's If-Match is not atomic under contention (see ObjectStore).
        assertTrue(store.putIfMatch("cas/swap", utf8("swap"), "text/plain", read.etag()));
        assertEquals("swap", new String(store.get("cas/swap").orElseThrow(), StandardCharsets.UTF_8));
        assertFalse(store.putIfMatch("cas/swap", utf8("stale"), "text/plain", read.etag()), "a stale ETag is refused");
        assertFalse(store.putIfMatch("cas/missing", utf8("x"), "text/plain", read.etag()), "no object, no match");
    }

    @Test
    void aSequenceAppendedByCreateIfAbsentLosesNoEntry() throws Exception {
        // How the fleet's many-writer logs agree: each writer claims the next free sequence number.
        int perWriter = 4;
        race(i -> {
            for (int done = 0; done < perWriter; ) {
                int next = store.list("seq/").size();
                if (store.putIfAbsent(String.format("seq/%08d", next), utf8("writer-" + i), "text/plain")) {
                    done++;
                }
            }
            return true;
        });
        List<String> keys = store.list("seq/");
        assertEquals(CONTENDERS * perWriter, keys.size());
        assertEquals(String.format("seq/%08d", CONTENDERS * perWriter - 1), keys.get(keys.size() - 1), "no gap");
    }

    @Test
    void multipartUploadOfUnknownSizeReadsBackWhole() {
        byte[] big = new byte[12 * 1024 * 1024 + 123];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31 + (i >>> 11));
        }
        store.put("multipart/blob", new ByteArrayInputStream(big), -1, "application/octet-stream");
        assertEquals(big.length, store.size("multipart/blob"));
        assertArrayEquals(big, store.get("multipart/blob").orElseThrow());
    }

    @Test
    void rangedReadReturnsJustTheRange() throws Exception {
        byte[] bytes = utf8("0123456789abcdefghij");
        store.put("range/obj", bytes, "application/octet-stream");
        try (InputStream in = store.openRange("range/obj", 5, 7).orElseThrow()) {
            assertEquals("56789ab", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void deleteRemovesTheObjectFromReadsAndListings() {
        store.put("delete/one", utf8("x"), "text/plain");
        store.put("delete/two", utf8("y"), "text/plain");
        store.delete("delete/one");
        assertTrue(store.get("delete/one").isEmpty());
        assertFalse(store.exists("delete/one"));
        assertEquals(List.of("delete/two"), store.list("delete/"));
        store.delete("delete/one"); // deleting a missing key is not an error
        assertTrue(store.putIfAbsent("delete/one", utf8("again"), "text/plain"), "a deleted key can be created again");
    }

    @FunctionalInterface
    private interface Contender {
        boolean run(int index) throws Exception;
    }

    /** Runs CONTENDERS writers released at the same instant; their outcomes in order. */
    private static List<Boolean> race(Contender contender) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CONTENDERS);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Boolean>> futures = new ArrayList<>();
            for (int i = 0; i < CONTENDERS; i++) {
                int index = i;
                Callable<Boolean> task = () -> {
                    go.await();
                    return contender.run(index);
                };
                futures.add(pool.submit(task));
            }
            go.countDown();
            List<Boolean> outcomes = new ArrayList<>();
            for (Future<Boolean> f : futures) {
                outcomes.add(f.get());
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }
}

package com.lakehouse.vectord.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.lakehouse.contracts.json.Json;
import com.lakehouse.contracts.s3.ObjectStore;
import com.lakehouse.contracts.testing.S3ProxyServer;
import io.minio.MinioClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Fault tests against the packaged daemon (target/quarkus-app/quarkus-run.jar) as a real process and a real S3
 * server: kill -9 during a stream of adds loses no acknowledged write; a corrupted payload in the newest
 * generation is refused and the previous generation (plus the WAL) serves.
 */
class CrashRecoveryIT {
    static final int DIM = 8;
    static S3ProxyServer s3;
    static ObjectStore store;
    static String bucket = "crash-" + UUID.randomUUID().toString().substring(0, 8);
    static Path dataDir;
    static Path logDir;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    Process proc;
    int port;
    int starts;

    @BeforeAll
    static void s3() throws IOException {
        s3 = S3ProxyServer.start();
        store = new ObjectStore(MinioClient.builder().endpoint(s3.endpoint())
                .credentials(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY).build(), bucket, "", 5 << 20);
        dataDir = Files.createTempDirectory("vectord-it");
        logDir = Paths.get("target", "it-logs");
        Files.createDirectories(logDir);
    }

    @AfterAll
    static void stopS3() {
        if (s3 != null) {
            s3.close();
        }
    }

    @AfterEach
    void stopDaemon() throws InterruptedException {
        kill9();
    }

    void startDaemon() throws Exception {
        port = S3ProxyServer.freePort();
        String jar = System.getProperty("vectord.jar", "target/quarkus-app/quarkus-run.jar");
        assertTrue(Files.exists(Path.of(jar)), "packaged jar missing: " + jar);
        List<String> cmd = List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "--add-modules", "jdk.incubator.vector",
                "-Dquarkus.http.port=" + port,
                "-Dlakehouse.s3.endpoint=" + s3.endpoint(),
                "-Dlakehouse.s3.bucket=" + bucket,
                "-Dlakehouse.s3.access-key=" + S3ProxyServer.ACCESS_KEY,
                "-Dlakehouse.s3.secret-key=" + S3ProxyServer.SECRET_KEY,
                "-Dlakehouse.observer-client.enabled=false",
                "-Dlakehouse.vectord.data-dir=" + dataDir,
                "-Dlakehouse.vectord.snapshot-interval=1h",
                "-Dlakehouse.vectord.snapshot-after-writes=100000000",
                "-jar", jar);
        proc = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(logDir.resolve("vectord-" + (++starts) + "-" + port + ".log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            assertTrue(proc.isAlive(), "vectord exited with " + (proc.isAlive() ? "" : proc.exitValue()) + "; see " + logDir);
            try {
                if (http.send(HttpRequest.newBuilder(uri("/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        fail("vectord did not become ready; see " + logDir);
    }

    void kill9() throws InterruptedException {
        if (proc != null && proc.isAlive()) {
            proc.destroyForcibly();
            proc.waitFor(30, TimeUnit.SECONDS);
        }
        proc = null;
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    HttpResponse<String> call(String method, String path, Object body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(Json.mapper().writeValueAsString(body)));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode ok(String method, String path, Object body) throws IOException, InterruptedException {
        HttpResponse<String> r = call(method, path, body);
        assertTrue(r.statusCode() / 100 == 2, method + " " + path + " -> " + r.statusCode() + " " + r.body());
        return Json.mapper().readTree(r.body());
    }

    static List<Map<String, Object>> batch(String prefix, int from, int n, Random rnd) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            float[] v = new float[DIM];
            for (int j = 0; j < DIM; j++) {
                v[j] = rnd.nextFloat();
            }
            items.add(Map.of("id", prefix + i, "vector", v, "metadata", Map.of("n", i)));
        }
        return items;
    }

    void awaitJob(String id) throws Exception {
        for (int i = 0; i < 1200; i++) {
            JsonNode j = ok("GET", "/v1/vectors/jobs/" + id, null);
            String state = j.get("state").asText();
            if (state.equals("succeeded")) {
                return;
            }
            assertFalse(state.equals("failed") || state.equals("cancelled"), j.toString());
            Thread.sleep(100);
        }
        fail("job " + id + " did not finish");
    }

    @Test
    void killNineDuringAddsLosesNoAcknowledgedWrite() throws Exception {
        startDaemon();
        ok("POST", "/v1/vectors/index", Map.of("name", "crash", "dimension", DIM, "distance", "cosine"));
        ConcurrentLinkedQueue<String> acknowledged = new ConcurrentLinkedQueue<>();
        // Four concurrent writers, so adds share group commits (one WAL fsync for several requests) when killed.
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            String prefix = w == 0 ? "c-" : "c" + w + "-";
            int seed = 7 + w;
            writers.add(new Thread(() -> {
            Random rnd = new Random(seed);
            for (int b = 0; ; b++) {
                List<Map<String, Object>> items = batch(prefix, b * 5, 5, rnd);
                try {
                    HttpResponse<String> r = call("POST", "/v1/vectors/index/crash/add", Map.of("items", items));
                    if (r.statusCode() != 200) {
                        return;
                    }
                } catch (Exception e) {
                    return;
                }
                items.forEach(it -> acknowledged.add((String) it.get("id")));
            }
            }));
        }
        writers.forEach(Thread::start);
        while (acknowledged.size() < 150) {
            Thread.sleep(20);
        }
        // A generation in the middle of the stream: the restart must combine it with the WAL after it.
        String save = ok("POST", "/v1/vectors/index/crash/save", null).get("id").asText();
        awaitJob(save);
        HttpResponse<String> del = call("DELETE", "/v1/vectors/index/crash/items/c-3", null);
        assertEquals(200, del.statusCode(), del.body());
        acknowledged.remove("c-3");
        int before = acknowledged.size();
        while (acknowledged.size() < before + 200) {
            Thread.sleep(20);
        }
        kill9();
        for (Thread writer : writers) {
            writer.join(60_000);
            assertFalse(writer.isAlive());
        }
        List<String> acked = new ArrayList<>(acknowledged);

        startDaemon();
        JsonNode stats = ok("GET", "/v1/vectors/index/crash", null);
        assertTrue(stats.get("count").asInt() >= acked.size(), stats.toString());
        for (String id : acked) {
            HttpResponse<String> r = call("GET", "/v1/vectors/index/crash/items/" + id, null);
            assertEquals(200, r.statusCode(), "acknowledged id " + id + " lost after kill -9");
        }
        assertEquals(404, call("GET", "/v1/vectors/index/crash/items/c-3", null).statusCode(), "acknowledged delete lost");
        // The mid-stream generation carried its HNSW graph: the restart installed it (no rebuild) and replayed
        // the WAL written after it on top.
        String metrics = call("GET", "/q/metrics", null).body();
        // (Other tests' indexes share the bucket and restore too; none of them may need a rebuild.)
        assertTrue(metrics.contains("vectord_restores_total{outcome=\"graph_rebuilt\"} 0.0"), metrics);
        assertFalse(metrics.contains("vectord_restores_total{outcome=\"graph_loaded\"} 0.0"), metrics);
        assertTrue(metrics.contains("vectord_index_vectors{index=\"crash\"} " + stats.get("count").asInt() + ".0"),
                "index size gauge");
        JsonNode hits = ok("POST", "/v1/vectors/index/crash/search",
                Map.of("vector", new float[]{1, 1, 1, 1, 1, 1, 1, 1}, "k", 5));
        assertEquals(5, hits.get("results").size());
    }

    @Test
    void corruptedPayloadIsRefusedAndThePreviousGenerationServes() throws Exception {
        startDaemon();
        Random rnd = new Random(9);
        ok("POST", "/v1/vectors/index", Map.of("name", "fb", "dimension", DIM, "distance", "euclidean"));
        ok("POST", "/v1/vectors/index/fb/add", Map.of("items", batch("a-", 0, 40, rnd)));
        awaitJob(ok("POST", "/v1/vectors/index/fb/save", null).get("id").asText());
        long good = ok("GET", "/v1/vectors/index/fb", null).get("generation").asLong();
        ok("POST", "/v1/vectors/index/fb/add", Map.of("items", batch("b-", 0, 40, rnd)));
        awaitJob(ok("POST", "/v1/vectors/index/fb/save", null).get("id").asText());
        long newest = ok("GET", "/v1/vectors/index/fb", null).get("generation").asLong();
        assertTrue(newest > good);
        ok("POST", "/v1/vectors/index/fb/add", Map.of("items", batch("c-", 0, 10, rnd)));
        kill9();

        JsonNode manifest = Json.mapper().readTree(store.get("vectors/fb/v2/" + newest + "/manifest.json").orElseThrow());
        String key = manifest.get("payloads").get(0).get("key").asText();
        byte[] payload = store.get(key).orElseThrow();
        payload[payload.length - 20] ^= 0x7f;
        store.put(key, payload, "application/octet-stream");

        startDaemon();
        JsonNode stats = ok("GET", "/v1/vectors/index/fb", null);
        assertEquals(good, stats.get("generation").asLong(), stats.toString());
        assertTrue(stats.get("warnings").toString().contains("sha256 mismatch"), stats.toString());
        // The older generation plus the WAL kept since it: nothing acknowledged is missing.
        assertEquals(90, stats.get("count").asInt(), stats.toString());
        for (String id : List.of("a-0", "a-39", "b-0", "b-39", "c-0", "c-9")) {
            assertEquals(200, call("GET", "/v1/vectors/index/fb/items/" + id, null).statusCode(), id);
        }
        // The next save skips the refused generation number instead of overwriting it.
        awaitJob(ok("POST", "/v1/vectors/index/fb/save", null).get("id").asText());
        assertTrue(ok("GET", "/v1/vectors/index/fb", null).get("generation").asLong() > newest);
    }
}

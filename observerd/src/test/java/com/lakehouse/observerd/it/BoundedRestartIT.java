package com.lakehouse.observerd.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.lakehouse.contracts.json.Json;
import com.lakehouse.contracts.s3.ObjectStore;
import com.lakehouse.contracts.testing.S3ProxyServer;
import io.minio.MinioClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The packaged observerd (target/quarkus-app) as a real process under its production JAVA_OPTS (read from
 * deploy/systemd/lakehouse-observerd.service at test time), started over an S3 history larger than its whole
 * heap: it must become ready, serve the newest operations from memory, and page the older ones from S3 by cursor.
 * Before the byte budget, start-up replayed every segment into memory and died with OutOfMemoryError.
 */
class BoundedRestartIT {
    static final int OPS_PER_SEGMENT = 128;
    static final int PAYLOAD = 16 * 1024;
    /** The newest segments are "recent"; everything older is "archive" and lies beyond the memory budget. */
    static final int RECENT_SEGMENTS = 24;

    static S3ProxyServer s3;
    static ObjectStore store;
    static String bucket = "bounded-" + UUID.randomUUID().toString().substring(0, 8);
    static Process proc;
    static int port;
    static int segments;
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void fillHistoryAndStart() throws Exception {
        List<String> javaOpts = productionJavaOpts();
        long heap = xmxBytes(javaOpts);
        s3 = S3ProxyServer.start();
        store = new ObjectStore(MinioClient.builder().endpoint(s3.endpoint())
                .credentials(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY).build(), bucket, "", 5 << 20);
        store.ensureBucket();
        // a quarter more history than the whole heap, in observerd's own layout, all inside the reload window,
        // written straight into the S3 server's filesystem bucket (seconds, where 160 MB of PUTs take a minute)
        Path bucketDir = s3.dataDir().resolve(bucket);
        long segmentBytes = (long) OPS_PER_SEGMENT * PAYLOAD;
        segments = (int) ((heap + heap / 4) / segmentBytes) + 1;
        assertTrue(segments > RECENT_SEGMENTS + 4, "history too small for the heap " + heap);
        // many small objects, as search results are: parsed into a tree they cost several times their JSON
        StringBuilder items = new StringBuilder("[");
        for (int k = 0; items.length() < PAYLOAD - 40; k++) {
            items.append(k == 0 ? "" : ",").append("{\"id\":\"W-").append(10000 + k).append("\",\"s\":0.").append(k % 1000).append('}');
        }
        String payload = items.append(']').toString();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        String day = today.toString().replace('-', '/');
        String stamp = today.toString().replace("-", "") + "T000000000Z";
        Instant t0 = today.atStartOfDay().toInstant(ZoneOffset.UTC);
        for (int s = 0; s < segments; s++) {
            Path file = bucketDir.resolve("observer/ops/" + day + "/" + stamp + "-fill-" + String.format("%06d", s) + ".jsonl");
            Files.createDirectories(file.getParent());
            try (var seg = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
                for (int i = 0; i < OPS_PER_SEGMENT; i++) {
                    String line = "{\"op_id\":\"" + id(s, i) + "\",\"timestamp\":\"" + t0.plusMillis((long) s * OPS_PER_SEGMENT + i)
                            + "\",\"source\":\"" + (s < segments - RECENT_SEGMENTS ? "archive" : "recent")
                            + "\",\"endpoint\":\"/v1/matrix/search\",\"success\":true,\"result\":{\"results\":" + payload + "}}\n";
                    seg.write(line.getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        assertEquals(segments, store.list("observer/ops/").size(), "the S3 server lists what was written");
        start(javaOpts);
    }

    static String id(int segment, int line) {
        return "h-" + segment + "-" + line;
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (proc != null && proc.isAlive()) {
            proc.destroyForcibly();
            proc.waitFor(30, TimeUnit.SECONDS);
        }
        if (s3 != null) {
            s3.close();
        }
    }

    /** The JAVA_OPTS of the systemd unit, exactly as production runs observerd. */
    static List<String> productionJavaOpts() throws IOException {
        Path unit = root().resolve("deploy/systemd/lakehouse-observerd.service");
        Matcher m = Pattern.compile("^Environment=\"JAVA_OPTS=([^\"]*)\"", Pattern.MULTILINE).matcher(Files.readString(unit));
        assertTrue(m.find(), "no JAVA_OPTS line in " + unit);
        return new ArrayList<>(Arrays.asList(m.group(1).trim().split("\\s+")));
    }

    static long xmxBytes(List<String> opts) {
        for (String o : opts) {
            Matcher m = Pattern.compile("-Xmx(\\d+)([kKmMgG]?)").matcher(o);
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2).toLowerCase()) {
                    case "k" -> n << 10;
                    case "m" -> n << 20;
                    case "g" -> n << 30;
                    default -> n;
                };
            }
        }
        throw new AssertionError("no -Xmx in " + opts);
    }

    static Path root() {
        String r = System.getProperty("lakehouse.root");
        if (r != null && Files.exists(Path.of(r, "deploy/systemd"))) {
            return Path.of(r);
        }
        Path here = Path.of("").toAbsolutePath();
        while (here != null && !Files.exists(here.resolve("deploy/systemd"))) {
            here = here.getParent();
        }
        assertNotNull(here, "repository root not found");
        return here;
    }

    static void start(List<String> javaOpts) throws Exception {
        port = S3ProxyServer.freePort();
        String jar = System.getProperty("observerd.jar", "target/quarkus-app/quarkus-run.jar");
        assertTrue(Files.exists(Path.of(jar)), "packaged jar missing: " + jar);
        Path logs = Paths.get("target", "it-logs");
        Files.createDirectories(logs);
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(javaOpts);
        cmd.addAll(List.of("-Dquarkus.http.port=" + port,
                "-Dlakehouse.s3.endpoint=" + s3.endpoint(),
                "-Dlakehouse.s3.bucket=" + bucket,
                "-Dlakehouse.s3.access-key=" + S3ProxyServer.ACCESS_KEY,
                "-Dlakehouse.s3.secret-key=" + S3ProxyServer.SECRET_KEY,
                "-Dlakehouse.observer-client.enabled=false",
                "-Dlakehouse.observerd.spool-dir=" + Files.createTempDirectory("observerd-it-spool"),
                "-jar", jar));
        Path log = logs.resolve("observerd-bounded-" + port + ".log");
        proc = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            assertTrue(proc.isAlive(), "observerd exited with " + (proc.isAlive() ? "" : proc.exitValue())
                    + " starting over " + segments + " segments; see " + log);
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
        fail("observerd did not become ready; see " + log);
    }

    static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    static JsonNode get(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), path + " -> " + r.body());
        return Json.mapper().readTree(r.body());
    }

    static List<String> ids(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.get("ops").forEach(o -> out.add(o.get("op_id").asText()));
        return out;
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void startsOverMoreHistoryThanItsHeapServesTheNewestAndPagesTheRestFromS3() throws Exception {
        int last = segments - 1;
        int end = OPS_PER_SEGMENT - 1;
        JsonNode stats = get("/v1/observer/stats");
        assertFalse(stats.get("counts_cover_all_history").asBoolean(), stats.toString());
        assertTrue(stats.get("ring_bytes").asLong() <= stats.get("ring_max_bytes").asLong(), stats.toString());
        assertTrue(stats.get("in_ring").asLong() < (long) segments * OPS_PER_SEGMENT, stats.toString());
        assertFalse(stats.get("by_source").has("archive"), "archive ops are beyond the budget: " + stats.get("by_source"));

        // newest first: the end of the newest segment, from memory
        JsonNode newest = get("/v1/observer/ops?order=desc&limit=5");
        assertEquals(List.of(id(last, end), id(last, end - 1), id(last, end - 2), id(last, end - 3), id(last, end - 4)),
                ids(newest));

        // older than anything in memory, newest first: paged from S3 by cursor (a page may come back empty with a
        // cursor when it has read its share of segments)
        List<String> archive = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 20 && archive.size() < 10; page++) {
            JsonNode p = get("/v1/observer/ops?order=desc&source=archive&limit=5" + (cursor == null ? "" : "&cursor=" + enc(cursor)));
            archive.addAll(ids(p));
            cursor = p.path("next_cursor").isNull() ? null : p.path("next_cursor").asText();
            assertNotNull(cursor, "history ended early: " + archive);
        }
        int lastArchive = segments - RECENT_SEGMENTS - 1;
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            expected.add(id(lastArchive, end - i));
        }
        assertEquals(expected, archive);

        // arrival order from the start of history: the oldest operations, never loaded, then onward by cursor
        JsonNode first = get("/v1/observer/ops?limit=3");
        assertEquals(List.of(id(0, 0), id(0, 1), id(0, 2)), ids(first));
        JsonNode second = get("/v1/observer/ops?limit=3&cursor=" + enc(first.get("next_cursor").asText()));
        assertEquals(List.of(id(0, 3), id(0, 4), id(0, 5)), ids(second));

        // and it still takes new operations, newest first right away
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(uri("/v1/observer/event"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"op_id\":\"fresh-1\",\"source\":\"it\",\"endpoint\":\"/x\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, post.statusCode(), post.body());
        assertEquals(List.of("fresh-1"), ids(get("/v1/observer/ops?order=desc&limit=1")));
    }
}

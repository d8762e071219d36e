package com.lakehouse.distilld.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import com.lakehouse.contracts.s3.ObjectStore;
import com.lakehouse.contracts.testing.S3ProxyServer;
import com.lakehouse.distilld.store.Blobs;
import com.lakehouse.distilld.store.S3Blobs;
import io.minio.MinioClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 24: the export streams. 10,000 small synthetic runs (evidence and scored files in the bucket's layout, on
 * a real S3 server) are exported by a child JVM with {@code -Xmx32m}, where the in-memory export (every run parsed
 * and held, every file read whole) runs out of heap. The output must be complete and correct, and the work
 * directory empty afterwards.
 */
class StreamingExportTest {
    static final int RUNS = 10_000;
    static final int DAYS = 4;
    static final int ORPHANS = 3;  // scored runs without evidence: quarantined by the loader
    static S3ProxyServer server;
    static ObjectStore store;
    static String bucket;

    @BeforeAll
    static void fill() throws Exception {
        long t0 = System.nanoTime();
        server = S3ProxyServer.start();
        bucket = "stream-" + Long.toHexString(System.nanoTime());
        store = new ObjectStore(MinioClient.builder().endpoint(server.endpoint())
                .credentials(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY).region("us-east-1").build(),
                bucket, "", 5L * 1024 * 1024);
        write(new S3Blobs(store), RUNS);
        System.out.printf("S3 server and %d synthetic runs ready in %.1f s%n", RUNS, (System.nanoTime() - t0) / 1e9);
    }

    /**
     * Synthetic runs in the bucket's layout, spread over {@link #DAYS} days: run i is in task i/4 and is accepted,
     * partially_accepted, rejected or needs_human_review by i % 4; the last {@link #ORPHANS} are scored without
     * evidence. Also used by hand to run the old export on the same data ({@code main(dir, runs)}).
     */
    static void write(Blobs blobs, int runs) throws Exception {
        List<ByteArrayOutputStream> ev = new ArrayList<>();
        List<ByteArrayOutputStream> sc = new ArrayList<>();
        for (int d = 0; d < DAYS; d++) {
            ev.add(new ByteArrayOutputStream());
            sc.add(new ByteArrayOutputStream());
        }
        for (int i = 0; i < runs + ORPHANS; i++) {
            int day = i % DAYS;
            String runId = String.format("r%06d", i);
            String task = String.format("t%05d", i / 4);
            String ts = String.format("2026-11-%02dT10:%02d:%02dZ", 20 + day, (i / 60) % 60, i % 60);
            String cat = switch (i % 4) {
                case 0 -> "accepted";
                case 1 -> "partially_accepted";
                case 2 -> "rejected";
                default -> "needs_human_review";
            };
            double score = switch (i % 4) {
                case 0 -> 1.0;
                case 1 -> 0.75;
                case 2 -> 0.25;
                default -> 0.5;
            };
            String file = String.format("observer/ops/2026/11/%02d/seg.jsonl", 20 + day);
            Rows.Provenance prov = new Rows.Provenance(file, i + 1, Canon.sha256(runId), ts);
            JsonNode input = JsonNodeFactory.instance.objectNode().put("message", "question number " + i + " about shift staffing");
            if (i < runs) {
                Rows.Evidence e = new Rows.Evidence(runId, task, ts, "evidence.v1", "chat", "generator", input,
                        TextNode.valueOf("answer number " + i + " with a plan"), null,
                        new Rows.Outcome(!"rejected".equals(cat), null, 12L, "/v1/chat", "chatd"), prov, List.of("synthetic"));
                ev.get(day).write(Canon.JSON.writeValueAsBytes(e));
                ev.get(day).write('\n');
            }
            Rows.Scored s = new Rows.Scored(runId, task, ts, "chat", Scorer.VERSION, cat, score,
                    "rejected".equals(cat) ? List.of("observer verdict: failed") : List.of(),
                    new Rows.SubScores(1.0, null, null, null, "rejected".equals(cat) ? 0.0 : 1.0),
                    "rejected".equals(cat) || "needs_human_review".equals(cat), List.of(), prov);
            sc.get(day).write(Canon.JSON.writeValueAsBytes(s));
            sc.get(day).write('\n');
        }
        for (int d = 0; d < DAYS; d++) {
            blobs.put(String.format("distill/evidence/2026/11/%02d/evidence.jsonl", 20 + d), ev.get(d).toByteArray());
            blobs.put(String.format("distill/scored/2026/11/%02d/scored.jsonl", 20 + d), sc.get(d).toByteArray());
        }
    }

    public static void main(String[] args) throws Exception {
        write(new com.lakehouse.distilld.store.DirBlobs(Path.of(args[0])), Integer.parseInt(args[1]));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void manyRunsExportUnderASmallHeap() throws Exception {
        Path work = Files.createTempDirectory("distill-stream-work");
        Path log = Files.createTempFile("distill-stream", ".log");
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx32m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                StreamingExportMain.class.getName(), server.endpoint(), S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY,
                bucket, work.toString(), String.valueOf(4L * 1024 * 1024))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean done = p.waitFor(5, TimeUnit.MINUTES);
        String out = Files.readString(log);
        if (!done) {
            p.destroyForcibly();
        }
        assertTrue(done && p.exitValue() == 0, "the export under -Xmx32m failed:\n" + tail(out));
        System.out.printf("child export of %d runs: %.1f s, %s%n", RUNS, (System.nanoTime() - t0) / 1e9, out.strip());

        S3Blobs blobs = new S3Blobs(store);
        List<JsonNode> sft = Exports.readNodes(blobs, Exports.SFT_KEY);
        List<JsonNode> rag = Exports.readNodes(blobs, Exports.RAG_KEY);
        List<JsonNode> pref = Exports.readNodes(blobs, Exports.PREFERENCE_KEY);
        assertEquals(RUNS / 4, sft.size(), "SFT: only the accepted quarter");
        assertEquals(RUNS / 2, rag.size(), "RAG: accepted and partial");
        assertEquals(RUNS / 4, pref.size(), "one pair per task");
        assertSortedAndDistinct(sft, "id");
        assertSortedAndDistinct(rag, "id");
        assertSortedAndDistinct(pref, "id");
        for (JsonNode n : sft) {
            assertEquals("accepted", n.path("category").asText());
            assertEquals(0, Integer.parseInt(n.path("run_id").asText().substring(1)) % 4);
        }
        for (JsonNode n : pref) {
            int chosen = Integer.parseInt(n.path("chosen_run_id").asText().substring(1));
            int rejected = Integer.parseInt(n.path("rejected_run_id").asText().substring(1));
            assertEquals(0, chosen % 4, "the accepted run is the task's best");
            assertEquals(2, rejected % 4);
            assertEquals(chosen / 4, rejected / 4, "pairs stay within a task");
            assertEquals(String.format("t%05d", chosen / 4), n.path("task_id").asText());
        }
        assertEquals(RUNS * 3 / 4, lines(Exports.QUARANTINE_PREFIX + "sft.jsonl"));
        assertEquals(RUNS / 2, lines(Exports.QUARANTINE_PREFIX + "rag.jsonl"));
        List<JsonNode> loader = Exports.readNodes(blobs, Exports.QUARANTINE_PREFIX + "loader.jsonl");
        assertEquals(ORPHANS, loader.size());
        loader.forEach(n -> assertEquals("missing_provenance", n.path("reason").asText()));

        JsonNode manifest = Canon.JSON.readTree(store.get(Exports.MANIFEST_KEY).orElseThrow());
        assertEquals(RUNS, manifest.path("runs").asLong());
        manifest.path("sha256").fields().forEachRemaining(e ->
                assertEquals(e.getValue().asText(), Canon.sha256(store.get(e.getKey()).orElseThrow()), e.getKey()));
        try (Stream<Path> left = Files.walk(work)) {
            assertEquals(List.of(work), left.toList(), "temporary files are deleted after the export");
        }
    }

    private static long lines(String key) {
        return new String(store.get(key).orElseThrow(), StandardCharsets.UTF_8).lines().count();
    }

    private static void assertSortedAndDistinct(List<JsonNode> rows, String field) {
        for (int i = 1; i < rows.size(); i++) {
            String a = rows.get(i - 1).path(field).asText();
            String b = rows.get(i).path(field).asText();
            assertTrue(a.compareTo(b) < 0, "rows out of order at " + i + ": " + a + " then " + b);
        }
    }

    private static String tail(String s) {
        return s.length() > 3000 ? s.substring(s.length() - 3000) : s;
    }
}

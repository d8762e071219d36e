package com.lakehouse.vectord.store;

import com.lakehouse.contracts.json.Json;
import com.lakehouse.contracts.s3.ObjectStore;
import com.lakehouse.contracts.testing.S3ProxyServer;
import com.lakehouse.vectord.service.Distance;
import com.lakehouse.vectord.service.Entry;
import com.lakehouse.vectord.service.IndexParams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** WAL replay and torn tails, the payload codec, and v2/v1 envelopes against a real S3 server. */
class PersistenceTest {
    static S3ProxyServer s3;
    static ObjectStore store;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startS3() {
        s3 = S3ProxyServer.start();
        store = s3.objectStore("persist-test");
    }

    @AfterAll
    static void stopS3() {
        if (s3 != null) {
            s3.close();
        }
    }

    static List<Entry> items(String prefix, int n, int dim) {
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] v = new float[dim];
            for (int j = 0; j < dim; j++) {
                v[j] = i + j / 10f;
            }
            out.add(new Entry(prefix + i, v, i % 3 == 0 ? null : Map.of("i", i, "name", "n" + i)));
        }
        return out;
    }

    @Test
    void walReplaysInOrderAndTruncatesATornTail() throws IOException {
        Path dir = tmp.resolve("wal");
        Wal wal = new Wal(dir);
        wal.replay(0, r -> fail("empty log"));
        wal.openForAppend();
        assertEquals(1, wal.appendAdd(items("a", 3, 4)));
        assertEquals(2, wal.appendDelete(List.of("a1")));
        wal.rotate();
        assertEquals(3, wal.appendAdd(List.of(new Entry("b", new float[]{1, 2, 3, 4}, Map.of("k", List.of("x", "y"))))));
        wal.close();
        // A crash mid-append leaves half a frame at the end.
        Path last = wal.segments().get(wal.segments().size() - 1);
        Files.write(last, new byte[]{0, 0, 0, 40, 1, 2, 3}, StandardOpenOption.APPEND);
        long sizeWithGarbage = Files.size(last);

        Wal again = new Wal(dir);
        Map<String, Entry> state = new LinkedHashMap<>();
        List<Long> seqs = new ArrayList<>();
        int fed = again.replay(0, r -> {
            seqs.add(r.seq());
            r.adds().forEach(e -> state.put(e.id(), e));
            r.deletes().forEach(state::remove);
        });
        assertEquals(3, fed);
        assertEquals(List.of(1L, 2L, 3L), seqs);
        assertEquals(List.of("a0", "a2", "b"), new ArrayList<>(state.keySet()));
        assertNull(state.get("a0").metadata());
        assertEquals(Map.of("i", 2, "name", "n2"), state.get("a2").metadata());
        assertEquals(Map.of("k", List.of("x", "y")), state.get("b").metadata());
        assertArrayEquals(new float[]{1, 2, 3, 4}, state.get("b").vector());
        assertEquals(sizeWithGarbage - 7, Files.size(last), "torn tail truncated");
        assertEquals(3, again.lastSeq());
        // Replay after a generation's seq feeds only newer records; appends continue the sequence.
        assertEquals(1, again.replay(2, r -> assertEquals(3, r.seq())));
        again.openForAppend();
        assertEquals(4, again.appendDelete(List.of("b")));
        again.rotate();
        again.deleteUpTo(2);
        assertEquals(2, again.segments().size(), "segment holding 1..2 deleted, 3..4 and the open one kept");
        again.close();
    }

    @Test
    void payloadCodecRoundTripsAndRefusesGarbage() throws IOException {
        List<Entry> in = items("p", 50, 8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PayloadCodec.write(out, 8, in);
        List<Entry> back = PayloadCodec.read(new ByteArrayInputStream(out.toByteArray()), 8);
        assertEquals(in.size(), back.size());
        for (int i = 0; i < in.size(); i++) {
            assertEquals(in.get(i).id(), back.get(i).id());
            assertArrayEquals(in.get(i).vector(), back.get(i).vector());
            assertEquals(in.get(i).metadata(), back.get(i).metadata());
        }
        assertThrows(IOException.class, () -> PayloadCodec.read(new ByteArrayInputStream(out.toByteArray()), 9));
        byte[] bad = out.toByteArray();
        bad[0] = 'X';
        assertThrows(IOException.class, () -> PayloadCodec.read(new ByteArrayInputStream(bad), 8));
        byte[] cut = java.util.Arrays.copyOf(out.toByteArray(), out.size() - 10);
        assertThrows(IOException.class, () -> PayloadCodec.read(new ByteArrayInputStream(cut), 8));
    }

    @Test
    void checksumMismatchFallsBackToThePreviousGeneration() throws IOException {
        EnvelopeStore env = new EnvelopeStore(store, tmp.resolve("t1"));
        IndexParams p = new IndexParams("fallback", 4, Distance.COSINE, 12, 80, 40);
        env.save(p, 1, 5, items("g1-", 10, 4), null, 4, Instant.now());
        env.save(p, 2, 9, items("g2-", 12, 4), null, 5, Instant.now());
        EnvelopeStore.Loaded ok = env.load("fallback").orElseThrow();
        assertEquals(2, ok.generation());
        assertEquals(12, ok.items().size());
        assertEquals(9, ok.walSeq());
        assertEquals(12, ok.params().m());
        byte[] manifest = store.get(EnvelopeStore.manifestKey("fallback", 2)).orElseThrow();
        var node = Json.mapper().readTree(manifest);
        assertEquals(2, node.get("envelope_version").asInt());
        assertEquals(12, node.get("ids").size());
        assertEquals(3, node.get("payloads").size());

        // Flip bytes in one payload of generation 2: refused (sha256), generation 1 serves.
        String key = node.get("payloads").get(1).get("key").asText();
        byte[] payload = store.get(key).orElseThrow();
        payload[payload.length / 2] ^= 0x55;
        store.put(key, payload, "application/octet-stream");
        EnvelopeStore.Loaded fb = env.load("fallback").orElseThrow();
        assertEquals(1, fb.generation());
        assertEquals(10, fb.items().size());
        assertTrue(fb.warnings().get(0).contains("sha256 mismatch"), fb.warnings().toString());
        // The next generation number skips the refused one.
        assertEquals(3, env.nextGeneration("fallback", 2));
    }

    @Test
    void aStoredGraphLoadsAndADamagedOneOnlyCostsARebuild() throws IOException {
        EnvelopeStore env = new EnvelopeStore(store, tmp.resolve("tg"));
        IndexParams p = new IndexParams("withgraph", 4, Distance.EUCLIDEAN, 8, 40, 20);
        com.lakehouse.vectord.service.VectorIndex idx = new com.lakehouse.vectord.service.VectorIndex(p);
        List<Entry> all = items("g", 40, 4);
        idx.writeLock().lock();
        com.lakehouse.vectord.service.GraphSnapshot graph;
        try {
            idx.upsert(idx.resolve(all), 1, 256);
            graph = idx.exportGraph();
        } finally {
            idx.writeLock().unlock();
        }
        env.save(p, 1, 3, idx.snapshot(), graph, 15, Instant.now());
        var manifest = Json.mapper().readTree(store.get(EnvelopeStore.manifestKey("withgraph", 1)).orElseThrow());
        assertEquals("vectord-graph", manifest.get("graph_format").asText());
        assertEquals(1, manifest.get("graph_format_version").asInt());
        String graphKey = manifest.get("graph").get("key").asText();
        assertTrue(graphKey.endsWith("/1/graph.bin"), graphKey);
        assertEquals(64, manifest.get("graph").get("sha256").asText().length());

        EnvelopeStore.Loaded ok = env.load("withgraph").orElseThrow();
        assertNotNull(ok.graph());
        assertEquals(40, ok.graph().liveNodes());
        assertTrue(ok.warnings().isEmpty(), ok.warnings().toString());

        // A flipped byte in the graph: the items are intact and verified, so the same generation serves and the
        // graph is rebuilt from them (with a warning), rather than falling back to an older generation.
        byte[] g = store.get(graphKey).orElseThrow();
        g[g.length / 2] ^= 0x11;
        store.put(graphKey, g, "application/octet-stream");
        EnvelopeStore.Loaded damaged = env.load("withgraph").orElseThrow();
        assertEquals(1, damaged.generation());
        assertEquals(40, damaged.items().size());
        assertNull(damaged.graph());
        assertTrue(damaged.warnings().get(0).contains("graph of generation 1 of withgraph not used")
                && damaged.warnings().get(0).contains("sha256 mismatch"), damaged.warnings().toString());

        // A graph format this build does not know: the same.
        ((com.fasterxml.jackson.databind.node.ObjectNode) manifest).put("graph_format_version", 7);
        store.put(EnvelopeStore.manifestKey("withgraph", 1), Json.mapper().writeValueAsBytes(manifest), "application/json");
        EnvelopeStore.Loaded unknown = env.load("withgraph").orElseThrow();
        assertNull(unknown.graph());
        assertEquals(40, unknown.items().size());
        assertTrue(unknown.warnings().get(0).contains("v7"), unknown.warnings().toString());
    }

    @Test
    void unknownEnvelopeVersionIsRefusedAndHalfWrittenGenerationsAreIgnored() throws IOException {
        EnvelopeStore env = new EnvelopeStore(store, tmp.resolve("t2"));
        IndexParams p = new IndexParams("versions", 4, Distance.DOT, 16, 100, 50);
        env.save(p, 1, 0, items("a", 3, 4), null, 100, Instant.now());
        env.save(p, 2, 0, items("b", 4, 4), null, 100, Instant.now());
        // A crash mid-save of generation 3: a payload but no manifest, current.json untouched.
        store.put("vectors/versions/v2/3/items-00000.bin", new byte[]{1, 2, 3}, null);
        assertEquals(2, env.load("versions").orElseThrow().generation());
        assertEquals(4, env.nextGeneration("versions", 1));
        // A manifest from the future.
        var node = (com.fasterxml.jackson.databind.node.ObjectNode) Json.mapper()
                .readTree(store.get(EnvelopeStore.manifestKey("versions", 2)).orElseThrow());
        node.put("envelope_version", 3);
        store.put(EnvelopeStore.manifestKey("versions", 2), Json.mapper().writeValueAsBytes(node), "application/json");
        EnvelopeStore.Loaded l = env.load("versions").orElseThrow();
        assertEquals(1, l.generation());
        assertTrue(l.warnings().get(0).contains("unknown envelope_version 3"), l.warnings().toString());
        // Nothing loadable at all: a clear refusal, not an empty index.
        store.put(EnvelopeStore.manifestKey("versions", 1), Json.mapper().writeValueAsBytes(node), "application/json");
        EnvelopeStore.RefusedException e = assertThrows(EnvelopeStore.RefusedException.class, () -> env.load("versions"));
        assertTrue(e.getMessage().contains("no loadable generation"));
        assertTrue(env.load("absent").isEmpty());
    }

    @Test
    void v1EnvelopeLoadsWithIdsFromMetadataKeys() throws IOException {
        EnvelopeStore env = new EnvelopeStore(store, tmp.resolve("t3"));
        ByteBuffer vec = ByteBuffer.allocate(3 * 2 * 4).order(ByteOrder.LITTLE_ENDIAN);
        vec.putFloat(1).putFloat(0).putFloat(0).putFloat(1).putFloat(0.5f).putFloat(0.5f);
        store.put("vectors/legacy/v1/7/vectors.f32", vec.array(), null);
        store.put("vectors/legacy/v1/7/metadata.json",
                "{\"w-1\":{\"role\":\"welder\"},\"w-2\":null,\"w-3\":{\"role\":\"driver\"}}".getBytes(), "application/json");
        store.put("vectors/legacy/v1/7/manifest.json", ("{\"envelope_version\":1,\"name\":\"legacy\",\"dimension\":2,"
                + "\"distance\":\"cosine\",\"count\":3,\"vectors\":\"vectors/legacy/v1/7/vectors.f32\","
                + "\"metadata\":\"vectors/legacy/v1/7/metadata.json\"}").getBytes(), "application/json");
        store.put(EnvelopeStore.currentKey("legacy"),
                "{\"envelope_version\":1,\"manifest\":\"vectors/legacy/v1/7/manifest.json\"}".getBytes(), "application/json");
        EnvelopeStore.Loaded l = env.load("legacy").orElseThrow();
        assertEquals(1, l.envelopeVersion());
        assertEquals(List.of("w-1", "w-2", "w-3"), l.items().stream().map(Entry::id).toList());
        assertArrayEquals(new float[]{0, 1}, l.items().get(1).vector());
        assertEquals(Map.of("role", "driver"), l.items().get(2).metadata());
        assertTrue(env.listIndexes().contains("legacy"));
    }
}

package com.lakehouse.vectord.service;

import com.lakehouse.vectord.store.GraphCodec;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The stored graph: export, our codec, install; identical answers without a rebuild, and safe fallbacks. */
class GraphRestoreTest {
    static final int DIM = 24;

    static VectorIndex indexWithTombstones() {
        float[][] data = VectorIndexTest.clustered(1500, DIM, 12, 7);
        VectorIndex idx = VectorIndexTest.build(Distance.COSINE, data, 2);
        idx.writeLock().lock();
        try {
            for (int i = 0; i < 100; i++) {
                idx.remove("id-" + i);
            }
            // A changed vector for an existing id leaves a tombstone behind in the library's graph.
            List<Entry> moved = new ArrayList<>();
            for (int i = 100; i < 150; i++) {
                float[] v = data[i + 500].clone();
                moved.add(new Entry("id-" + i, v, Map.of("moved", true)));
            }
            idx.upsert(idx.resolve(moved), 1, 256);
        } finally {
            idx.writeLock().unlock();
        }
        return idx;
    }

    /** Exports under the write lock, as a save does. */
    static GraphSnapshot exported(VectorIndex idx) {
        idx.writeLock().lock();
        try {
            return idx.exportGraph();
        } finally {
            idx.writeLock().unlock();
        }
    }

    static GraphSnapshot roundTrip(GraphSnapshot g) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        GraphCodec.write(out, DIM, g);
        return GraphCodec.read(new ByteArrayInputStream(out.toByteArray()), DIM);
    }

    static List<String> ids(List<VectorIndex.Hit> hits) {
        return hits.stream().map(h -> h.entry().id()).toList();
    }

    @Test
    void restoredGraphAnswersExactlyLikeTheOriginalWithoutARebuild() throws IOException {
        VectorIndex original = indexWithTombstones();
        assertEquals(1400, original.size());
        assertEquals(150, original.tombstones(), "100 removals and 50 moved vectors stay as tombstones");
        assertTrue(original.graphWorthStoring(0.25), "150 tombstones for 1400 items is under a quarter");
        assertFalse(original.graphWorthStoring(0.1), "but over a tenth: such a save stores no graph");
        GraphSnapshot g = exported(original);
        assertNotNull(g, "hnswlib-core's fields are readable in this build");
        assertEquals(1400, g.liveNodes());
        assertEquals(150, g.tombstones());
        GraphSnapshot back = roundTrip(g);
        assertEquals(g.nodeCount(), back.nodeCount());
        assertEquals(g.entryPoint(), back.entryPoint());
        for (int i = 0; i < g.nodeCount(); i++) {
            assertEquals(g.ids()[i], back.ids()[i]);
            assertTrue(Arrays.deepEquals(g.connections()[i], back.connections()[i]), "links of node " + i);
        }

        VectorIndex restored = new VectorIndex(original.params());
        restored.writeLock().lock();
        try {
            assertTrue(restored.restore(original.params(), original.snapshot(), back, 2), "graph installed");
        } finally {
            restored.writeLock().unlock();
        }
        assertEquals(1400, restored.size());
        assertEquals(150, restored.tombstones());
        float[][] queries = VectorIndexTest.clustered(40, DIM, 12, 99);
        for (float[] q : queries) {
            // Same graph, same entry point, same ef: the same walk, so the very same answer.
            assertEquals(ids(original.search(q, 10, 30, null, 0)), ids(restored.search(q, 10, 30, null, 0)));
        }
        // Removed ids stay gone; moved ids carry their new metadata.
        assertNull(restored.get("id-5"));
        assertEquals(Boolean.TRUE, restored.get("id-120").metadata().get("moved"));

        // And the restored graph keeps taking writes: a new item is found as its own nearest neighbour.
        restored.writeLock().lock();
        try {
            restored.upsert(List.of(new Entry("fresh", queries[0], null)), 1, 256);
            assertTrue(restored.remove("id-200"));
        } finally {
            restored.writeLock().unlock();
        }
        assertEquals("fresh", restored.search(queries[0], 1, 50, null, 0).get(0).entry().id());
        assertNull(restored.get("id-200"));
    }

    @Test
    void aGraphThatDoesNotFitTheItemsIsRebuiltInstead() {
        VectorIndex original = indexWithTombstones();
        GraphSnapshot g = exported(original);
        List<Entry> fewer = new ArrayList<>(original.snapshot());
        Entry dropped = fewer.remove(0);
        VectorIndex restored = new VectorIndex(original.params());
        restored.writeLock().lock();
        try {
            assertFalse(restored.restore(original.params(), fewer, g, 2), "live nodes and items differ: rebuilt");
        } finally {
            restored.writeLock().unlock();
        }
        assertEquals(1399, restored.size());
        assertEquals(0, restored.tombstones(), "a rebuilt graph has no tombstones");
        assertNull(restored.get(dropped.id()));
        float[] q = fewer.get(10).vector();
        assertEquals(fewer.get(10).id(), restored.search(q, 1, 50, null, 0).get(0).entry().id());

        // A link to a node that does not exist is refused the same way.
        int[][][] conns = g.connections().clone();
        int victim = 0;
        while (g.ids()[victim] == null || g.deleted()[victim]) {
            victim++;
        }
        conns[victim] = new int[][]{{g.nodeCount() + 5}};
        GraphSnapshot broken = new GraphSnapshot(g.nodeCount(), g.entryPoint(), g.ids(), g.deleted(),
                g.tombstoneVectors(), conns);
        VectorIndex again = new VectorIndex(original.params());
        again.writeLock().lock();
        try {
            assertFalse(again.restore(original.params(), original.snapshot(), broken, 1));
        } finally {
            again.writeLock().unlock();
        }
        assertEquals(1400, again.size());
    }

    @Test
    void codecRefusesTruncationAndUnknownVersions() throws IOException {
        VectorIndex idx = VectorIndexTest.build(Distance.EUCLIDEAN, VectorIndexTest.clustered(50, DIM, 3, 1), 1);
        GraphSnapshot g = idx.exportGraph();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        GraphCodec.write(out, DIM, g);
        byte[] bytes = out.toByteArray();
        assertThrows(IOException.class,
                () -> GraphCodec.read(new ByteArrayInputStream(Arrays.copyOf(bytes, bytes.length - 9)), DIM));
        byte[] v9 = bytes.clone();
        v9[7] = 9;
        IOException version = assertThrows(IOException.class, () -> GraphCodec.read(new ByteArrayInputStream(v9), DIM));
        assertTrue(version.getMessage().contains("version 9"), version.getMessage());
        IOException dim = assertThrows(IOException.class, () -> GraphCodec.read(new ByteArrayInputStream(bytes), DIM + 1));
        assertTrue(dim.getMessage().contains("dimension"), dim.getMessage());
    }
}

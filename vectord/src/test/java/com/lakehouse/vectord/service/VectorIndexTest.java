package com.lakehouse.vectord.service;

import com.lakehouse.contracts.error.ApiException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

class VectorIndexTest {

    static float[][] clustered(int n, int dim, int clusters, long seed) {
        Random r = new Random(seed);
        float[][] centers = new float[clusters][dim];
        for (float[] c : centers) {
            for (int j = 0; j < dim; j++) {
                c[j] = (float) r.nextGaussian();
            }
        }
        float[][] out = new float[n][dim];
        for (int i = 0; i < n; i++) {
            float[] c = centers[r.nextInt(clusters)];
            for (int j = 0; j < dim; j++) {
                out[i][j] = c[j] + (float) (0.3 * r.nextGaussian());
            }
        }
        return out;
    }

    static float[][] normalized(float[][] in) {
        float[][] out = new float[in.length][];
        for (int i = 0; i < in.length; i++) {
            double n = 0;
            for (float x : in[i]) {
                n += x * x;
            }
            out[i] = new float[in[i].length];
            for (int j = 0; j < in[i].length; j++) {
                out[i][j] = (float) (in[i][j] / Math.sqrt(n));
            }
        }
        return out;
    }

    static VectorIndex build(Distance d, float[][] data, int threads) {
        VectorIndex idx = new VectorIndex(new IndexParams("t", data[0].length, d, 16, 100, 64));
        List<Entry> batch = new ArrayList<>();
        for (int i = 0; i < data.length; i++) {
            batch.add(new Entry("id-" + i, data[i], Map.of("parity", i % 2 == 0 ? "even" : "odd", "n", i,
                    "tags", List.of("t" + (i % 7)))));
        }
        idx.writeLock().lock();
        try {
            idx.upsert(idx.resolve(batch), threads, 256);
        } finally {
            idx.writeLock().unlock();
        }
        return idx;
    }

    @Test
    void distancesAndScores() {
        float[] a = {1, 0};
        float[] b = {0, 1};
        float[] c = {3, 4};
        assertEquals(1.0, Distance.COSINE.distance(a, b), 1e-6);
        assertEquals(0.0, Distance.COSINE.score(Distance.COSINE.distance(a, b)), 1e-6);
        assertEquals(5.0, Distance.EUCLIDEAN.distance(new float[]{0, 0}, c), 1e-5);
        assertEquals(1.0 / 6.0, Distance.EUCLIDEAN.score(5.0), 1e-9);
        assertEquals(1 - 3.0, Distance.DOT.distance(a, c), 1e-6);
        assertEquals(3.0, Distance.DOT.score(Distance.DOT.distance(a, c)), 1e-6);
        assertNull(Distance.parse("manhattan"));
        assertEquals(1.0, Distance.COSINE.distance(new float[]{0, 0}, a), 1e-6, "zero vector: orthogonal, not NaN");
    }

    @Test
    void kernelsAgreeWithADoublePrecisionReference() {
        Random r = new Random(5);
        for (int len : new int[]{1, 3, 7, 16, 17, 384, 385}) {
            float[] a = new float[len];
            float[] b = new float[len];
            double dot = 0, na = 0, nb = 0, l2 = 0;
            for (int i = 0; i < len; i++) {
                a[i] = (float) r.nextGaussian();
                b[i] = (float) r.nextGaussian();
                dot += (double) a[i] * b[i];
                na += (double) a[i] * a[i];
                nb += (double) b[i] * b[i];
                l2 += ((double) a[i] - b[i]) * ((double) a[i] - b[i]);
            }
            assertEquals(1 - dot, Distance.DOT.distance(a, b), 1e-3 * Math.max(1, Math.abs(dot)), "dot " + len);
            assertEquals(1 - dot / Math.sqrt(na * nb), Distance.COSINE.distance(a, b), 1e-4, "cosine " + len);
            assertEquals(Math.sqrt(l2), Distance.EUCLIDEAN.distance(a, b), 1e-3 * Math.max(1, Math.sqrt(l2)), "l2 " + len);
        }
    }

    @Test
    void recallAgainstExactForAllDistances() {
        float[][] data = clustered(2000, 24, 20, 1);
        float[][] queries = clustered(40, 24, 20, 2);
        for (Distance d : Distance.values()) {
            // Inner product is not a metric: HNSW recall on it is only good for normalized vectors, which is
            // how dot indexes are meant to be used (docs/vectord.md).
            float[][] set = d == Distance.DOT ? normalized(data) : data;
            VectorIndex idx = build(d, set, 2);
            assertEquals(2000, idx.size());
            int hit = 0;
            for (float[] q : queries) {
                Set<String> exact = new HashSet<>();
                idx.exactSearch(q, 10, null).forEach(h -> exact.add(h.entry().id()));
                List<VectorIndex.Hit> approx = idx.search(q, 10, 100, null, 5000);
                assertEquals(10, approx.size());
                for (int i = 1; i < approx.size(); i++) {
                    assertTrue(approx.get(i - 1).distance() <= approx.get(i).distance(), "sorted by distance");
                }
                for (VectorIndex.Hit h : approx) {
                    if (exact.contains(h.entry().id())) {
                        hit++;
                    }
                }
            }
            double recall = hit / (10.0 * queries.length);
            assertTrue(hit > 0);
            assertTrue(recall >= 0.9, d + " recall@10 " + recall);
        }
    }

    @Test
    void filteredSearchReturnsKWhenKMatchExist() {
        float[][] data = clustered(4000, 16, 10, 3);
        VectorIndex idx = build(Distance.COSINE, data, 2);
        float[] q = data[17];
        // Selective filter (3 matching items): exact scan, all three come back.
        List<VectorIndex.Hit> few = idx.search(q, 10, 0, MetadataFilter.compile("filter", Map.of("n", List.of(5, 6, 7.0))), 500);
        assertEquals(Set.of("id-5", "id-6", "id-7"), ids(few));
        // Broad filter through the HNSW path (exact-scan limit 10): k results, all matching, equal to exact.
        MetadataFilter odd = MetadataFilter.compile("filter", Map.of("parity", "odd", "tags", "t3"));
        List<VectorIndex.Hit> hits = idx.search(q, 50, 10, odd, 10);
        assertEquals(50, hits.size());
        for (VectorIndex.Hit h : hits) {
            assertEquals("odd", h.entry().metadata().get("parity"));
            assertTrue(((List<?>) h.entry().metadata().get("tags")).contains("t3"));
        }
        // Nothing matches: empty, not an error.
        assertTrue(idx.search(q, 5, 0, MetadataFilter.compile("filter", Map.of("parity", "none")), 10).isEmpty());
    }

    @Test
    void filterRefusesNestedObjectsNamingTheField() {
        ApiException e = assertThrows(ApiException.class,
                () -> MetadataFilter.compile("filter", Map.of("city", Map.of("x", 1))));
        assertEquals("filter.city", e.field());
        assertEquals(400, e.status());
    }

    @Test
    void duplicatesLastWinsAndNullMetadataKeeps() {
        VectorIndex idx = new VectorIndex(new IndexParams("t", 2, Distance.EUCLIDEAN, 16, 100, 64));
        idx.writeLock().lock();
        try {
            idx.upsert(idx.resolve(List.of(new Entry("a", new float[]{1, 1}, Map.of("v", 1)))), 1, 256);
            List<Entry> r = idx.resolve(List.of(
                    new Entry("a", new float[]{2, 2}, null),
                    new Entry("b", new float[]{0, 0}, Map.of("v", "first")),
                    new Entry("b", new float[]{5, 5}, null)));
            idx.upsert(r, 1, 256);
        } finally {
            idx.writeLock().unlock();
        }
        assertEquals(2, idx.size());
        assertArrayEquals(new float[]{2, 2}, idx.get("a").vector());
        assertEquals(Map.of("v", 1), idx.get("a").metadata());
        assertArrayEquals(new float[]{5, 5}, idx.get("b").vector());
        assertEquals(Map.of("v", "first"), idx.get("b").metadata());
        // The graph follows the replaced vector.
        assertEquals("b", idx.search(new float[]{5, 5}, 1, 0, null, 10).get(0).entry().id());
        idx.writeLock().lock();
        try {
            assertTrue(idx.remove("b"));
            assertFalse(idx.remove("b"));
        } finally {
            idx.writeLock().unlock();
        }
        assertEquals(List.of("a"), idx.search(new float[]{5, 5}, 5, 0, null, 10).stream().map(h -> h.entry().id()).toList());
    }

    @Test
    void searchesRunWhileWritesGoOn() throws Exception {
        float[][] data = clustered(6000, 16, 10, 4);
        VectorIndex idx = new VectorIndex(new IndexParams("t", 16, Distance.COSINE, 16, 64, 32));
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            Future<?> writer = pool.submit(() -> {
                for (int i = 0; i < data.length; i += 100) {
                    List<Entry> b = new ArrayList<>();
                    for (int j = i; j < i + 100; j++) {
                        b.add(new Entry("id-" + j, data[j], null));
                    }
                    idx.writeLock().lock();
                    try {
                        idx.upsert(idx.resolve(b), 1, 1000);
                        if (i % 1000 == 0 && i > 0) {
                            idx.remove("id-" + (i - 1));
                        }
                    } finally {
                        idx.writeLock().unlock();
                    }
                }
            });
            List<Future<Integer>> readers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                readers.add(pool.submit(() -> {
                    int searches = 0;
                    Random r = new Random();
                    while (!writer.isDone()) {
                        List<VectorIndex.Hit> hits = idx.search(data[r.nextInt(data.length)], 5, 0, null, 100);
                        assertTrue(hits.size() <= 5);
                        searches++;
                    }
                    return searches;
                }));
            }
            writer.get(120, TimeUnit.SECONDS);
            for (Future<Integer> f : readers) {
                assertTrue(f.get(60, TimeUnit.SECONDS) >= 0);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(6000 - 5, idx.size());
        assertEquals(5, idx.search(data[0], 5, 0, null, 100).size());
    }

    private static Set<String> ids(List<VectorIndex.Hit> hits) {
        Set<String> s = new HashSet<>();
        hits.forEach(h -> s.add(h.entry().id()));
        return s;
    }
}

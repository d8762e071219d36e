package com.lakehouse.vectord.bench;

import com.lakehouse.contracts.s3.ObjectStore;
import com.lakehouse.contracts.testing.S3ProxyServer;
import com.lakehouse.vectord.service.Distance;
import com.lakehouse.vectord.service.Entry;
import com.lakehouse.vectord.service.IndexParams;
import com.lakehouse.vectord.service.VectorIndex;
import com.lakehouse.vectord.store.EnvelopeStore;
import io.minio.MinioClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * In-process benchmark (plain main, test scope; run by bench/vectord/run.sh): clustered vectors, build
 * throughput, heap per vector, recall@10 and QPS of HNSW against exact search, save/restore through a real S3
 * server (S3Proxy) with payload bytes. Sizes via -Dn, -Ddim, -Dclusters, -Dqueries, -Dthreads, -Ddistance; the
 * search ef values via -Defs=10,20,40,100,200; -Ds3=false skips save/restore, -Drebuild=true times a rebuild.
 */
public final class VectordBench {
    public static void main(String[] args) throws Exception {
        int n = Integer.getInteger("n", 100_000);
        int dim = Integer.getInteger("dim", 384);
        int clusters = Integer.getInteger("clusters", 100);
        int queries = Integer.getInteger("queries", 200);
        int threads = Integer.getInteger("threads", Runtime.getRuntime().availableProcessors());
        int m = Integer.getInteger("m", 16);
        int efc = Integer.getInteger("efc", 200);
        Distance distance = Distance.parse(System.getProperty("distance", "cosine"));
        boolean s3 = Boolean.parseBoolean(System.getProperty("s3", "true"));
        out("config: n=%d dim=%d clusters=%d queries=%d threads=%d m=%d ef_construction=%d distance=%s cpus=%d",
                n, dim, clusters, queries, threads, m, efc, distance.wire(), Runtime.getRuntime().availableProcessors());

        Random r = new Random(42);
        float[][] centers = new float[clusters][dim];
        for (float[] c : centers) {
            for (int j = 0; j < dim; j++) {
                c[j] = (float) r.nextGaussian();
            }
        }
        List<Entry> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            items.add(new Entry("v-" + i, around(centers[r.nextInt(clusters)], r), Map.of("cluster", i % clusters)));
        }
        float[][] qs = new float[queries][];
        for (int i = 0; i < queries; i++) {
            qs[i] = around(centers[r.nextInt(clusters)], r);
        }

        long heapBefore = usedHeap(); // the items (vectors, ids, metadata) already exist: this measures the index
        VectorIndex idx = new VectorIndex(new IndexParams("bench", dim, distance, m, efc, 100));
        long t0 = System.nanoTime();
        int chunk = 10_000;
        idx.writeLock().lock();
        try {
            for (int i = 0; i < n; i += chunk) {
                idx.upsert(idx.resolve(items.subList(i, Math.min(n, i + chunk))), threads, 256);
            }
        } finally {
            idx.writeLock().unlock();
        }
        double buildS = (System.nanoTime() - t0) / 1e9;
        out("build: %d vectors in %.1f s = %.0f vectors/s", n, buildS, n / buildS);
        long heapAfter = usedHeap();
        out("heap: %.0f bytes/vector for graph + id map on top of the item itself (float[%d] = %d bytes + id + metadata)",
                (heapAfter - heapBefore) / (double) n, dim, dim * 4 + 16);

        // Exact reference and its QPS.
        List<Set<String>> truth = new ArrayList<>();
        t0 = System.nanoTime();
        for (float[] q : qs) {
            Set<String> s = new HashSet<>();
            idx.exactSearch(q, 10, null).forEach(h -> s.add(h.entry().id()));
            truth.add(s);
        }
        double exactQps = queries / ((System.nanoTime() - t0) / 1e9);
        out("exact: %.1f QPS (single thread, k=10)", exactQps);
        int[] efs = java.util.Arrays.stream(System.getProperty("efs", "10,20,40,100,200").split(","))
                .mapToInt(x -> Integer.parseInt(x.trim())).toArray();
        for (int ef : efs) {
            // warm-up pass, then the measured pass
            for (float[] q : qs) {
                idx.search(q, 10, ef, null, 5000);
            }
            int hit = 0;
            t0 = System.nanoTime();
            List<List<VectorIndex.Hit>> res = new ArrayList<>();
            for (float[] q : qs) {
                res.add(idx.search(q, 10, ef, null, 5000));
            }
            double qps = queries / ((System.nanoTime() - t0) / 1e9);
            for (int i = 0; i < queries; i++) {
                for (VectorIndex.Hit h : res.get(i)) {
                    if (truth.get(i).contains(h.entry().id())) {
                        hit++;
                    }
                }
            }
            out("hnsw ef=%d: recall@10 %.3f, %.0f QPS (single thread) = %.1fx exact", ef, hit / (10.0 * queries), qps, qps / exactQps);
        }

        if (s3) {
            Path tmp = Files.createTempDirectory("vectord-bench");
            try (S3ProxyServer server = S3ProxyServer.start()) {
                ObjectStore store = new ObjectStore(MinioClient.builder().endpoint(server.endpoint())
                        .credentials(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY).build(), "bench", "", 16 << 20);
                EnvelopeStore env = new EnvelopeStore(store, tmp);
                List<Entry> snap = idx.snapshot();
                t0 = System.nanoTime();
                com.lakehouse.vectord.service.GraphSnapshot graph = idx.exportGraph();
                out("graph export: %.2f s (%d nodes)", (System.nanoTime() - t0) / 1e9, graph.nodeCount());
                t0 = System.nanoTime();
                EnvelopeStore.Saved saved = env.save(idx.params(), 1, 0, snap, graph, 100_000, Instant.now());
                double saveS = (System.nanoTime() - t0) / 1e9;
                out("save: %d payload bytes (%.1f MiB) in %.2f s = %.1f MiB/s (to S3Proxy on local disk, multipart)",
                        saved.payloadBytes(), saved.payloadBytes() / 1048576.0, saveS, saved.payloadBytes() / 1048576.0 / saveS);
                t0 = System.nanoTime();
                EnvelopeStore.Loaded loaded = env.load("bench").orElseThrow();
                double readS = (System.nanoTime() - t0) / 1e9;
                VectorIndex back = new VectorIndex(loaded.params());
                t0 = System.nanoTime();
                back.writeLock().lock();
                boolean used;
                try {
                    used = back.restore(loaded.params(), loaded.items(), loaded.graph(), threads);
                } finally {
                    back.writeLock().unlock();
                }
                double installS = (System.nanoTime() - t0) / 1e9;
                out("restore with the stored graph: download+verify+decode %.2f s, install %.2f s (graph used: %s)",
                        readS, installS, used);
                double rebuildS = Double.NaN;
                if (Boolean.parseBoolean(System.getProperty("rebuild", String.valueOf(n <= 200_000)))) {
                    VectorIndex rebuilt = new VectorIndex(loaded.params());
                    t0 = System.nanoTime();
                    rebuilt.writeLock().lock();
                    try {
                        rebuilt.replaceAll(loaded.params(), loaded.items(), threads);
                    } finally {
                        rebuilt.writeLock().unlock();
                    }
                    rebuildS = (System.nanoTime() - t0) / 1e9;
                }
                out("restore without it: graph rebuild %.1f s (NaN = skipped, -Drebuild=true to run), %d items",
                        rebuildS, back.size());
            }
        }
    }

    static float[] around(float[] c, Random r) {
        float[] v = new float[c.length];
        for (int j = 0; j < c.length; j++) {
            v[j] = c[j] + (float) (0.5 * r.nextGaussian());
        }
        return v;
    }

    static long usedHeap() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    static void out(String fmt, Object... args) {
        System.out.println(String.format(Locale.ROOT, fmt, args));
    }
}

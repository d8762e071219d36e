package com.lakehouse.vectord.bench;

import com.lakehouse.vectord.service.Distance;
import com.lakehouse.vectord.service.Entry;
import com.lakehouse.vectord.service.IndexParams;
import com.lakehouse.vectord.service.VectorIndex;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * JMH (bench/vectord/jmh.sh): single-thread search throughput of HNSW against the exact scan on the same
 * clustered 384-d index, and one distance evaluation. The ratio hnsw/exact is the "x exact QPS" of the issue;
 * recall is measured by {@link VectordBench}, which this complements with JMH's warm-up and error bars.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g"})
public class SearchJmh {
    @Param({"20000"})
    public int n;
    @Param({"100"})
    public int ef;
    @Param({"cosine"})
    public String distance;

    private VectorIndex index;
    private float[][] queries;
    private float[] a;
    private float[] b;
    private Distance dist;
    private int next;

    @Setup(Level.Trial)
    public void build() {
        int dim = 384;
        Random r = new Random(42);
        float[][] centers = new float[100][dim];
        for (float[] c : centers) {
            for (int j = 0; j < dim; j++) {
                c[j] = (float) r.nextGaussian();
            }
        }
        dist = Distance.parse(distance);
        index = new VectorIndex(new IndexParams("jmh", dim, dist, 16, 200, ef));
        List<Entry> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            items.add(new Entry("v-" + i, VectordBench.around(centers[r.nextInt(centers.length)], r), Map.of()));
        }
        index.writeLock().lock();
        try {
            index.upsert(index.resolve(items), Runtime.getRuntime().availableProcessors(), 256);
        } finally {
            index.writeLock().unlock();
        }
        queries = new float[256][];
        for (int i = 0; i < queries.length; i++) {
            queries[i] = VectordBench.around(centers[r.nextInt(centers.length)], r);
        }
        a = queries[0];
        b = queries[1];
    }

    private float[] query() {
        next = (next + 1) & (queries.length - 1);
        return queries[next];
    }

    @Benchmark
    public Object hnswSearchK10() {
        return index.search(query(), 10, ef, null, 0);
    }

    @Benchmark
    public Object exactSearchK10() {
        return index.exactSearch(query(), 10, null);
    }

    @Benchmark
    public float distance384() {
        return dist.distance(a, b);
    }
}

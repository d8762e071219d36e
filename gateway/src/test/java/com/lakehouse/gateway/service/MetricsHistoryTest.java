package com.lakehouse.gateway.service;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MetricsHistoryTest {
    private static final long S = 1_000_000_000L;

    private static NavigableMap<Double, Long> buckets(long le5ms, long le50ms, long le100ms, long inf) {
        TreeMap<Double, Long> b = new TreeMap<>();
        b.put(0.005, le5ms);
        b.put(0.05, le50ms);
        b.put(0.1, le100ms);
        b.put(Double.POSITIVE_INFINITY, inf);
        return b;
    }

    private static MetricsSnapshot snap(double uptime, long requests, long errors, long heap, NavigableMap<Double, Long> b) {
        return new MetricsSnapshot(uptime, heap, null, 1L, requests, errors, b, null, null);
    }

    private static MetricsSnapshot embedd(double uptime, long requests, long hits, long misses) {
        return new MetricsSnapshot(uptime, 10L, null, 1L, requests, 0, new TreeMap<>(), hits, misses);
    }

    private static MetricsHistory.DaemonSample one(String name, MetricsSnapshot s) {
        return new MetricsHistory.DaemonSample(name, List.of(new MetricsHistory.ReplicaSample("http://" + name, s)));
    }

    @Test
    void ratesAndP99AreOverTheIntervalSinceThePreviousSample() {
        MetricsHistory h = new MetricsHistory(10, 10_000);
        h.record(1_000, 0, List.of(one("matrixd", snap(5, 100, 1, 1000, buckets(10, 50, 100, 100)))));
        // 10 s later: 200 more requests (20 of them 5xx); of those 200: 100 <= 5 ms, 190 <= 50 ms, 198 <= 100 ms
        h.record(11_000, 10 * S, List.of(one("matrixd", snap(15, 300, 21, 2000, buckets(110, 240, 298, 300)))));
        MetricsHistory.History r = h.snapshot();
        assertEquals(2, r.samples());
        assertEquals(List.of(1_000L, 11_000L), r.times());
        MetricsHistory.Series m = r.daemons().get("matrixd");
        // the first sample is a baseline: no rate, but the heap is known
        assertNull(m.requestsPerSecond().get(0));
        assertNull(m.p99Ms().get(0));
        assertEquals(1000L, m.heapUsedBytes().get(0));
        assertEquals(20.0, m.requestsPerSecond().get(1), 1e-9);
        assertEquals(2.0, m.errorsPerSecond().get(1), 1e-9);
        assertEquals(2000L, m.heapUsedBytes().get(1));
        // rank 0.99 * 200 = 198 falls at the top of the (50 ms, 100 ms] bucket (190 -> 198)
        assertEquals(100.0, m.p99Ms().get(1), 1e-9);
    }

    @Test
    void quantileInterpolatesInsideTheBucketAndCapsAtTheLargestFiniteBound() {
        // 100 requests: 50 <= 5 ms, 100 <= 50 ms; the median sits at the top of the first bucket
        assertEquals(5.0, LatencyQuantile.millis(new TreeMap<>(), buckets(50, 100, 100, 100), 0.5), 1e-9);
        // p75: rank 75, 25 of the 50 in (5 ms, 50 ms] -> half way: 27.5 ms
        assertEquals(27.5, LatencyQuantile.millis(new TreeMap<>(), buckets(50, 100, 100, 100), 0.75), 1e-9);
        // every request slower than the largest bound: answered with that bound, as Prometheus does
        assertEquals(100.0, LatencyQuantile.millis(new TreeMap<>(), buckets(0, 0, 0, 10), 0.99), 1e-9);
        // no request in between, or no buckets at all: unknown
        assertNull(LatencyQuantile.millis(buckets(1, 2, 3, 4), buckets(1, 2, 3, 4), 0.99));
        assertNull(LatencyQuantile.millis(new TreeMap<>(), new TreeMap<>(), 0.99));
    }

    @Test
    void theRingKeepsOnlyTheNewestSamplesOldestFirst() {
        MetricsHistory h = new MetricsHistory(3, 10_000);
        for (int i = 0; i < 7; i++) {
            h.record(i * 10_000L, i * 10 * S, List.of(one("vectord", snap(i + 1, i * 10L, 0, i, new TreeMap<>()))));
        }
        MetricsHistory.History r = h.snapshot();
        assertEquals(3, r.capacity());
        assertEquals(3, r.samples());
        assertEquals(List.of(40_000L, 50_000L, 60_000L), r.times());
        assertEquals(List.of(4L, 5L, 6L), r.daemons().get("vectord").heapUsedBytes());
        assertEquals(List.of(1.0, 1.0, 1.0), r.daemons().get("vectord").requestsPerSecond());
        // no buckets from this daemon: no p99, never a made-up one
        assertEquals(java.util.Arrays.asList(null, null, null), r.daemons().get("vectord").p99Ms());
        assertThrows(IllegalArgumentException.class, () -> new MetricsHistory(0, 1));
    }

    @Test
    void aRestartOrADownReplicaGivesAGapNotANegativeRate() {
        MetricsHistory h = new MetricsHistory(10, 10_000);
        h.record(0, 0, List.of(one("chatd", snap(100, 500, 0, 1, new TreeMap<>()))));
        h.record(1, 10 * S, List.of(one("chatd", snap(2, 3, 0, 1, new TreeMap<>()))));       // restarted
        h.record(2, 20 * S, List.of(one("chatd", null)));                                     // down
        h.record(3, 30 * S, List.of(one("chatd", snap(22, 50, 0, 1, new TreeMap<>()))));      // back: new baseline
        h.record(4, 40 * S, List.of(one("chatd", snap(32, 150, 0, 1, new TreeMap<>()))));
        List<Double> rps = h.snapshot().daemons().get("chatd").requestsPerSecond();
        assertEquals(java.util.Arrays.asList(null, null, null, null, 10.0), rps);
        assertNull(h.snapshot().daemons().get("chatd").heapUsedBytes().get(2));
    }

    @Test
    void replicasAreSummedAndTheirBucketsMergedBeforeTheQuantile() {
        MetricsHistory h = new MetricsHistory(10, 10_000);
        MetricsHistory.DaemonSample t0 = new MetricsHistory.DaemonSample("pathwayd", List.of(
                new MetricsHistory.ReplicaSample("http://a", snap(1, 0, 0, 100, buckets(0, 0, 0, 0))),
                new MetricsHistory.ReplicaSample("http://b", snap(1, 0, 0, 200, buckets(0, 0, 0, 0)))));
        // a: 99 fast requests; b: one request slower than 100 ms. Merged p99 = rank 99 of 100 -> still <= 5 ms
        MetricsHistory.DaemonSample t1 = new MetricsHistory.DaemonSample("pathwayd", List.of(
                new MetricsHistory.ReplicaSample("http://a", snap(11, 99, 0, 100, buckets(99, 99, 99, 99))),
                new MetricsHistory.ReplicaSample("http://b", snap(11, 1, 1, 200, buckets(0, 0, 0, 1)))));
        h.record(0, 0, List.of(t0));
        h.record(1, 10 * S, List.of(t1));
        MetricsHistory.Series p = h.snapshot().daemons().get("pathwayd");
        assertEquals(10.0, p.requestsPerSecond().get(1), 1e-9);
        assertEquals(0.1, p.errorsPerSecond().get(1), 1e-9);
        assertEquals(300L, p.heapUsedBytes().get(1));
        assertEquals(5.0, p.p99Ms().get(1), 1e-9);
    }

    @Test
    void embedCacheHitRateOverTheIntervalAndSinceStart() {
        MetricsHistory h = new MetricsHistory(10, 10_000);
        h.record(0, 0, List.of(one("embedd", embedd(1, 0, 10, 10))));
        h.record(1, 10 * S, List.of(one("embedd", embedd(11, 5, 40, 20))));   // +30 hits, +10 misses
        h.record(2, 20 * S, List.of(one("embedd", embedd(21, 5, 40, 20))));   // no lookups: unknown, not 0
        MetricsHistory.History r = h.snapshot();
        assertEquals(java.util.Arrays.asList(null, 0.75, null), r.embedCacheHitRate());
        assertEquals(List.of(0.5, 40 / 60.0, 40 / 60.0), r.embedCacheHitRateTotal());
    }
}

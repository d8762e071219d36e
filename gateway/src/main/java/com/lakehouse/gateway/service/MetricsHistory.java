package com.lakehouse.gateway.service;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * The last few minutes of the fleet's numbers for the console's charts: a fixed ring of samples, each holding per
 * daemon requests/s, 5xx/s, p99 latency and heap in use, plus embedd's cache hit rate. Rates and the p99 are over
 * the time since the previous sample of the same replica (its counters' and latency buckets' growth), so every
 * point describes one interval; replicas of one daemon are summed (their buckets merged before the p99).
 * A replica that did not answer, answered for the first time, or restarted (a counter or its uptime went
 * backwards) gives no rate: null, drawn as a gap. Memory: {@code capacity} samples of fixed size plus one
 * baseline per replica URL. Plain Java; the clock is passed in.
 */
public final class MetricsHistory {
    /** One replica's scrape; {@code snapshot} null when it did not answer or its exposition was unreadable. */
    public record ReplicaSample(String url, MetricsSnapshot snapshot) {
    }

    /** One daemon's replicas at one tick. */
    public record DaemonSample(String name, List<ReplicaSample> replicas) {
    }

    /** One daemon over the ring, oldest first; one entry per sample, null where the number is unknown. */
    public record Series(List<Double> requestsPerSecond, List<Double> errorsPerSecond, List<Double> p99Ms,
                         List<Long> heapUsedBytes) {
    }

    /**
     * The ring, oldest first, in columns (as charting libraries want them): {@code times} in epoch milliseconds,
     * per daemon its {@link Series}, and embedd's cache hit rate over each interval (null without lookups) and
     * since its start.
     */
    public record History(long intervalMs, int capacity, int samples, List<Long> times, Map<String, Series> daemons,
                          List<Double> embedCacheHitRate, List<Double> embedCacheHitRateTotal) {
    }

    private record Point(Double rps, Double eps, Double p99, Long heap) {
    }

    private record Sample(long epochMillis, Map<String, Point> byDaemon, Double hitRate, Double hitRateTotal) {
    }

    private record Baseline(long nanos, MetricsSnapshot snapshot) {
    }

    static final String EMBEDD = "embedd";

    private final int capacity;
    private final long intervalMs;
    private final Sample[] ring;
    private int next;
    private int size;
    private final List<String> order = new ArrayList<>();
    private final Map<String, Baseline> baselines = new HashMap<>();

    public MetricsHistory(int capacity, long intervalMs) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.capacity = capacity;
        this.intervalMs = intervalMs;
        this.ring = new Sample[capacity];
    }

    /** Adds one tick's scrapes taken at {@code epochMillis} / {@code nanos} (System.nanoTime); drops the oldest when full. */
    public synchronized void record(long epochMillis, long nanos, List<DaemonSample> daemons) {
        Map<String, Point> points = new LinkedHashMap<>();
        Double hitRate = null;
        Double hitRateTotal = null;
        Set<String> seen = new HashSet<>();
        for (DaemonSample d : daemons) {
            if (!order.contains(d.name())) {
                order.add(d.name());
            }
            double rps = 0;
            double eps = 0;
            long heap = 0;
            boolean anyUp = false;
            boolean allRated = true;
            boolean heapKnown = true;
            long hits = 0;
            long lookups = 0;
            long hitsTotal = 0;
            long lookupsTotal = 0;
            boolean cacheSeen = false;
            TreeMap<Double, Long> before = new TreeMap<>();
            TreeMap<Double, Long> after = new TreeMap<>();
            for (ReplicaSample r : d.replicas()) {
                seen.add(r.url());
                MetricsSnapshot s = r.snapshot();
                if (s == null) {
                    baselines.remove(r.url());
                    continue;
                }
                anyUp = true;
                if (s.heapUsedBytes() == null) {
                    heapKnown = false;
                } else {
                    heap += s.heapUsedBytes();
                }
                if (s.cacheHits() != null && s.cacheMisses() != null) {
                    cacheSeen = true;
                    hitsTotal += s.cacheHits();
                    lookupsTotal += s.cacheHits() + s.cacheMisses();
                }
                Baseline b = baselines.put(r.url(), new Baseline(nanos, s));
                if (b == null || restarted(b.snapshot(), s) || nanos <= b.nanos()) {
                    allRated = false;
                    continue;
                }
                double seconds = (nanos - b.nanos()) / 1e9;
                rps += (s.requestsTotal() - b.snapshot().requestsTotal()) / seconds;
                eps += (s.errorsTotal() - b.snapshot().errorsTotal()) / seconds;
                merge(before, b.snapshot().latencyBuckets());
                merge(after, s.latencyBuckets());
                if (s.cacheHits() != null && s.cacheMisses() != null && b.snapshot().cacheHits() != null
                        && b.snapshot().cacheMisses() != null) {
                    hits += s.cacheHits() - b.snapshot().cacheHits();
                    lookups += s.cacheHits() - b.snapshot().cacheHits() + s.cacheMisses() - b.snapshot().cacheMisses();
                }
            }
            boolean rated = anyUp && allRated;
            points.put(d.name(), new Point(rated ? rps : null, rated ? eps : null,
                    rated ? LatencyQuantile.millis(before, after, 0.99) : null, anyUp && heapKnown ? heap : null));
            if (EMBEDD.equals(d.name()) && cacheSeen) {
                hitRate = rated && lookups > 0 ? (double) hits / lookups : null;
                hitRateTotal = lookupsTotal > 0 ? (double) hitsTotal / lookupsTotal : null;
            }
        }
        // replicas no longer configured do not keep a baseline forever
        baselines.keySet().retainAll(seen);
        ring[next] = new Sample(epochMillis, points, hitRate, hitRateTotal);
        next = (next + 1) % capacity;
        size = Math.min(size + 1, capacity);
    }

    public synchronized History snapshot() {
        List<Long> times = new ArrayList<>(size);
        List<Double> hit = new ArrayList<>(size);
        List<Double> hitTotal = new ArrayList<>(size);
        Map<String, Series> daemons = new LinkedHashMap<>();
        for (String name : order) {
            daemons.put(name, new Series(new ArrayList<>(size), new ArrayList<>(size), new ArrayList<>(size), new ArrayList<>(size)));
        }
        for (int i = 0; i < size; i++) {
            Sample s = ring[(next - size + i + capacity) % capacity];
            times.add(s.epochMillis());
            hit.add(s.hitRate());
            hitTotal.add(s.hitRateTotal());
            for (Map.Entry<String, Series> e : daemons.entrySet()) {
                Point p = s.byDaemon().get(e.getKey());
                Series out = e.getValue();
                out.requestsPerSecond().add(p == null ? null : p.rps());
                out.errorsPerSecond().add(p == null ? null : p.eps());
                out.p99Ms().add(p == null ? null : p.p99());
                out.heapUsedBytes().add(p == null ? null : p.heap());
            }
        }
        return new History(intervalMs, capacity, size, times, Collections.unmodifiableMap(daemons), hit, hitTotal);
    }

    private static boolean restarted(MetricsSnapshot before, MetricsSnapshot now) {
        return now.requestsTotal() < before.requestsTotal() || now.errorsTotal() < before.errorsTotal()
                || (now.uptimeSeconds() != null && before.uptimeSeconds() != null && now.uptimeSeconds() < before.uptimeSeconds());
    }

    private static void merge(TreeMap<Double, Long> into, NavigableMap<Double, Long> buckets) {
        buckets.forEach((le, n) -> into.merge(le, n, Long::sum));
    }
}

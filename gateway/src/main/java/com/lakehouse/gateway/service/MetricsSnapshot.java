package com.lakehouse.gateway.service;

import java.util.Collections;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The few numbers the console shows for one daemon, taken from its Prometheus samples: uptime, heap and non-heap
 * in use, and its HTTP request counters. Plain Java; the metric names are Micrometer's (docs/operations.md).
 *
 * @param uptimeSeconds    {@code process_uptime_seconds}; null when the daemon does not expose it
 * @param heapUsedBytes    sum of {@code jvm_memory_used_bytes{area="heap"}} over the heap pools; null without any
 * @param heapMaxBytes     sum of {@code jvm_memory_max_bytes{area="heap"}}; null when a pool has no limit (-1)
 * @param nonheapUsedBytes sum of {@code jvm_memory_used_bytes{area="nonheap"}}; null without any
 * @param requestsTotal    sum of every {@code http_server_requests_seconds_count} series: requests served since the
 *                         start (Quarkus does not count {@code /q/*}, and registers the series on the first request,
 *                         so none means 0)
 * @param errorsTotal      the same over the series whose {@code status} is 5xx
 * @param latencyBuckets   cumulative request counts by upper bound in seconds ({@code le}, +Inf included), summed
 *                         over every {@code http_server_requests_seconds_bucket} series; empty when the daemon
 *                         publishes no buckets (common-contracts' LatencyHistograms adds them to every daemon)
 * @param cacheHits        {@code embed_cache_hits_total} (embedd only); null elsewhere
 * @param cacheMisses      {@code embed_cache_misses_total} (embedd only); null elsewhere
 */
public record MetricsSnapshot(Double uptimeSeconds, Long heapUsedBytes, Long heapMaxBytes, Long nonheapUsedBytes,
                              long requestsTotal, long errorsTotal, NavigableMap<Double, Long> latencyBuckets,
                              Long cacheHits, Long cacheMisses) {
    static final String UPTIME = "process_uptime_seconds";
    static final String MEMORY_USED = "jvm_memory_used_bytes";
    static final String MEMORY_MAX = "jvm_memory_max_bytes";
    static final String REQUESTS = "http_server_requests_seconds_count";
    static final String REQUEST_BUCKETS = "http_server_requests_seconds_bucket";
    static final String CACHE_HITS = "embed_cache_hits_total";
    static final String CACHE_MISSES = "embed_cache_misses_total";

    /** A snapshot without latency buckets or cache counters. */
    public MetricsSnapshot(Double uptimeSeconds, Long heapUsedBytes, Long heapMaxBytes, Long nonheapUsedBytes,
                           long requestsTotal, long errorsTotal) {
        this(uptimeSeconds, heapUsedBytes, heapMaxBytes, nonheapUsedBytes, requestsTotal, errorsTotal,
                Collections.emptyNavigableMap(), null, null);
    }

    public static MetricsSnapshot of(List<PrometheusText.Sample> samples) {
        Double uptime = null;
        Sum heap = new Sum();
        Sum heapMax = new Sum();
        Sum nonheap = new Sum();
        double requests = 0;
        double errors = 0;
        TreeMap<Double, Double> buckets = new TreeMap<>();
        Double hits = null;
        Double misses = null;
        for (PrometheusText.Sample s : samples) {
            if (Double.isNaN(s.value())) {
                continue;
            }
            switch (s.name()) {
                case UPTIME -> uptime = s.value();
                case MEMORY_USED -> {
                    if ("heap".equals(s.label("area"))) {
                        heap.add(s.value());
                    } else if ("nonheap".equals(s.label("area"))) {
                        nonheap.add(s.value());
                    }
                }
                case MEMORY_MAX -> {
                    if ("heap".equals(s.label("area"))) {
                        heapMax.add(s.value());
                    }
                }
                case REQUESTS -> {
                    requests += s.value();
                    String status = s.label("status");
                    if (status != null && status.length() == 3 && status.charAt(0) == '5') {
                        errors += s.value();
                    }
                }
                case REQUEST_BUCKETS -> {
                    Double le = bound(s.label("le"));
                    if (le != null) {
                        buckets.merge(le, s.value(), Double::sum);
                    }
                }
                case CACHE_HITS -> hits = (hits == null ? 0 : hits) + s.value();
                case CACHE_MISSES -> misses = (misses == null ? 0 : misses) + s.value();
                default -> {
                    // every other series is not shown by the console
                }
            }
        }
        TreeMap<Double, Long> cumulative = new TreeMap<>();
        buckets.forEach((le, n) -> cumulative.put(le, Math.round(n)));
        return new MetricsSnapshot(uptime, heap.bytes(), heapMax.unbounded ? null : heapMax.bytes(), nonheap.bytes(),
                Math.round(requests), Math.round(errors), Collections.unmodifiableNavigableMap(cumulative),
                hits == null ? null : Math.round(hits), misses == null ? null : Math.round(misses));
    }

    /** A bucket's {@code le} label as a number ("+Inf" is infinity); null when it is not one. */
    private static Double bound(String le) {
        if (le == null) {
            return null;
        }
        if (le.equals("+Inf")) {
            return Double.POSITIVE_INFINITY;
        }
        try {
            return Double.parseDouble(le);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A sum of byte gauges that knows whether it saw any, and whether one was "no limit" (negative). */
    private static final class Sum {
        double total;
        int seen;
        boolean unbounded;

        void add(double v) {
            seen++;
            if (v < 0) {
                unbounded = true;
            } else {
                total += v;
            }
        }

        Long bytes() {
            return seen == 0 ? null : Math.round(total);
        }
    }
}

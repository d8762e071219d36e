package com.lakehouse.gateway.service;

import java.util.List;

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
 */
public record MetricsSnapshot(Double uptimeSeconds, Long heapUsedBytes, Long heapMaxBytes, Long nonheapUsedBytes,
                              long requestsTotal, long errorsTotal) {
    static final String UPTIME = "process_uptime_seconds";
    static final String MEMORY_USED = "jvm_memory_used_bytes";
    static final String MEMORY_MAX = "jvm_memory_max_bytes";
    static final String REQUESTS = "http_server_requests_seconds_count";

    public static MetricsSnapshot of(List<PrometheusText.Sample> samples) {
        Double uptime = null;
        Sum heap = new Sum();
        Sum heapMax = new Sum();
        Sum nonheap = new Sum();
        double requests = 0;
        double errors = 0;
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
                default -> {
                    // every other series is not shown by the console
                }
            }
        }
        return new MetricsSnapshot(uptime, heap.bytes(), heapMax.unbounded ? null : heapMax.bytes(), nonheap.bytes(),
                Math.round(requests), Math.round(errors));
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

package com.lakehouse.gateway.service;

import java.util.Map;
import java.util.NavigableMap;

/**
 * A quantile of the requests made between two scrapes, from the growth of cumulative latency buckets (the way
 * Prometheus' {@code histogram_quantile} does it): linear interpolation inside the bucket holding the rank, the
 * lowest bucket starting at 0, and a rank in the +Inf bucket answered with the largest finite bound. Plain Java.
 */
public final class LatencyQuantile {
    private LatencyQuantile() {
    }

    /**
     * @param before cumulative counts by upper bound (seconds) at the earlier scrape; empty = every count 0
     * @param after  the same at the later scrape
     * @param q      the quantile, 0 < q <= 1
     * @return the quantile in milliseconds; null without buckets or without a request in between
     */
    public static Double millis(NavigableMap<Double, Long> before, NavigableMap<Double, Long> after, double q) {
        if (after.isEmpty()) {
            return null;
        }
        long total = grown(before, after, after.lastKey());
        if (total <= 0) {
            return null;
        }
        double rank = q * total;
        double lowerBound = 0;
        long lowerCount = 0;
        for (Map.Entry<Double, Long> e : after.entrySet()) {
            long count = grown(before, after, e.getKey());
            if (count >= rank) {
                if (e.getKey().isInfinite()) {
                    return lowerBound * 1000;
                }
                long inBucket = count - lowerCount;
                double fraction = inBucket == 0 ? 1 : (rank - lowerCount) / inBucket;
                return (lowerBound + (e.getKey() - lowerBound) * fraction) * 1000;
            }
            lowerBound = e.getKey();
            lowerCount = count;
        }
        return lowerBound * 1000;
    }

    private static long grown(NavigableMap<Double, Long> before, NavigableMap<Double, Long> after, double le) {
        return Math.max(0, after.getOrDefault(le, 0L) - before.getOrDefault(le, 0L));
    }
}

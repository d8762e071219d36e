package com.lakehouse.gateway.service;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Request and error rates from counters sampled on demand: the gateway keeps the previous sample of each daemon
 * replica and divides the counters' growth by the time between the two samples. Plain Java; the clock is passed in.
 *
 * <ul>
 *   <li>first sample of a replica: no rate (null), only a baseline;</li>
 *   <li>a counter or the uptime went backwards (the daemon restarted): no rate, the new sample is the baseline;</li>
 *   <li>a sample closer than {@code minInterval} to the baseline keeps the baseline and answers the rate computed
 *       last, so two consoles polling a moment apart do not turn a handful of requests into a wild rate.</li>
 * </ul>
 */
public final class RateTracker {
    /** Per second; both null when there is no rate yet. */
    public record Rates(Double requestsPerSecond, Double errorsPerSecond) {
        static final Rates NONE = new Rates(null, null);
    }

    private record State(long nanos, long requests, long errors, Double uptimeSeconds, Rates last) {
    }

    private final long minIntervalNanos;
    private final Map<String, State> byKey = new HashMap<>();

    public RateTracker(Duration minInterval) {
        this.minIntervalNanos = Math.max(1, minInterval.toNanos());
    }

    /** Takes the sample of {@code key} (a replica URL) made at {@code nowNanos} (System.nanoTime) and answers its rates. */
    public synchronized Rates observe(String key, MetricsSnapshot s, long nowNanos) {
        State base = byKey.get(key);
        if (base == null || restarted(base, s)) {
            byKey.put(key, new State(nowNanos, s.requestsTotal(), s.errorsTotal(), s.uptimeSeconds(), Rates.NONE));
            return Rates.NONE;
        }
        long dt = nowNanos - base.nanos();
        if (dt < minIntervalNanos) {
            return base.last();
        }
        double seconds = dt / 1e9;
        Rates r = new Rates((s.requestsTotal() - base.requests()) / seconds, (s.errorsTotal() - base.errors()) / seconds);
        byKey.put(key, new State(nowNanos, s.requestsTotal(), s.errorsTotal(), s.uptimeSeconds(), r));
        return r;
    }

    private static boolean restarted(State base, MetricsSnapshot s) {
        return s.requestsTotal() < base.requests() || s.errorsTotal() < base.errors()
                || (s.uptimeSeconds() != null && base.uptimeSeconds() != null && s.uptimeSeconds() < base.uptimeSeconds());
    }
}

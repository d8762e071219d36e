package com.lakehouse.gateway.service;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * One Bucket4j token bucket per key name: {@code rate} tokens a second, up to {@code burst} at once. The map is
 * bounded by the number of configured keys (only accepted keys reach it).
 */
public final class RateLimits {
    private final double defaultRate;
    private final double burstFactor;
    private final ConcurrentMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    /**
     * @param defaultRate requests per second for keys without their own {@code rate}
     * @param burstFactor burst = rate x this (at least 1 request)
     */
    public RateLimits(double defaultRate, double burstFactor) {
        this.defaultRate = defaultRate;
        this.burstFactor = burstFactor;
    }

    /** Zero when the request may go; otherwise how long until a token is there (for {@code Retry-After}). */
    public Duration tryAcquire(ApiKeys.Key key) {
        Bucket b = buckets.computeIfAbsent(key.name(), n -> bucket(key.rate().orElse(defaultRate)));
        ConsumptionProbe p = b.tryConsumeAndReturnRemaining(1);
        return p.isConsumed() ? Duration.ZERO : Duration.ofNanos(Math.max(1, p.getNanosToWaitForRefill()));
    }

    /** Forget every bucket (the key file changed: rates may differ). */
    public void clear() {
        buckets.clear();
    }

    private Bucket bucket(double rate) {
        long capacity = Math.max(1, Math.round(rate * burstFactor));
        // Refill 'rate' tokens per second, expressed per millisecond-ish period so fractional rates work.
        long periodNanos = Math.max(1, Math.round(1_000_000_000d / rate));
        return Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(capacity).refillGreedy(1, Duration.ofNanos(periodNanos)).build())
                .build();
    }
}

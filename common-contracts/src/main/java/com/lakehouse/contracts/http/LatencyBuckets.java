package com.lakehouse.contracts.http;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.stream.Stream;

/**
 * Publishes a few fixed latency buckets ({@code http_server_requests_seconds_bucket{le=...}}) on every daemon's
 * HTTP server timer, so that a p99 can be computed from two scrapes (the gateway's metrics history, Prometheus'
 * {@code histogram_quantile}). Quarkus' default timer has only count, sum and max. Twelve bounds keep the exposition
 * small (Micrometer's percentile histogram would add about seventy per series).
 */
public class LatencyBuckets {
    /** Upper bounds of the buckets; +Inf is implicit. */
    public static final Duration[] BOUNDS = Stream.of(5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000)
            .map(Duration::ofMillis).toArray(Duration[]::new);

    static final String TIMER = "http.server.requests";

    @Produces
    @Singleton
    public MeterFilter httpServerLatencyBuckets() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!TIMER.equals(id.getName())) {
                    return config;
                }
                double[] nanos = Stream.of(BOUNDS).mapToDouble(d -> (double) d.toNanos()).toArray();
                return DistributionStatisticConfig.builder().serviceLevelObjectives(nanos).build().merge(config);
            }
        };
    }
}

package com.lakehouse.contracts.http;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Arrays;

/**
 * Gives every daemon's HTTP server timer ({@code http.server.requests}) a fixed set of latency buckets, so that
 * Prometheus can compute percentiles ({@code histogram_quantile(0.99, ...http_server_requests_seconds_bucket...)})
 * for the p99 alerts in deploy/prometheus/alerts.yml. Without buckets a timer only has count, sum and max.
 * A short fixed ladder rather than Micrometer's percentile histogram (about 70 buckets per series) keeps the
 * series count small: 12 buckets plus +Inf per method, uri and status.
 */
@Singleton
public class LatencyHistograms {
    /** The timer Quarkus records for each served request. */
    public static final String HTTP_SERVER_REQUESTS = "http.server.requests";

    /** Bucket upper bounds: from a cached embedding (ms) to a slow LLM answer (30 s). */
    public static final Duration[] BUCKETS = {
            Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)};

    /** Picked up by Quarkus Micrometer, which applies every MeterFilter bean to its registries. */
    @Produces
    @Singleton
    public MeterFilter httpServerLatencyBuckets() {
        return filter();
    }

    /** The filter itself, also for tests and plain registries. */
    public static MeterFilter filter() {
        double[] nanos = Arrays.stream(BUCKETS).mapToDouble(Duration::toNanos).toArray();
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (id.getType() == Meter.Type.TIMER && HTTP_SERVER_REQUESTS.equals(id.getName())) {
                    return DistributionStatisticConfig.builder().serviceLevelObjectives(nanos).build().merge(config);
                }
                return config;
            }
        };
    }
}

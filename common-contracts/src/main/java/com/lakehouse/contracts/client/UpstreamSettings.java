package com.lakehouse.contracts.client;

import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * Fault-tolerance numbers for one peer, as a config group a daemon puts on its own mapping
 * (e.g. {@code lakehouse.pathwayd.embedd.timeout=5s}).
 */
public interface UpstreamSettings {
    /** Timeout of one call. */
    @WithDefault("10s")
    Duration timeout();

    /** Retries of a failed call (5xx, connection errors, timeouts; never 4xx). */
    @WithDefault("1")
    int retries();

    /** Circuit breaker: calls in the rolling window before it may open. */
    @WithDefault("20")
    int circuitBreakerVolume();

    /** Circuit breaker: failure ratio in the window that opens it. */
    @WithDefault("0.5")
    double circuitBreakerFailureRatio();

    /** Circuit breaker: how long it stays open before a trial call. */
    @WithDefault("5s")
    Duration circuitBreakerDelay();
}

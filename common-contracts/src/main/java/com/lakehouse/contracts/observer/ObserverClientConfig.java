package com.lakehouse.contracts.observer;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** How a daemon ships its observed operations to observerd. */
@ConfigMapping(prefix = "lakehouse.observer-client")
public interface ObserverClientConfig {
    /** Off only for tools and tests that must not emit operations. */
    @WithDefault("true")
    boolean enabled();

    /**
     * Share of the heap ({@code Runtime.maxMemory()}) the operations waiting in memory may cost, as the JSON they
     * are shipped as; past it the oldest are dropped and counted ({@code observer_client_dropped_total}). The
     * bound is the smaller of this and {@link #queueMaxBytes()}.
     */
    @WithDefault("0.02")
    double queueHeapFraction();

    /** Upper bound of the in-memory queue in bytes, whatever the heap. */
    @WithDefault("16M")
    io.quarkus.runtime.configuration.MemorySize queueMaxBytes();

    /** Operations per POST to observerd. */
    @WithDefault("200")
    int batchSize();

    /** How often the queue is flushed. */
    @WithDefault("250ms")
    Duration flushInterval();

    /** Timeout of one shipping call; a slow observerd never holds a caller, only this background sender. */
    @WithDefault("2s")
    Duration timeout();

    /**
     * Optional local spool directory: operations that could not be shipped (observerd down, or the daemon
     * stopping) are written here as JSONL and shipped once observerd answers again, so they survive a restart.
     * Unset (the default): they wait in the in-memory queue only.
     */
    java.util.Optional<String> spoolDir();

    /** Most bytes the spool may hold; past it operations are dropped and counted. */
    @WithDefault("67108864")
    long spoolMaxBytes();
}

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

    /** Operations waiting in memory; past this the oldest is dropped and counted. */
    @WithDefault("10000")
    int queueCapacity();

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

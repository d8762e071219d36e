package com.lakehouse.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every knob of the gateway. Upstream base URLs default to {@code lakehouse.fleet.<daemon>} (FleetConfig);
 * {@link #upstreams()} overrides them with a list per daemon (round robin).
 */
@ConfigMapping(prefix = "lakehouse.gateway")
public interface GatewayConfig {
    /**
     * API keys are required on every public route but {@code /health} and the console page ({@code /q/*} is on the
     * loopback management interface). Default true.
     * {@code false} turns auth off explicitly (local profile only); the gateway logs a loud WARN at start.
     */
    @WithDefault("true")
    boolean authEnabled();

    /** Accepted API keys, comma separated ({@code Authorization: Bearer <key>} or {@code X-API-Key}). Default none. */
    Optional<List<String>> apiKeys();

    /**
     * The key file: one key a line, {@code name=N scopes=read,write,admin sha256=<hex of the key> [rate=<req/s>]}
     * (what {@code ./lakehouse key add} writes; a bare key per line, the old format, is still read with every
     * scope and a warning). Re-read when it changes. Default none.
     */
    Optional<String> apiKeysFile();

    /** How often the key file's modification time is checked, so keys added or removed apply without a restart. Default 2s. */
    @WithDefault("2s")
    Duration apiKeysFileCheckInterval();

    /** The per-key rate limit (Bucket4j token bucket per key name); over it a request is a 429 with Retry-After. */
    RateLimit rateLimit();

    interface RateLimit {
        /** Requests per second a key may make unless its key-file line sets {@code rate=}. Default 1000. */
        @WithDefault("1000")
        double requestsPerSecond();

        /** Burst allowed above the steady rate, as a multiple of it (bucket capacity = rate x this). Default 2. */
        @WithDefault("2")
        double burstFactor();
    }

    /**
     * Per-daemon list of base URLs, comma separated, e.g. {@code lakehouse.gateway.upstreams.vectord=http://a:5102,http://b:5102};
     * requests go round robin over the list and fail over to the next one on a connect error. Default: empty,
     * i.e. the single {@code lakehouse.fleet.<daemon>} URL.
     */
    Map<String, String> upstreams();

    /**
     * Per-daemon time allowed until the upstream's response head arrives, e.g. {@code lakehouse.gateway.timeouts.chatd=300s}.
     * Daemons not listed use {@link #defaultTimeout()}. application.properties sets chatd to 300s (LLM calls are slow).
     */
    Map<String, Duration> timeouts();

    /** Time allowed until an upstream's response head arrives, for daemons without their own entry. Default 30s. */
    @WithDefault("30s")
    Duration defaultTimeout();

    /** TCP connect timeout to an upstream; a daemon that is down answers 503 within this. Default 1s. */
    @WithDefault("1s")
    Duration connectTimeout();

    /** An upstream connection with no bytes either way for this long is closed (bounds a stalled stream). Default 120s. */
    @WithDefault("120s")
    Duration idleTimeout();

    /** Largest request body accepted, checked on Content-Length and on streamed bytes; larger is 413. Default 16 MiB. */
    @WithDefault("16777216")
    long maxBodyBytes();

    /** HTTP/1.1 connections kept per upstream base URL. Default 128. */
    @WithDefault("128")
    int maxConnectionsPerUpstream();

    /** The circuit breaker kept per daemon. */
    Breaker breaker();

    /** {@code GET /v1/fleet/health}. */
    FleetHealth fleetHealth();

    /** {@code GET /v1/fleet/metrics}. */
    FleetMetrics fleetMetrics();

    /** {@code GET /v1/fleet/metrics/history}: the ring of samples behind the console's charts. */
    MetricsHistory metricsHistory();

    interface Breaker {
        /** Calls in the rolling window before the breaker may open. Default 4. */
        @WithDefault("4")
        int requestVolumeThreshold();

        /** Share of failed calls (connect errors, timeouts) in the window that opens the breaker. Default 0.5. */
        @WithDefault("0.5")
        double failureRatio();

        /** How long an open breaker answers 503 before it lets a trial call through. Default 5s. */
        @WithDefault("5s")
        Duration delay();

        /** Successful trial calls that close a half-open breaker. Default 1. */
        @WithDefault("1")
        int successThreshold();
    }

    interface FleetHealth {
        /** Timeout of each daemon's {@code /q/health/ready} probe; the probes run in parallel. Default 1s. */
        @WithDefault("1s")
        Duration timeout();
    }

    interface FleetMetrics {
        /**
         * Timeout of each daemon's {@code /q/metrics} fetch; the fetches run in parallel, so a daemon that is down
         * or silent costs the whole answer at most this. Default 1s.
         */
        @WithDefault("1s")
        Duration timeout();

        /**
         * Shortest time between the two samples a request rate is computed from. A call sooner than this after
         * the last baseline answers the rate computed last instead of one over a few milliseconds. Default 2s.
         */
        @WithDefault("2s")
        Duration minRateInterval();
    }

    interface MetricsHistory {
        /** Time between two samples of the whole fleet; 0 turns the sampler off. Default 10s. */
        @WithDefault("10s")
        Duration interval();

        /**
         * Samples kept; the oldest is dropped when the ring is full. With the interval, the time the charts span:
         * 90 x 10 s = 15 minutes. Memory is fixed: about 50 numbers per sample. Default 90.
         */
        @WithDefault("90")
        int capacity();
    }
}

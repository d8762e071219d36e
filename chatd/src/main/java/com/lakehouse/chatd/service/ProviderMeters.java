package com.lakehouse.chatd.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Collection;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * chatd's per-provider meters. The five providers are known at start, so every series is registered for each of
 * them when chatd boots (a provider without a key shows configured 0 and a closed breaker) and exists before the
 * first chat call; only attempt statuses other than {@code ok} appear on first use.
 *
 * <ul>
 *   <li>{@code chatd.provider.attempts{provider,status}}: every attempt of a chain (ok, error, timeout,
 *       circuit_open, stream_error);</li>
 *   <li>{@code chatd.provider.errors{provider,kind}}: the attempts the provider itself failed (error, timeout,
 *       stream_error); a breaker refusing the call is not a provider error and only counts as an attempt;</li>
 *   <li>{@code chatd.provider.breaker.state{provider}} (gauge): 0 closed, 1 open, 2 half-open, the same encoding
 *       as the gateway's {@code gateway.upstream.breaker.state};</li>
 *   <li>{@code chatd.provider.configured{provider}} (gauge): 1 when enabled and holding a key (or local).</li>
 * </ul>
 */
public final class ProviderMeters {
    public static final List<String> ERROR_KINDS = List.of("error", "timeout", "stream_error");

    private final MeterRegistry registry;

    /**
     * @param breakerState provider -> its breaker state as {@code ProviderClient.breakerState()} names it
     *                     (closed, open, half_open)
     */
    public ProviderMeters(MeterRegistry registry, Collection<String> providers, Function<String, String> breakerState,
                          Predicate<String> configured) {
        this.registry = registry;
        for (String p : providers) {
            Gauge.builder("chatd.provider.breaker.state", () -> breakerValue(breakerState.apply(p)))
                    .tag("provider", p).description("circuit breaker per provider: 0 closed, 1 open, 2 half-open")
                    .register(registry);
            Gauge.builder("chatd.provider.configured", () -> configured.test(p) ? 1 : 0).tag("provider", p)
                    .description("1 when the provider is enabled and has its key").register(registry);
            attempts(p, "ok");
            ERROR_KINDS.forEach(k -> errors(p, k));
        }
    }

    static double breakerValue(String state) {
        return switch (state) {
            case "closed" -> 0;
            case "open" -> 1;
            case "half_open" -> 2;
            default -> Double.NaN;
        };
    }

    /** One attempt of a chain with its status (the attempt's {@code status} on the wire). */
    public void attempt(String provider, String status) {
        attempts(provider, status).increment();
        if (ERROR_KINDS.contains(status)) {
            errors(provider, status).increment();
        }
    }

    private Counter attempts(String provider, String status) {
        return Counter.builder("chatd.provider.attempts").tag("provider", provider).tag("status", status)
                .description("provider attempts by status").register(registry);
    }

    private Counter errors(String provider, String kind) {
        return Counter.builder("chatd.provider.errors").tag("provider", provider).tag("kind", kind)
                .description("attempts the provider failed").register(registry);
    }
}

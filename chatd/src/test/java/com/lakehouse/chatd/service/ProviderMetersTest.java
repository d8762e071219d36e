package com.lakehouse.chatd.service;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** chatd's provider meters on a plain registry: registered per provider at start, following breaker state. */
class ProviderMetersTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Map<String, String> breakers = new HashMap<>(Map.of("kimi", "closed", "ollama", "closed"));
    private final ProviderMeters meters = new ProviderMeters(registry, List.of("kimi", "ollama"), breakers::get,
            Set.of("kimi")::contains);

    private double gauge(String name, String provider) {
        return registry.get(name).tag("provider", provider).gauge().value();
    }

    private double count(String name, String... tags) {
        return registry.get(name).tags(tags).counter().count();
    }

    @Test
    void everyProviderHasItsSeriesBeforeAnyCall() {
        for (String p : List.of("kimi", "ollama")) {
            assertEquals(0, gauge("chatd.provider.breaker.state", p));
            assertEquals(0, count("chatd.provider.attempts", "provider", p, "status", "ok"));
            for (String kind : ProviderMeters.ERROR_KINDS) {
                assertEquals(0, count("chatd.provider.errors", "provider", p, "kind", kind));
            }
        }
        assertEquals(1, gauge("chatd.provider.configured", "kimi"));
        assertEquals(0, gauge("chatd.provider.configured", "ollama"));
    }

    @Test
    void breakerGaugeFollowsTheBreaker() {
        breakers.put("kimi", "open");
        assertEquals(1, gauge("chatd.provider.breaker.state", "kimi"));
        breakers.put("kimi", "half_open");
        assertEquals(2, gauge("chatd.provider.breaker.state", "kimi"));
        breakers.put("kimi", "closed");
        assertEquals(0, gauge("chatd.provider.breaker.state", "kimi"));
        assertEquals(0, gauge("chatd.provider.breaker.state", "ollama"));
    }

    @Test
    void providerFailuresAreErrorsButABreakerRefusalIsNot() {
        meters.attempt("kimi", "ok");
        meters.attempt("kimi", "timeout");
        meters.attempt("kimi", "error");
        meters.attempt("kimi", "error");
        meters.attempt("kimi", "circuit_open");
        assertEquals(1, count("chatd.provider.attempts", "provider", "kimi", "status", "ok"));
        assertEquals(2, count("chatd.provider.attempts", "provider", "kimi", "status", "error"));
        assertEquals(1, count("chatd.provider.attempts", "provider", "kimi", "status", "circuit_open"));
        assertEquals(2, count("chatd.provider.errors", "provider", "kimi", "kind", "error"));
        assertEquals(1, count("chatd.provider.errors", "provider", "kimi", "kind", "timeout"));
        assertNull(registry.find("chatd.provider.errors").tag("kind", "circuit_open").counter());
        assertEquals(0, count("chatd.provider.errors", "provider", "ollama", "kind", "error"));
    }
}

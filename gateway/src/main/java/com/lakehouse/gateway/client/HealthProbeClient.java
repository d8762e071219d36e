package com.lakehouse.gateway.client;

import com.lakehouse.gateway.config.GatewayConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.net.URI;

/**
 * Probes one daemon replica's {@code /q/health/ready} through {@link BoundedGet}, bounded by
 * lakehouse.gateway.fleet-health.timeout. Never throws: a failure is a DOWN probe.
 */
@Singleton
public class HealthProbeClient {
    /** The outcome of one probe. {@code error} is null when the replica answered 200. */
    public record Probe(URI base, boolean up, long latencyMs, String error) {
    }

    @Inject
    Vertx vertx;

    @Inject
    GatewayConfig config;

    private BoundedGet get;

    @PostConstruct
    void init() {
        get = new BoundedGet(vertx, "gateway fleet health probe", config.fleetHealth().timeout(), config.connectTimeout());
    }

    @PreDestroy
    void close() {
        if (get != null) {
            get.close();
        }
    }

    public Uni<Probe> probe(URI base) {
        return get.get(base, "/q/health/ready", "application/json").map(a -> !a.answered()
                ? new Probe(base, false, a.latencyMs(), a.error())
                : a.status() == 200
                ? new Probe(base, true, a.latencyMs(), null)
                : new Probe(base, false, a.latencyMs(), "readiness answered " + a.status()));
    }
}

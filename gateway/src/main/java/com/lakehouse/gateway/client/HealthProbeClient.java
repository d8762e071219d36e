package com.lakehouse.gateway.client;

import com.lakehouse.contracts.http.RequestIds;
import com.lakehouse.gateway.config.GatewayConfig;
import com.lakehouse.gateway.service.UpstreamUrls;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.util.TypeLiteral;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.net.URI;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletionStage;

/**
 * Probes one daemon replica's {@code /q/health/ready} through the Mutiny Vert.x Web Client, bounded by a SmallRye
 * Fault Tolerance timeout (lakehouse.gateway.fleet-health.timeout). Never throws: a failure is a DOWN probe.
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

    private WebClient client;
    private TypedGuard<CompletionStage<Probe>> guard;

    @PostConstruct
    void init() {
        long timeout = config.fleetHealth().timeout().toMillis();
        client = WebClient.create(vertx, new WebClientOptions()
                .setConnectTimeout((int) Math.min(timeout, config.connectTimeout().toMillis()))
                .setKeepAlive(true));
        guard = TypedGuard.create(new TypeLiteral<CompletionStage<Probe>>() {
                })
                .withDescription("gateway fleet health probe")
                .withThreadOffload(false)
                .withTimeout().duration(timeout, ChronoUnit.MILLIS).done()
                .build();
    }

    @PreDestroy
    void close() {
        if (client != null) {
            client.close();
        }
    }

    public Uni<Probe> probe(URI base) {
        long start = System.nanoTime();
        String requestId = RequestIds.currentOrNew();
        Uni<Probe> guarded = Uni.createFrom().completionStage(() -> guard.get(() -> client
                .get(UpstreamUrls.port(base), base.getHost(), UpstreamUrls.basePath(base) + "/q/health/ready")
                .ssl("https".equals(base.getScheme()))
                .putHeader(RequestIds.HEADER, requestId)
                .timeout(config.fleetHealth().timeout().toMillis())
                .send()
                .map(resp -> resp.statusCode() == 200
                        ? new Probe(base, true, millisSince(start), null)
                        : new Probe(base, false, millisSince(start), "readiness answered " + resp.statusCode()))
                .subscribeAsCompletionStage()));
        return guarded.onFailure().recoverWithItem(e -> new Probe(base, false, millisSince(start),
                e.getClass().getSimpleName() + (e.getMessage() != null ? ": " + e.getMessage() : "")));
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}

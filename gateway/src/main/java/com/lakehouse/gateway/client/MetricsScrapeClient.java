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
 * Fetches one daemon replica's {@code /q/metrics} through {@link BoundedGet}, bounded by
 * lakehouse.gateway.fleet-metrics.timeout. Asks for the classic Prometheus text format (0.0.4), which is what
 * {@link com.lakehouse.gateway.service.PrometheusText} reads. Never throws.
 */
@Singleton
public class MetricsScrapeClient {
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4";

    @Inject
    Vertx vertx;

    @Inject
    GatewayConfig config;

    private BoundedGet get;

    @PostConstruct
    void init() {
        get = new BoundedGet(vertx, "gateway fleet metrics scrape", config.fleetMetrics().timeout(), config.connectTimeout());
    }

    @PreDestroy
    void close() {
        if (get != null) {
            get.close();
        }
    }

    public Uni<BoundedGet.Answer> scrape(URI base) {
        return get.get(base, "/q/metrics", PROMETHEUS_TEXT);
    }
}

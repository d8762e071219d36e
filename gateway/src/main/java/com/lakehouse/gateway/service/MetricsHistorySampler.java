package com.lakehouse.gateway.service;

import com.lakehouse.gateway.config.GatewayConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Feeds {@link MetricsHistory}: every {@code lakehouse.gateway.metrics-history.interval} it scrapes the fleet (the
 * same fan-out as {@code GET /v1/fleet/metrics}) and records one sample. A tick that finds the previous one still
 * running is skipped, so a slow fleet never piles up scrapes. Off when the interval is 0.
 */
@ApplicationScoped
public class MetricsHistorySampler {
    private static final Logger LOG = Logger.getLogger(MetricsHistorySampler.class);

    @Inject
    GatewayConfig config;

    @Inject
    FleetMetricsService metrics;

    @Inject
    Vertx vertx;

    private final AtomicBoolean running = new AtomicBoolean();
    private volatile MetricsHistory history;
    private long timer = -1;

    void start(@Observes StartupEvent ev) {
        GatewayConfig.MetricsHistory c = config.metricsHistory();
        history = new MetricsHistory(c.capacity(), c.interval().toMillis());
        if (c.interval().isZero() || c.interval().isNegative()) {
            LOG.info("metrics history off (lakehouse.gateway.metrics-history.interval=0)");
            return;
        }
        timer = vertx.setPeriodic(c.interval().toMillis(), id -> tick());
    }

    void stop(@Observes ShutdownEvent ev) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    void tick() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        metrics.snapshots().subscribe().with(daemons -> {
            try {
                history.record(System.currentTimeMillis(), System.nanoTime(), daemons);
            } finally {
                running.set(false);
            }
        }, failure -> {
            running.set(false);
            LOG.warnf("metrics history sample failed: %s", failure.toString());
        });
    }

    public MetricsHistory.History history() {
        return history.snapshot();
    }
}

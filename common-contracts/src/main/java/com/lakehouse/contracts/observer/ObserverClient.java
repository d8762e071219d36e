package com.lakehouse.contracts.observer;

import com.lakehouse.contracts.fleet.FleetConfig;
import com.lakehouse.contracts.json.Json;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Captures observed operations for every daemon: {@link #record} never blocks and never throws; a background
 * sender ships batches to observerd's {@code POST /v1/observer/events}. While observerd is down, operations
 * wait in the queue ({@link OpQueue}, bounded by bytes from the heap) and ship when it is back; past the bound
 * the oldest are dropped and counted in {@code observer.client.dropped}. With {@code lakehouse.observer-client.spool-dir} set, a batch that could not be
 * shipped is written to a local spool instead (on a background I/O thread) and shipped once observerd answers
 * again, and whatever is still queued at shutdown is spooled too, so it survives a restart.
 */
@ApplicationScoped
public class ObserverClient {
    private static final Logger LOG = Logger.getLogger(ObserverClient.class);

    @Inject
    ObserverClientConfig config;
    /** Ops are redacted before they are queued, so the client spool holds no private value either (issue 25). */
    @Inject
    com.lakehouse.contracts.redact.Redactor redactor;
    @Inject
    FleetConfig fleet;
    @Inject
    Vertx vertx;
    @Inject
    MeterRegistry registry;
    @ConfigProperty(name = "quarkus.application.name", defaultValue = "lakehouse")
    String source;

    private OpQueue queue;
    private final AtomicBoolean sending = new AtomicBoolean();
    private WebClient client;
    private URI target;
    private Counter recorded;
    private Counter dropped;
    private Counter shipped;
    private Counter failures;
    private long timerId = -1;
    private ClientSpool spool;
    private java.util.concurrent.ExecutorService spoolIo;
    private Counter spooled;
    private volatile boolean lastShipOk = true;
    private volatile long lastFailureNanos;
    private final AtomicBoolean refilling = new AtomicBoolean();

    @PostConstruct
    void init() {
        recorded = registry.counter("observer.client.recorded");
        dropped = registry.counter("observer.client.dropped");
        shipped = registry.counter("observer.client.shipped");
        failures = registry.counter("observer.client.ship.failures");
        queue = new OpQueue(OpQueue.budget(Runtime.getRuntime().maxMemory(), config.queueHeapFraction(),
                config.queueMaxBytes().asLongValue()));
        registry.gauge("observer.client.queued", queue, OpQueue::size);
        registry.gauge("observer.client.queued.bytes", queue, OpQueue::bytes);
        target = URI.create(fleet.observerd());
        client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(1000));
        spooled = registry.counter("observer.client.spooled");
        if (config.enabled() && config.spoolDir().isPresent() && !config.spoolDir().get().isBlank()) {
            spool = new ClientSpool(java.nio.file.Path.of(config.spoolDir().get()), source, config.spoolMaxBytes(),
                    Math.max(1, config.batchSize()) * 10);
            spoolIo = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "observer-client-spool");
                t.setDaemon(true);
                return t;
            });
        }
        if (config.enabled()) {
            timerId = vertx.setPeriodic(config.flushInterval().toMillis(), id -> flush());
        }
    }

    /** Queues one operation; fills in id, time, source and request id when absent. Never blocks or throws. */
    public void record(ObservedOperation op) {
        if (!config.enabled() || op == null) {
            return;
        }
        try {
            ObservedOperation filled = new ObservedOperation(
                    op.opId() != null ? op.opId() : UUID.randomUUID().toString(),
                    op.timestamp() != null ? op.timestamp() : Instant.now(),
                    op.source() != null ? op.source() : source,
                    op.endpoint(), op.requestId() != null ? op.requestId()
                            : com.lakehouse.contracts.http.RequestIds.current(),
                    op.taskId(), op.kind(), op.model(), op.request(), op.result(), op.success(), op.latencyMs(),
                    op.error(), com.lakehouse.contracts.http.KeyNames.withKeyTag(op.tags()));
            filled = redactor.redact(filled);
            int out = queue.addLast(Json.mapper().writeValueAsBytes(filled));
            if (out > 0) {
                dropped.increment(out);
            }
            recorded.increment();
        } catch (RuntimeException | java.io.IOException e) {
            LOG.debugf(e, "could not queue an observed operation");
        }
    }

    /** Operations waiting to be shipped. */
    public int queued() {
        return queue.size();
    }

    void flush() {
        if (!sending.compareAndSet(false, true)) {
            return;
        }
        List<byte[]> batch = queue.poll(config.batchSize());
        if (batch.isEmpty()) {
            sending.set(false);
            refillFromSpool();
            return;
        }
        // the operations are queued as their JSON already: the body is only put together
        Buffer body = Buffer.buffer().appendString("{\"events\":[");
        for (int i = 0; i < batch.size(); i++) {
            if (i > 0) {
                body.appendString(",");
            }
            body.appendBytes(batch.get(i));
        }
        body.appendString("]}");
        int port = target.getPort() > 0 ? target.getPort() : ("https".equals(target.getScheme()) ? 443 : 80);
        client.post(port, target.getHost(), "/v1/observer/events")
                .putHeader("Content-Type", "application/json")
                .timeout(config.timeout().toMillis())
                .sendBuffer(body)
                .subscribe().with(resp -> {
                    if (resp.statusCode() / 100 == 2) {
                        lastShipOk = true;
                        shipped.increment(batch.size());
                    } else {
                        requeue(batch, "observerd answered " + resp.statusCode());
                    }
                    sending.set(false);
                }, err -> {
                    requeue(batch, err.getMessage());
                    sending.set(false);
                });
    }

    /** When the queue ran dry and observerd answers, spooled operations come back into the queue. */
    private void refillFromSpool() {
        // After a failure, spooled operations are retried (as the probe) at most every 5 s, so a quiet daemon
        // still drains its spool once observerd is back.
        boolean probe = System.nanoTime() - lastFailureNanos > Duration.ofSeconds(5).toNanos();
        if (spool == null || !(lastShipOk || probe) || !refilling.compareAndSet(false, true)) {
            return;
        }
        try {
            spoolIo.execute(() -> {
                try {
                    if (queued() > 0) {
                        return;
                    }
                    for (ObservedOperation op : spool.takeOldest()) {
                        try {
                            int out = queue.addLast(Json.mapper().writeValueAsBytes(op));
                            if (out > 0) {
                                dropped.increment(out);
                            }
                        } catch (java.io.IOException e) {
                            dropped.increment();
                        }
                    }
                } catch (RuntimeException e) {
                    LOG.debugf(e, "observer client spool refill failed");
                } finally {
                    refilling.set(false);
                }
            });
        } catch (RuntimeException rejected) {
            refilling.set(false);
        }
    }

    private void requeue(List<byte[]> batch, String why) {
        failures.increment();
        lastShipOk = false;
        lastFailureNanos = System.nanoTime();
        if (spool != null) {
            try {
                spoolIo.execute(() -> {
                    if (spool.appendJson(batch)) {
                        spooled.increment(batch.size());
                    } else {
                        dropped.increment(batch.size());
                    }
                });
                return;
            } catch (RuntimeException rejected) {
                // the spool thread is gone (shutting down): fall back to the in-memory queue
            }
        }
        LOG.debugf("observerd not reachable (%s); %d operations wait for the next try", why, batch.size());
        int out = queue.requeue(batch);
        if (out > 0) {
            dropped.increment(out);
        }
    }

    void onStop(@Observes ShutdownEvent ev) {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
        // Best effort: one last synchronous-ish flush so a clean stop loses nothing already queued.
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (queued() > 0 && System.nanoTime() < deadline) {
            flush();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (spool != null) {
            spoolIo.shutdown();
            try {
                spoolIo.awaitTermination(2, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            List<byte[]> rest = queue.drain();
            if (!rest.isEmpty() && !spool.appendJson(rest)) {
                dropped.increment(rest.size());
            }
        }
    }
}

package com.lakehouse.gateway.client;

import com.lakehouse.contracts.http.RequestIds;
import com.lakehouse.gateway.service.UpstreamUrls;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.enterprise.util.TypeLiteral;

import java.net.URI;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletionStage;

/**
 * One GET to a daemon replica's own endpoint ({@code /q/health/ready}, {@code /q/metrics}) through the Mutiny Vert.x
 * Web Client, bounded by a SmallRye Fault Tolerance timeout so one silent daemon cannot hold up a fleet-wide answer.
 * Never fails: a transport error or the timeout is an {@link Answer} with status 0 and the error. Shared by the
 * health probes and the metrics scrapes, each with its own timeout.
 */
public final class BoundedGet implements AutoCloseable {
    /** What came back. {@code status} is 0 and {@code error} set when no answer arrived in time. */
    public record Answer(URI base, int status, String body, long latencyMs, String error) {
        public boolean answered() {
            return error == null;
        }
    }

    private final WebClient client;
    private final TypedGuard<CompletionStage<Answer>> guard;
    private final long timeoutMs;

    public BoundedGet(Vertx vertx, String description, Duration timeout, Duration connectTimeout) {
        this.timeoutMs = timeout.toMillis();
        this.client = WebClient.create(vertx, new WebClientOptions()
                .setConnectTimeout((int) Math.min(timeoutMs, connectTimeout.toMillis()))
                .setKeepAlive(true));
        this.guard = TypedGuard.create(new TypeLiteral<CompletionStage<Answer>>() {
                })
                .withDescription(description)
                .withThreadOffload(false)
                .withTimeout().duration(timeoutMs, ChronoUnit.MILLIS).done()
                .build();
    }

    /** GET {@code base + path} with the given Accept header; the request id of the current request goes along. */
    public Uni<Answer> get(URI base, String path, String accept) {
        long start = System.nanoTime();
        String requestId = RequestIds.currentOrNew();
        Uni<Answer> guarded = Uni.createFrom().completionStage(() -> guard.get(() -> client
                .get(UpstreamUrls.port(base), base.getHost(), UpstreamUrls.basePath(base) + path)
                .ssl("https".equals(base.getScheme()))
                .putHeader(RequestIds.HEADER, requestId)
                .putHeader("Accept", accept)
                .timeout(timeoutMs)
                .send()
                .map(resp -> new Answer(base, resp.statusCode(), resp.bodyAsString(), millisSince(start), null))
                .subscribeAsCompletionStage()));
        return guarded.onFailure().recoverWithItem(e -> new Answer(base, 0, null, millisSince(start),
                e.getClass().getSimpleName() + (e.getMessage() != null ? ": " + e.getMessage() : "")));
    }

    @Override
    public void close() {
        client.close();
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}

package com.lakehouse.contracts.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.lakehouse.contracts.http.RequestIds;
import com.lakehouse.contracts.json.Json;
import io.smallrye.faulttolerance.api.Guard;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.mutiny.core.MultiMap;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.enterprise.util.TypeLiteral;

import java.io.IOException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One peer daemon as seen from a calling daemon: a Mutiny Vert.x WebClient call wrapped in a SmallRye Fault Tolerance
 * guard (retry outside, circuit breaker, timeout inside; numbers from config). Every call carries
 * {@code X-Request-Id}. A non-2xx answer (other than the statuses a caller accepts) or any transport failure
 * becomes an {@link UpstreamException}; 4xx answers neither retry nor count against the breaker.
 */
public final class Upstream {
    /** An answer: status, body, headers. */
    public record Reply(int status, Buffer body, MultiMap headers) {
        public JsonNode json(String upstream) {
            try {
                return Json.mapper().readTree(body == null ? new byte[0] : body.getBytes());
            } catch (IOException e) {
                throw new UpstreamException(upstream, status, "answered a body that is not JSON");
            }
        }
    }

    private static final TypeLiteral<Uni<Reply>> REPLY = new TypeLiteral<>() {
    };

    private final String name;
    private final java.util.Map<String, String> headers = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.function.Supplier<WebClient> client;
    private final Guard guard;
    private final long timeoutMs;

    /** A guarded peer with the numbers of a config group; {@code caller} names the breaker ("pathwayd-embedd"). */
    public static Upstream of(String caller, String name, WebClient client, UpstreamSettings s) {
        return of(caller, name, () -> client, s);
    }

    /** The same, calling through {@code clients} (e.g. {@link LoopLocalWebClients}: one client per event loop). */
    public static Upstream of(String caller, String name, java.util.function.Supplier<WebClient> clients,
                              UpstreamSettings s) {
        return new Upstream(caller, name, clients, s.timeout(), s.retries(), s.circuitBreakerVolume(),
                s.circuitBreakerFailureRatio(), s.circuitBreakerDelay());
    }

    public Upstream(String caller, String name, WebClient client, Duration timeout, int retries, int cbVolume,
                    double cbRatio, Duration cbDelay) {
        this(caller, name, () -> client, timeout, retries, cbVolume, cbRatio, cbDelay);
    }

    public Upstream(String caller, String name, java.util.function.Supplier<WebClient> client, Duration timeout,
                    int retries, int cbVolume, double cbRatio, Duration cbDelay) {
        this.name = name;
        this.client = client;
        this.timeoutMs = Math.max(1, timeout.toMillis());
        Predicate<Throwable> counts = t -> !(t instanceof UpstreamException u && u.clientError());
        Guard.Builder b = Guard.create().withDescription(caller + "->" + name)
                .withTimeout().duration(timeoutMs, ChronoUnit.MILLIS).done()
                .withCircuitBreaker().name(caller + "-" + name).requestVolumeThreshold(Math.max(1, cbVolume))
                .failureRatio(cbRatio).delay(Math.max(1, cbDelay.toMillis()), ChronoUnit.MILLIS).when(counts).done();
        if (retries > 0) {
            b = b.withRetry().maxRetries(retries).delay(50, ChronoUnit.MILLIS).jitter(25, ChronoUnit.MILLIS)
                    .whenException(counts).done();
        }
        this.guard = b.build();
    }

    public String name() {
        return name;
    }

    /** A header sent on every call (e.g. the gateway's {@code Authorization} for a daemon calling through it). */
    public Upstream header(String headerName, String value) {
        headers.put(headerName, value);
        return this;
    }

    /** Sends {@code body} (JSON, or none when null) to an absolute URL; {@code accepted} non-2xx statuses pass. */
    public Uni<Reply> call(HttpMethod method, String url, Object body, Set<Integer> accepted) {
        String requestId = RequestIds.currentOrNew();
        Buffer payload;
        try {
            payload = body == null ? null : Buffer.buffer(Json.mapper().writeValueAsBytes(body));
        } catch (IOException e) {
            return Uni.createFrom().failure(new UpstreamException(name, "request could not be serialised", e));
        }
        return guarded(method, url, payload, requestId, accepted);
    }

    /** Like {@link #call} with a body that is already JSON bytes. */
    public Uni<Reply> callJson(HttpMethod method, String url, byte[] json, Set<Integer> accepted) {
        return guarded(method, url, Buffer.buffer(json), RequestIds.currentOrNew(), accepted);
    }

    private Uni<Reply> guarded(HttpMethod method, String url, Buffer payload, String requestId, Set<Integer> accepted) {
        return guard.get(() -> send(method, url, payload, requestId, accepted), REPLY)
                .onFailure(t -> !(t instanceof UpstreamException))
                .transform(t -> new UpstreamException(name, describe(t), t));
    }

    private Uni<Reply> send(HttpMethod method, String url, Buffer payload, String requestId, Set<Integer> accepted) {
        HttpRequest<Buffer> req;
        try {
            req = client.get().requestAbs(method, url);
        } catch (RuntimeException e) {
            return Uni.createFrom().failure(new UpstreamException(name, 0, "bad URL " + url));
        }
        headers.forEach(req::putHeader);
        req.putHeader(RequestIds.HEADER, requestId).putHeader("Accept", "application/json, application/x-ndjson")
                .timeout(timeoutMs);
        Uni<io.vertx.mutiny.ext.web.client.HttpResponse<Buffer>> sent = payload == null ? req.send()
                : req.putHeader("Content-Type", "application/json").sendBuffer(payload);
        return sent.map(resp -> {
            int status = resp.statusCode();
            if (status / 100 != 2 && !accepted.contains(status)) {
                throw new UpstreamException(name, status, method + " " + path(url) + " answered " + status
                        + detail(resp.bodyAsString()));
            }
            return new Reply(status, resp.body(), resp.headers());
        });
    }

    private static String path(String url) {
        int i = url.indexOf("://");
        int j = i < 0 ? -1 : url.indexOf('/', i + 3);
        return j < 0 ? url : url.substring(j);
    }

    private static String detail(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        try {
            JsonNode n = Json.mapper().readTree(body);
            if (n.hasNonNull("detail")) {
                return ": " + n.get("detail").asText();
            }
            if (n.hasNonNull("error")) {
                return ": " + n.get("error").asText();
            }
        } catch (IOException ignored) {
            // not JSON: show a short prefix
        }
        String s = body.strip();
        return ": " + (s.length() > 200 ? s.substring(0, 200) + "..." : s);
    }

    private String describe(Throwable t) {
        String simple = t.getClass().getSimpleName();
        if (simple.contains("CircuitBreakerOpen")) {
            return "circuit breaker open after repeated failures";
        }
        if (simple.contains("Timeout")) {
            return "no answer within " + timeoutMs + " ms";
        }
        return "unreachable (" + (t.getMessage() == null ? simple : t.getMessage()) + ")";
    }
}

package com.lakehouse.chatd.client;

import com.lakehouse.chatd.config.ChatdConfig;
import com.lakehouse.contracts.http.RequestIds;
import com.lakehouse.contracts.json.Json;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.CustomBackoffStrategy;
import io.smallrye.faulttolerance.api.TypedGuard;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import jakarta.enterprise.util.TypeLiteral;

/**
 * One provider: its wire format, base URL, key and its own fault tolerance (a SmallRye {@link TypedGuard}
 * built from config: per-attempt timeout, retry with exponential backoff on connect errors, 408, 429
 * (honouring Retry-After up to a cap) and 5xx, and a circuit breaker).
 */
public final class ProviderClient {
    private final String name;
    private final WireFormat wire;
    private final String baseUrl;
    private final Optional<String> apiKey;
    private final boolean enabled;
    private final boolean needsKey;
    private final ChatdConfig.Provider config;
    private final HttpTransport http;
    private final TypedGuard<CompletionStage<Object>> guard;
    private volatile CircuitBreakerState state = CircuitBreakerState.CLOSED;
    private volatile long openedAtMillis;

    public ProviderClient(String name, WireFormat wire, String defaultBaseUrl, boolean needsKey,
                          ChatdConfig.Provider config, Optional<String> apiKey, HttpTransport http) {
        this.name = name;
        this.wire = wire;
        this.baseUrl = stripSlash(config.baseUrl().orElse(defaultBaseUrl));
        this.apiKey = apiKey;
        this.enabled = config.enabled();
        this.needsKey = needsKey;
        this.config = config;
        this.http = http;
        long cap = config.retryAfterCap().toMillis();
        long base = Math.max(1, config.retryDelay().toMillis());
        this.guard = TypedGuard.create(new TypeLiteral<CompletionStage<Object>>() {
                })
                .withDescription("chatd provider " + name)
                .withThreadOffload(false)
                .withTimeout().duration(config.timeout().toMillis(), ChronoUnit.MILLIS).done()
                .withRetry().maxRetries(config.maxRetries())
                    .delay(0, ChronoUnit.MILLIS).jitter(0, ChronoUnit.MILLIS)
                    .maxDuration(Math.max(1, config.timeout().toMillis() * (config.maxRetries() + 1L) + cap * config.maxRetries() + 1000), ChronoUnit.MILLIS)
                    .retryOn(UpstreamException.Retryable.class)
                    .withCustomBackoff().strategy(() -> new RetryAfterBackoff(base, cap)).done()
                    .done()
                .withCircuitBreaker().name("chatd-" + name)
                    .requestVolumeThreshold(config.breakerRequestVolume())
                    .failureRatio(config.breakerFailureRatio())
                    .delay(config.breakerDelay().toMillis(), ChronoUnit.MILLIS)
                    .successThreshold(1)
                    .skipOn(UpstreamException.Rejected.class)
                    .onStateChange(s -> {
                        if (s == CircuitBreakerState.OPEN) {
                            openedAtMillis = System.currentTimeMillis();
                        }
                        state = s;
                    })
                    .done()
                .build();
    }

    /** Waits what a 429 asked for (capped), otherwise base * 2^n. */
    static final class RetryAfterBackoff implements CustomBackoffStrategy {
        private final long base;
        private final long cap;
        private int retries;

        RetryAfterBackoff(long base, long cap) {
            this.base = base;
            this.cap = cap;
        }

        @Override
        public long nextDelayInMillis(Throwable cause) {
            long exp = base << Math.min(retries++, 16);
            if (cause instanceof UpstreamException.Retryable r && r.retryAfterMillis() >= 0) {
                return Math.min(r.retryAfterMillis(), cap);
            }
            return Math.min(exp, Math.max(cap, base));
        }
    }

    public String name() {
        return name;
    }

    public String baseUrl() {
        return baseUrl;
    }

    public WireFormat wire() {
        return wire;
    }

    public List<String> models() {
        return config.models().orElse(List.of());
    }

    /** Enabled and, for a cloud provider, holding a key. */
    public boolean configured() {
        return enabled && (!needsKey || apiKey.isPresent());
    }

    /** Configured and its breaker not open (an open breaker past its delay lets a trial call through). */
    public boolean usable() {
        if (!configured()) {
            return false;
        }
        return state != CircuitBreakerState.OPEN
                || System.currentTimeMillis() - openedAtMillis >= config.breakerDelay().toMillis();
    }

    public String breakerState() {
        return state.name().toLowerCase();
    }

    /** Counts the HTTP tries one guarded call made (first try plus retries). */
    public static final class Tries {
        private final AtomicInteger n = new AtomicInteger();

        public int count() {
            return n.get();
        }
    }

    /** A complete answer, through the guard, without blocking a thread. */
    public CompletionStage<ChatResult> chat(String model, ChatCall call, Tries tries, String requestId) {
        try {
            byte[] body = Json.mapper().writeValueAsBytes(wire.requestBody(model, call, false));
            Map<String, String> headers = headers(requestId);
            return guard.call(() -> {
                tries.n.incrementAndGet();
                CompletableFuture<Object> out = new CompletableFuture<>();
                http.postAsync(baseUrl + wire.chatPath(), headers, body, config.timeout()).whenComplete((reply, err) -> {
                    if (err != null) {
                        out.completeExceptionally(unwrap(err));
                        return;
                    }
                    try {
                        if (reply.status() / 100 != 2) {
                            throw errorFor(reply.status(), reply.bodyText(), reply.headers());
                        }
                        out.complete(wire.parseAnswer(reply.body()));
                    } catch (RuntimeException e) {
                        out.completeExceptionally(e);
                    }
                });
                return out;
            }).thenApply(o -> (ChatResult) o);
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** An open stream whose first meaningful events are already read, so a failing start can fall back. */
    public record OpenStream(LineStream lines, List<StreamEvent> first, WireFormat wire) {
        /** Receives each event of a relayed stream. */
        public interface Sink {
            void accept(StreamEvent ev) throws java.io.IOException;
        }

        /** The finish reason and usage a relay has seen so far (readable after a failure too). */
        public static final class Tally {
            public String finish;
            public ChatResult.Usage usage;
        }

        /**
         * Every event in order (the ones already read, then line by line until one says done) into {@code sink},
         * keeping the last finish reason and usage in {@code tally}: the one relay loop every streaming surface
         * (OpenAI SSE, Ollama NDJSON) shares.
         */
        public void relay(Tally tally, Sink sink) throws java.io.IOException {
            boolean done = false;
            for (StreamEvent ev : first) {
                done |= take(tally, sink, ev);
            }
            String line;
            while (!done && (line = lines.next()) != null) {
                StreamEvent ev = wire.parseStreamLine(line);
                if (ev != null) {
                    done = take(tally, sink, ev);
                }
            }
        }

        private static boolean take(Tally tally, Sink sink, StreamEvent ev) throws java.io.IOException {
            sink.accept(ev);
            tally.finish = ev.finishReason() != null ? ev.finishReason() : tally.finish;
            tally.usage = ev.usage() != null ? ev.usage() : tally.usage;
            return ev.done();
        }
    }

    /**
     * Opens a streamed answer through the guard; the guard covers everything up to the first content. Blocks the
     * calling worker thread; each try runs on {@code executor} so the guard's timeout can give up on it, and a
     * stream that opens after its try was given up is closed.
     */
    public OpenStream stream(String model, ChatCall call, Tries tries, String requestId, Executor executor) throws Exception {
        byte[] body = Json.mapper().writeValueAsBytes(wire.requestBody(model, call, true));
        Map<String, String> headers = headers(requestId);
        List<CompletableFuture<OpenStream>> started = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicReference<OpenStream> winner = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean settled = new java.util.concurrent.atomic.AtomicBoolean();
        try {
            Object o = guard.call(() -> {
                tries.n.incrementAndGet();
                CompletableFuture<OpenStream> one = CompletableFuture.supplyAsync(() -> open(body, headers), executor);
                started.add(one);
                one.thenAccept(s -> {
                    if (settled.get() && winner.get() != s) {
                        s.lines().close();
                    }
                });
                // a fresh stage so the guard sees the UpstreamException itself, not a CompletionException
                CompletableFuture<Object> out = new CompletableFuture<>();
                one.whenComplete((s, e) -> {
                    if (e != null) {
                        out.completeExceptionally(unwrap(e));
                    } else {
                        out.complete(s);
                    }
                });
                return out;
            }).toCompletableFuture().get();
            winner.set((OpenStream) o);
            return (OpenStream) o;
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        } finally {
            settled.set(true);
            for (CompletableFuture<OpenStream> f : started) {
                OpenStream s = f.getNow(null);
                if (s != null && s != winner.get()) {
                    s.lines().close();
                }
            }
        }
    }

    private OpenStream open(byte[] body, Map<String, String> headers) {
        LineStream lines = http.postStreaming(baseUrl + wire.chatPath(), headers, body, config.timeout(),
                config.streamIdleTimeout());
        try {
            if (lines.status() / 100 != 2) {
                throw errorFor(lines.status(), lines.drain(4000), lines.headers());
            }
            List<StreamEvent> first = new ArrayList<>();
            String line;
            while ((line = lines.next()) != null) {
                StreamEvent ev = wire.parseStreamLine(line);
                if (ev != null) {
                    first.add(ev);
                    if (ev.hasContent() || ev.done()) {
                        break;
                    }
                }
            }
            if (first.isEmpty()) {
                throw new UpstreamException("malformed", 0, "stream ended without any answer");
            }
            return new OpenStream(lines, first, wire);
        } catch (RuntimeException e) {
            lines.close();
            throw e;
        }
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private Map<String, String> headers(String requestId) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/json");
        h.put("Accept", "application/json, text/event-stream, application/x-ndjson");
        h.put(RequestIds.HEADER, requestId);
        apiKey.ifPresent(k -> h.put("Authorization", "Bearer " + k));
        config.referer().ifPresent(v -> h.put("HTTP-Referer", v));
        config.title().ifPresent(v -> h.put("X-Title", v));
        return h;
    }

    private static UpstreamException errorFor(int status, String text, io.vertx.core.MultiMap headers) {
        com.fasterxml.jackson.databind.JsonNode root = null;
        try {
            root = Json.mapper().readTree(text);
        } catch (Exception ignored) {
            // not JSON; the raw prefix is used
        }
        String msg = "HTTP " + status + ": " + WireFormat.errorText(root, text);
        return UpstreamException.forStatus(status, msg, HttpTransport.retryAfterMillis(headers));
    }

    /** Whether an exception is the breaker refusing the call. */
    public static boolean isBreakerOpen(Throwable t) {
        return t instanceof CircuitBreakerOpenException;
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    static Duration orDefault(Duration d, Duration def) {
        return d == null ? def : d;
    }
}

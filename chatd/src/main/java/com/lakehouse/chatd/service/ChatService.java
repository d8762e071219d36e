package com.lakehouse.chatd.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lakehouse.chatd.client.ChatCall;
import com.lakehouse.chatd.client.ChatResult;
import com.lakehouse.chatd.client.ProviderClient;
import com.lakehouse.chatd.client.ProviderRegistry;
import com.lakehouse.chatd.client.UpstreamException;
import com.lakehouse.chatd.config.ChatdConfig;
import com.lakehouse.contracts.json.Json;
import com.lakehouse.contracts.observer.ObservedOperation;
import com.lakehouse.contracts.observer.ObserverClient;
import io.micrometer.core.instrument.MeterRegistry;
import com.lakehouse.contracts.http.RequestIds;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The dispatcher: walks a model's route chain, skipping unconfigured providers and open breakers, and answers
 * from the first provider that succeeds. Every call is recorded as an observed operation (prompt and answer in
 * the operation, never in logs).
 */
@ApplicationScoped
public class ChatService {
    private static final Logger LOG = Logger.getLogger(ChatService.class);

    @Inject
    ChatdConfig config;
    @Inject
    ProviderRegistry providers;
    @Inject
    ObserverClient observer;
    @Inject
    MeterRegistry meters;

    private ModelRouter router;
    private ProviderMeters providerMeters;

    @PostConstruct
    void init() {
        router = new ModelRouter(config.aliases(), config.providers().ollama().enabled());
        List<String> names = providers.all().stream().map(ProviderClient::name).toList();
        providerMeters = new ProviderMeters(meters, names, n -> providers.get(n).breakerState(),
                n -> providers.get(n).configured());
    }

    /** Builds the router (and so validates the aliases) and registers the provider meters at startup. */
    void onStart(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent ev) {
        router.aliases();
    }

    public ModelRouter router() {
        return router;
    }

    /** A complete answer from the first provider in the chain that gives one. */
    public record Outcome(String provider, String model, ChatResult result, long latencyMs, List<Attempt> attempts) {
    }

    /** An open stream from the first provider in the chain that started answering. */
    public record StreamStart(String provider, String model, ProviderClient.OpenStream stream, long startNanos,
                              List<Attempt> attempts, String requestId) {
    }

    public List<ModelRouter.Route> routes(String model, String field) {
        return router.resolve(model, field);
    }

    /**
     * A complete answer from the first provider in the chain that gives one, without blocking a thread: the
     * chain is walked as a chain of completion stages. Fails with {@link ChainFailedException}.
     */
    public Uni<Outcome> chat(ChatCall call, String endpoint) {
        long start = System.nanoTime();
        List<ModelRouter.Route> chain = router.resolve(call.model(), "model");
        String requestId = RequestIds.currentOrNew();
        List<Attempt> attempts = java.util.Collections.synchronizedList(new ArrayList<>());
        return Uni.createFrom().completionStage(() -> tryRoute(chain, 0, call, endpoint, requestId, attempts, start));
    }

    private CompletionStage<Outcome> tryRoute(List<ModelRouter.Route> chain, int i, ChatCall call, String endpoint,
                                              String requestId, List<Attempt> attempts, long start) {
        if (i >= chain.size()) {
            ChainFailedException failure = new ChainFailedException(call.model(), attempts);
            observe(endpoint, call, null, failure, ms(start), requestId);
            return CompletableFuture.failedFuture(failure);
        }
        ModelRouter.Route route = chain.get(i);
        ProviderClient p = providers.get(route.provider());
        if (!p.configured()) {
            attempts.add(notConfigured(route));
            return tryRoute(chain, i + 1, call, endpoint, requestId, attempts, start);
        }
        long t0 = System.nanoTime();
        ProviderClient.Tries tries = new ProviderClient.Tries();
        return p.chat(route.model(), call, tries, requestId).handle((r, e) -> {
            if (e == null) {
                attempts.add(new Attempt(route.provider(), route.model(), "ok", null, ms(t0), tries.count()));
                count(route.provider(), "ok");
                Outcome o = new Outcome(route.provider(), route.model(), r, ms(start), List.copyOf(attempts));
                observe(endpoint, call, o, null, ms(start), requestId);
                return CompletableFuture.completedFuture(o);
            }
            Attempt a = failed(route, e, ms(t0), tries.count());
            attempts.add(a);
            count(route.provider(), a.status());
            LOG.infof("[%s] provider %s failed for model %s: %s", requestId, route.provider(), route.model(), a.error());
            return tryRoute(chain, i + 1, call, endpoint, requestId, attempts, start);
        }).thenCompose(x -> x);
    }

    /** Blocks (worker threads only) until a provider in the chain has started answering. */
    public StreamStart openStream(ChatCall call, String requestId) {
        long start = System.nanoTime();
        List<ModelRouter.Route> chain = router.resolve(call.model(), "model");
        List<Attempt> attempts = new ArrayList<>();
        for (ModelRouter.Route route : chain) {
            ProviderClient p = providers.get(route.provider());
            if (!p.configured()) {
                attempts.add(notConfigured(route));
                continue;
            }
            long t0 = System.nanoTime();
            ProviderClient.Tries tries = new ProviderClient.Tries();
            try {
                ProviderClient.OpenStream s = p.stream(route.model(), call, tries, requestId,
                        Infrastructure.getDefaultWorkerPool());
                attempts.add(new Attempt(route.provider(), route.model(), "ok", null, ms(t0), tries.count()));
                count(route.provider(), "ok");
                return new StreamStart(route.provider(), route.model(), s, start, attempts, requestId);
            } catch (Exception e) {
                Attempt a = failed(route, e, ms(t0), tries.count());
                attempts.add(a);
                count(route.provider(), a.status());
                LOG.infof("[%s] provider %s failed to start a stream for model %s: %s", requestId, route.provider(),
                        route.model(), a.error());
            }
        }
        ChainFailedException failure = new ChainFailedException(call.model(), attempts);
        observe("/v1/chat/completions", call, null, failure, ms(start), requestId);
        throw failure;
    }

    /** Records a finished (or broken) stream as one observed operation. */
    public void streamFinished(ChatCall call, StreamStart s, ChatResult result, String error) {
        long latency = ms(s.startNanos());
        if (error == null) {
            observe("/v1/chat/completions", call, new Outcome(s.provider(), s.model(), result, latency, s.attempts()), null,
                    latency, s.requestId());
        } else {
            count(s.provider(), "stream_error");
            LOG.infof("[%s] stream from provider %s broke: %s", s.requestId(), s.provider(), error);
            ObjectNode res = Json.mapper().createObjectNode().put("provider", s.provider()).put("model", s.model())
                    .put("partial_content", result == null ? "" : result.content());
            observer.record(new ObservedOperation(null, null, "chatd", "/v1/chat/completions", s.requestId(), null, "chat",
                    call.model(), requestJson(call, true), res, false, latency, error, List.of("stream")));
        }
    }

    private static Attempt notConfigured(ModelRouter.Route route) {
        return new Attempt(route.provider(), route.model(), "not_configured",
                "provider is disabled or has no API key", 0, 0);
    }

    static Attempt failed(ModelRouter.Route route, Throwable e, long latency, int tries) {
        Throwable t = e;
        while (t.getCause() != null && !(t instanceof UpstreamException) && !(t instanceof TimeoutException)
                && !(t instanceof CircuitBreakerOpenException) && t != t.getCause()) {
            t = t.getCause();
        }
        String status;
        String error;
        if (t instanceof CircuitBreakerOpenException) {
            status = "circuit_open";
            error = "circuit breaker open";
        } else if (t instanceof TimeoutException) {
            status = "timeout";
            error = "timed out";
        } else if (t instanceof UpstreamException u) {
            status = u.kind().equals("timeout") ? "timeout" : "error";
            error = u.kind() + ": " + u.getMessage();
        } else {
            status = "error";
            error = t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
        }
        return new Attempt(route.provider(), route.model(), status, error, latency, tries);
    }

    private void observe(String endpoint, ChatCall call, Outcome o, ChainFailedException failure, long latency,
                         String requestId) {
        JsonNode result;
        if (o != null) {
            ObjectNode r = Json.mapper().createObjectNode();
            r.put("provider", o.provider()).put("model", o.model());
            r.putObject("message").put("role", "assistant").put("content", o.result().content());
            r.set("usage", Json.mapper().valueToTree(o.result().usage()));
            r.set("attempts", Json.mapper().valueToTree(o.attempts()));
            result = r;
        } else {
            ObjectNode r = Json.mapper().createObjectNode();
            r.set("attempts", Json.mapper().valueToTree(failure.attempts()));
            result = r;
        }
        observer.record(new ObservedOperation(null, null, "chatd", endpoint, requestId, null, "chat", call.model(),
                requestJson(call, false), result, o != null, latency, failure == null ? null : failure.getMessage(),
                null));
    }

    private static JsonNode requestJson(ChatCall call, boolean stream) {
        ObjectNode req = Json.mapper().valueToTree(call);
        if (stream) {
            req.put("stream", true);
        }
        return req;
    }

    private void count(String provider, String status) {
        providerMeters.attempt(provider, status);
    }

    private static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    public Set<String> weakModels() {
        return new java.util.LinkedHashSet<>(config.weakModels().orElse(List.of()));
    }
}

package com.lakehouse.embedd.service;

import com.lakehouse.contracts.error.ApiException;
import com.lakehouse.contracts.http.RequestIds;
import com.lakehouse.embedd.client.ProviderClients;
import com.lakehouse.embedd.client.UpstreamException;
import com.lakehouse.embedd.config.EmbeddConfig;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * What every embedding route does: resolve the model, enforce the limits, go through the cache, and turn a
 * provider failure into a 502/503 problem naming the provider and its status.
 */
@Singleton
public class EmbedService {
    private static final Logger LOG = Logger.getLogger(EmbedService.class);

    /** A model by name with its backend. */
    public record Model(String name, EmbeddingBackend backend) {
    }

    private final EmbeddConfig config;
    private final Map<String, EmbeddingBackend> backends;
    private final EmbeddingCache cache;
    private final MeterRegistry registry;
    private final ModelNames names;

    @Inject
    public EmbedService(EmbeddConfig config, ProviderClients clients, MeterRegistry registry) {
        this.config = config;
        this.backends = clients.backends();
        Map<String, List<String>> aliases = new java.util.LinkedHashMap<>();
        for (String name : backends.keySet()) {
            EmbeddConfig.Model m = config.models().get(name);
            aliases.put(name, m != null ? m.aliases().orElse(List.of())
                    : ProviderClients.BUILT_IN_LOCAL.equals(name) ? config.local().aliases() : List.of());
        }
        this.names = new ModelNames(aliases);
        this.cache = new EmbeddingCache(config.cache().maxBytes());
        this.registry = registry;
        FunctionCounter.builder("embed.cache.hits", cache, EmbeddingCache::hits)
                .description("texts answered from the cache").register(registry);
        FunctionCounter.builder("embed.cache.misses", cache, EmbeddingCache::misses)
                .description("texts not in the cache").register(registry);
        FunctionCounter.builder("embed.cache.coalesced", cache, EmbeddingCache::coalesced)
                .description("misses that joined an identical upstream call in flight").register(registry);
        FunctionCounter.builder("embed.upstream.calls", cache, EmbeddingCache::upstreamCalls)
                .description("provider calls made for cache misses").register(registry);
        FunctionCounter.builder("embed.upstream.texts", cache, EmbeddingCache::upstreamTexts)
                .description("texts sent to providers").register(registry);
        Gauge.builder("embed.cache.size", cache, EmbeddingCache::size)
                .description("entries in the cache").register(registry);
        Gauge.builder("embed.cache.bytes", cache, EmbeddingCache::bytes)
                .description("estimated bytes in the cache").baseUnit("bytes").register(registry);
    }

    /** Loads the local model at startup when configured (about half a second), so the first request is fast. */
    void onStart(@Observes StartupEvent ev, ProviderClients clients) {
        if (config.local().loadAtStart()) {
            clients.local().load();
        }
    }

    public EmbeddingCache cache() {
        return cache;
    }

    public Map<String, EmbeddingBackend> models() {
        return backends;
    }

    public String defaultModel() {
        return config.defaultModel();
    }

    /** Model names and aliases. */
    public ModelNames names() {
        return names;
    }

    /**
     * The named model, or the default when {@code name} is null or blank. The name may be an alias (ignoring
     * case) and may carry Ollama's {@code :latest}; answers name the canonical model. Unknown names are a 400
     * naming {@code field}.
     */
    public Model resolve(String name, String field) {
        String n = name == null || name.isBlank() ? config.defaultModel() : names.require(name, field);
        return new Model(n, backends.get(n));
    }

    /**
     * Checks a batch against the limits: not empty, at most {@code max-batch} items, none empty, none longer than
     * {@code max-text-chars}. {@code field} names the list in errors (items as {@code field[i]}).
     */
    public void checkTexts(List<String> texts, String field) {
        if (texts == null || texts.isEmpty()) {
            throw ApiException.badField(field, "no texts to embed: '" + field + "' is missing or empty");
        }
        int maxBatch = config.limits().maxBatch();
        if (texts.size() > maxBatch) {
            throw ApiException.unprocessable(field, texts.size() + " texts in one request; the limit is " + maxBatch);
        }
        int maxChars = config.limits().maxTextChars();
        for (int i = 0; i < texts.size(); i++) {
            String t = texts.get(i);
            String f = field + "[" + i + "]";
            if (t == null) {
                throw ApiException.badField(f, "text must be a string, not null");
            }
            if (t.isEmpty()) {
                throw ApiException.badField(f, "text must not be empty");
            }
            if (t.length() > maxChars) {
                throw ApiException.unprocessable(f, "text has " + t.length() + " characters; the limit is "
                        + maxChars);
            }
        }
    }

    /** Embeds checked {@code texts} with {@code model} through the cache. Fails with an {@link ApiException}. */
    public CompletionStage<List<float[]>> embed(Model model, List<String> texts) {
        String rid = RequestIds.current();
        EmbeddingBackend backend = model.backend();
        return cache.embed(model.name(), texts, misses -> backend.embed(misses, rid))
                .exceptionally(t -> {
                    ApiException api = toApi(model, t);
                    registry.counter("embed.upstream.errors", "model", model.name(), "provider", backend.provider(),
                            "code", api.code()).increment();
                    throw api;
                });
    }

    /** The dimension of a model's vectors: from an answer, or the backend's when the answer is empty. */
    public static int dimensionOf(Model model, List<float[]> vectors) {
        return vectors.isEmpty() ? model.backend().dimension() : vectors.get(0).length;
    }

    static ApiException toApi(Model model, Throwable t) {
        Throwable e = t;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        String provider = model.backend().provider();
        if (e instanceof ApiException api) {
            return api;
        }
        if (e instanceof UpstreamException u) {
            String detail = "model '" + model.name() + "': " + u.getMessage();
            if (u.status() == 0) {
                return ApiException.unavailable("upstream_unavailable", detail);
            }
            if (u.status() == 429) {
                return ApiException.unavailable("upstream_rate_limited", detail);
            }
            if (u.status() == 200) {
                return ApiException.badGateway("upstream_bad_response", detail);
            }
            return ApiException.badGateway("upstream_error", detail);
        }
        if (e instanceof CircuitBreakerOpenException) {
            return ApiException.unavailable("upstream_circuit_open", "model '" + model.name() + "': provider "
                    + provider + " failed repeatedly; its circuit breaker is open, calls resume after "
                    + "the configured delay");
        }
        if (e instanceof TimeoutException) {
            return ApiException.unavailable("upstream_timeout", "model '" + model.name() + "': provider " + provider
                    + " did not answer within the timeout");
        }
        LOG.errorf(e, "provider %s failed for model %s", provider, model.name());
        return ApiException.unavailable("provider_failed", "model '" + model.name() + "': provider " + provider
                + " failed: " + e.getClass().getSimpleName());
    }
}

package com.lakehouse.matrixd.service;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.lakehouse.contracts.client.UpstreamException;
import io.smallrye.mutiny.Uni;

import java.time.Duration;
import java.util.List;

/**
 * The embedding of a search's query text, per model, kept in a Caffeine cache bounded by bytes. A staffing desk
 * repeats its queries (the same job order searched again after a confirm, the same shorthand all morning), and an
 * embedding is a pure function of (model, text), so a repeat costs no call to embedd. Concurrent misses for the
 * same key share one call (the async cache holds the pending future); a failed call is not kept. Entries expire
 * after {@code ttl} so a model swapped behind the same name is picked up within that bound.
 */
public final class QueryVectors {
    /** The cache key: the model as the request names it (null = embedd's default) and the exact text. */
    private record Key(String model, String text) {
    }

    private final Embedder embedder;
    private final AsyncCache<Key, float[]> cache;

    private QueryVectors(Embedder embedder, AsyncCache<Key, float[]> cache) {
        this.embedder = embedder;
        this.cache = cache;
    }

    /** A cache of at most {@code maxBytes} (vector floats + text chars, estimated), entries living {@code ttl}. */
    public static QueryVectors cached(Embedder embedder, long maxBytes, Duration ttl) {
        AsyncCache<Key, float[]> cache = Caffeine.newBuilder()
                .maximumWeight(Math.max(0, maxBytes))
                .weigher((Key k, float[] v) -> 64 + 2 * k.text().length() + 4 * v.length)
                .expireAfterWrite(ttl)
                // eviction on the thread that completes or adds an entry, so the byte bound holds when that returns
                // (the default, the common pool, lets the cache run over it for a while under a burst of misses)
                .executor(Runnable::run)
                .buildAsync();
        return new QueryVectors(embedder, cache);
    }

    /** No cache: every search embeds its query (unit tests that count embed calls). */
    public static QueryVectors uncached(Embedder embedder) {
        return new QueryVectors(embedder, null);
    }

    /** The query's vector for {@code model}; fails with {@link UpstreamException} as embedd's call would. */
    public Uni<float[]> get(String text, String model) {
        if (cache == null) {
            return embed(text, model);
        }
        Key key = new Key(model, text);
        return Uni.createFrom().completionStage(() -> cache.get(key, (k, executor) -> embed(text, model)
                .subscribeAsCompletionStage()));
    }

    private Uni<float[]> embed(String text, String model) {
        return embedder.embed(List.of(text), model).map(e -> {
            if (e.vectors() == null || e.vectors().size() != 1) {
                throw new UpstreamException("embedd", 200, "expected 1 vector, got "
                        + (e.vectors() == null ? 0 : e.vectors().size()));
            }
            return e.vectors().get(0);
        });
    }

    /** Query vectors held (for the metrics and tests). */
    public long size() {
        if (cache == null) {
            return 0;
        }
        cache.synchronous().cleanUp();
        return cache.synchronous().estimatedSize();
    }
}

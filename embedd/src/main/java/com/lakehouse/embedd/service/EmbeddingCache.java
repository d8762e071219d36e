package com.lakehouse.embedd.service;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The embedding cache: Caffeine keyed by model + sha256(text), bounded by an estimate of bytes. A batch is split
 * into hits and one upstream call for its misses, answered in request order; identical misses that are in flight
 * (in this batch or another request) share one upstream call. The map of texts in flight is bounded by bytes
 * too ({@link #inFlightBudget}): past it a miss is still answered, by its own upstream call, but not shared, so a
 * burst of distinct texts cannot grow the map without bound. Plain Java, no Quarkus.
 */
public final class EmbeddingCache {
    /** Estimated bytes of one entry besides the vector: key object, digest array, node, array header. */
    static final int ENTRY_OVERHEAD = 160;
    /** Estimated bytes of one in-flight slot: the key, its digest, the future and the map node. */
    static final int IN_FLIGHT_OVERHEAD = 256;

    /** A cache key: the model name and the sha256 of the UTF-8 text. */
    public record Key(String model, byte[] sha256) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && model.equals(k.model) && Arrays.equals(sha256, k.sha256);
        }

        @Override
        public int hashCode() {
            return 31 * model.hashCode() + Arrays.hashCode(sha256);
        }

        @Override
        public String toString() {
            return model + ":" + java.util.HexFormat.of().formatHex(sha256);
        }
    }

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    private final Cache<Key, float[]> cache;
    private final long maxBytes;
    private final Map<Key, CompletableFuture<float[]>> inFlight = new ConcurrentHashMap<>();
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder coalesced = new LongAdder();
    private final LongAdder upstreamCalls = new LongAdder();
    private final LongAdder upstreamTexts = new LongAdder();
    private final LongAdder unshared = new LongAdder();
    private final java.util.concurrent.atomic.AtomicLong inFlightBytes = new java.util.concurrent.atomic.AtomicLong();
    private final long inFlightMaxBytes;

    /** @param maxBytes bound in bytes; 0 or less turns the cache off (coalescing stays). */
    public EmbeddingCache(long maxBytes) {
        this(maxBytes, null);
    }

    /** @param maintenance Caffeine's maintenance executor (tests pass {@code Runnable::run}); null = default. */
    public EmbeddingCache(long maxBytes, Executor maintenance) {
        this(maxBytes, maintenance, inFlightBudget(maxBytes));
    }

    /**
     * The in-flight map's default bound: a sixteenth of the cache's, at least 1 MiB (about 4,000 texts in flight)
     * and at most 16 MiB, so it follows the one memory knob the cache has.
     */
    static long inFlightBudget(long cacheMaxBytes) {
        return Math.max(1L << 20, Math.min(16L << 20, cacheMaxBytes / 16));
    }

    /** @param inFlightMaxBytes bound of the in-flight map in bytes (estimated per slot). */
    public EmbeddingCache(long maxBytes, Executor maintenance, long inFlightMaxBytes) {
        this.inFlightMaxBytes = Math.max(0, inFlightMaxBytes);
        this.maxBytes = Math.max(0, maxBytes);
        if (maxBytes > 0) {
            Caffeine<Key, float[]> b = Caffeine.newBuilder().maximumWeight(maxBytes)
                    .weigher((Key k, float[] v) -> weight(k, v));
            if (maintenance != null) {
                b = b.executor(maintenance);
            }
            this.cache = b.build();
        } else {
            this.cache = null;
        }
    }

    static int weight(Key k, float[] v) {
        return ENTRY_OVERHEAD + 2 * k.model().length() + 4 * v.length;
    }

    public static Key key(String model, String text) {
        MessageDigest md = SHA256.get();
        md.reset();
        return new Key(model, md.digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Embeds {@code texts} with {@code model}: hits from the cache, the misses in one call of {@code upstream}
     * (which must answer one vector per text, in order). The answer keeps the request's order. An upstream
     * failure fails this call and every request waiting on the same texts; nothing is cached for them.
     */
    public CompletableFuture<List<float[]>> embed(String model, List<String> texts,
            Function<List<String>, CompletionStage<List<float[]>>> upstream) {
        int n = texts.size();
        float[][] out = new float[n][];
        List<CompletableFuture<float[]>> pending = null;
        int[] pendingIdx = null;
        int pendingCount = 0;
        List<String> missTexts = null;
        List<Key> missKeys = null;
        List<CompletableFuture<float[]>> missFutures = null;
        for (int i = 0; i < n; i++) {
            String text = texts.get(i);
            Key key = key(model, text);
            float[] v = cache == null ? null : cache.getIfPresent(key);
            if (v != null) {
                hits.increment();
                out[i] = v;
                continue;
            }
            misses.increment();
            CompletableFuture<float[]> mine = new CompletableFuture<>();
            long slot = slotCost(key);
            if (inFlightBytes.addAndGet(slot) > inFlightMaxBytes) {
                // the in-flight map is full: answer this miss by itself rather than grow the map
                inFlightBytes.addAndGet(-slot);
                CompletableFuture<float[]> shared = inFlight.get(key);
                if (shared != null) {
                    coalesced.increment();
                } else {
                    unshared.increment();
                    if (missTexts == null) {
                        missTexts = new ArrayList<>();
                        missKeys = new ArrayList<>();
                        missFutures = new ArrayList<>();
                    }
                    missTexts.add(text);
                    missKeys.add(key);
                    missFutures.add(mine);
                }
                if (pending == null) {
                    pending = new ArrayList<>();
                    pendingIdx = new int[n];
                }
                pending.add(shared != null ? shared : mine);
                pendingIdx[pendingCount++] = i;
                continue;
            }
            CompletableFuture<float[]> existing = inFlight.putIfAbsent(key, mine);
            if (existing != null) {
                inFlightBytes.addAndGet(-slot);
            }
            CompletableFuture<float[]> wait;
            if (existing != null) {
                coalesced.increment();
                wait = existing;
            } else {
                // Another caller may have finished this text between our lookup and taking the slot.
                float[] late = cache == null ? null : cache.getIfPresent(key);
                if (late != null) {
                    release(key, mine);
                    mine.complete(late);
                    out[i] = late;
                    continue;
                }
                if (missTexts == null) {
                    missTexts = new ArrayList<>();
                    missKeys = new ArrayList<>();
                    missFutures = new ArrayList<>();
                }
                missTexts.add(text);
                missKeys.add(key);
                missFutures.add(mine);
                wait = mine;
            }
            if (pending == null) {
                pending = new ArrayList<>();
                pendingIdx = new int[n];
            }
            pending.add(wait);
            pendingIdx[pendingCount++] = i;
        }
        if (missTexts != null) {
            callUpstream(missTexts, missKeys, missFutures, upstream);
        }
        if (pending == null) {
            return CompletableFuture.completedFuture(Arrays.asList(out));
        }
        final List<CompletableFuture<float[]>> waits = pending;
        final int[] idx = pendingIdx;
        return CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            for (int j = 0; j < waits.size(); j++) {
                out[idx[j]] = waits.get(j).join();
            }
            return Arrays.asList(out);
        });
    }

    private void callUpstream(List<String> texts, List<Key> keys, List<CompletableFuture<float[]>> futures,
            Function<List<String>, CompletionStage<List<float[]>>> upstream) {
        upstreamCalls.increment();
        upstreamTexts.add(texts.size());
        BiConsumer<List<float[]>, Throwable> done = (vectors, error) -> {
            Throwable failure = error;
            if (failure == null && (vectors == null || vectors.size() != texts.size())) {
                failure = new IllegalStateException("upstream answered " + (vectors == null ? 0 : vectors.size())
                        + " vectors for " + texts.size() + " texts");
            }
            for (int j = 0; j < keys.size(); j++) {
                Key key = keys.get(j);
                CompletableFuture<float[]> f = futures.get(j);
                if (failure == null) {
                    float[] v = vectors.get(j);
                    if (cache != null) {
                        cache.put(key, v);
                    }
                    release(key, f);
                    f.complete(v);
                } else {
                    release(key, f);
                    f.completeExceptionally(failure);
                }
            }
        };
        CompletionStage<List<float[]>> stage;
        try {
            stage = upstream.apply(List.copyOf(texts));
        } catch (RuntimeException e) {
            done.accept(null, e);
            return;
        }
        stage.whenComplete(done);
    }

    private static long slotCost(Key key) {
        return IN_FLIGHT_OVERHEAD + 2L * key.model().length();
    }

    /** Frees an in-flight slot (only when this future holds it: an unshared miss never took one). */
    private void release(Key key, CompletableFuture<float[]> f) {
        if (inFlight.remove(key, f)) {
            inFlightBytes.addAndGet(-slotCost(key));
        }
    }

    /** Estimated bytes of the in-flight map. */
    public long inFlightBytes() {
        return inFlightBytes.get();
    }

    public long inFlightMaxBytes() {
        return inFlightMaxBytes;
    }

    /** Misses answered by a call of their own because the in-flight map was full. */
    public long unshared() {
        return unshared.sum();
    }

    /** Puts one vector (warm start). */
    public void put(Key key, float[] vector) {
        if (cache != null) {
            cache.put(key, vector);
        }
    }

    /** The cached entries of one model (a weakly consistent view), for snapshots. */
    public Map<Key, float[]> entriesOf(String model) {
        Map<Key, float[]> m = new java.util.HashMap<>();
        if (cache != null) {
            cache.asMap().forEach((k, v) -> {
                if (k.model().equals(model)) {
                    m.put(k, v);
                }
            });
        }
        return m;
    }

    public boolean enabled() {
        return cache != null;
    }

    public long maxBytes() {
        return maxBytes;
    }

    public long size() {
        if (cache == null) {
            return 0;
        }
        return cache.estimatedSize();
    }

    /** Weighted size in bytes (estimate) of what is cached. */
    public long bytes() {
        if (cache == null) {
            return 0;
        }
        return cache.policy().eviction().map(e -> e.weightedSize().orElse(0L)).orElse(0L);
    }

    public void cleanUp() {
        if (cache != null) {
            cache.cleanUp();
        }
    }

    public void invalidateAll() {
        if (cache != null) {
            cache.invalidateAll();
        }
    }

    public long hits() {
        return hits.sum();
    }

    public long misses() {
        return misses.sum();
    }

    public long coalesced() {
        return coalesced.sum();
    }

    public long upstreamCalls() {
        return upstreamCalls.sum();
    }

    public long upstreamTexts() {
        return upstreamTexts.sum();
    }

    public int inFlight() {
        return inFlight.size();
    }

    public double hitRate() {
        long h = hits(), m = misses();
        return h + m == 0 ? 0.0 : (double) h / (h + m);
    }
}

package com.lakehouse.embedd.service;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * The embedding cache: a Caffeine {@link AsyncCache} keyed by model + sha256(text), bounded by an estimate of
 * bytes. A batch is split into hits and one upstream call for its misses, answered in request order. Single
 * flight is Caffeine's: a miss is loaded through {@link AsyncCache#getAll(Iterable, java.util.function.BiFunction)},
 * which puts a future for each absent key and calls the loader once for those, so identical misses in flight (in
 * this batch or another request) share one upstream call; a failed load is removed, so errors are never cached.
 * Texts in flight are bounded by bytes too ({@link #inFlightBudget}): past it a miss is still answered, in the same
 * upstream call, but not shared, so a burst of distinct texts cannot grow the cache's in-flight entries (weight 0
 * to Caffeine until they complete) without bound. Plain Java, no Quarkus.
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

    /** Completed entries and the futures of loads in flight; with the cache off, only the latter. */
    private final AsyncCache<Key, float[]> cache;
    private final boolean enabled;
    private final long maxBytes;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder coalesced = new LongAdder();
    private final LongAdder upstreamCalls = new LongAdder();
    private final LongAdder upstreamTexts = new LongAdder();
    private final LongAdder unshared = new LongAdder();
    private final AtomicLong inFlightBytes = new AtomicLong();
    private final AtomicInteger inFlightSlots = new AtomicInteger();
    private final long inFlightMaxBytes;

    /** @param maxBytes bound in bytes; 0 or less turns the cache off (coalescing stays). */
    public EmbeddingCache(long maxBytes) {
        this(maxBytes, null);
    }

    /** @param maintenance Caffeine's executor (tests pass {@code Runnable::run}); null = default. */
    public EmbeddingCache(long maxBytes, Executor maintenance) {
        this(maxBytes, maintenance, inFlightBudget(maxBytes));
    }

    /**
     * The in-flight bound's default: a sixteenth of the cache's, at least 1 MiB (about 4,000 texts in flight) and
     * at most 16 MiB, so it follows the one memory knob the cache has.
     */
    static long inFlightBudget(long cacheMaxBytes) {
        return Math.max(1L << 20, Math.min(16L << 20, cacheMaxBytes / 16));
    }

    /** @param inFlightMaxBytes bound of the texts in flight in bytes (estimated per slot). */
    public EmbeddingCache(long maxBytes, Executor maintenance, long inFlightMaxBytes) {
        this.inFlightMaxBytes = Math.max(0, inFlightMaxBytes);
        this.maxBytes = Math.max(0, maxBytes);
        this.enabled = maxBytes > 0;
        Caffeine<Object, Object> b = Caffeine.newBuilder();
        if (maintenance != null) {
            b = b.executor(maintenance);
        }
        // Off: unbounded, but a load's entry is removed before its future completes, so only loads in flight
        // (bounded by inFlightMaxBytes) are ever in it.
        if (enabled) {
            this.cache = b.maximumWeight(maxBytes).weigher((Key k, float[] v) -> weight(k, v)).buildAsync();
        } else {
            this.cache = b.buildAsync();
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

    /** One text of a batch that is not a hit. */
    private record Miss(int index, String text, Key key, boolean shared, CompletableFuture<float[]> answer) {
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
        List<CompletableFuture<float[]>> waits = new ArrayList<>();
        List<Integer> waitIdx = new ArrayList<>();
        List<Miss> batch = new ArrayList<>();
        Map<Key, CompletableFuture<float[]>> reserved = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String text = texts.get(i);
            Key key = key(model, text);
            CompletableFuture<float[]> present = cache.getIfPresent(key);
            if (present != null && present.state() == Future.State.SUCCESS) {
                hits.increment();
                out[i] = present.resultNow();
                continue;
            }
            misses.increment();
            CompletableFuture<float[]> wait;
            CompletableFuture<float[]> mine = reserved.get(key);
            if (mine != null || (present != null && !present.isDone())) {
                coalesced.increment(); // a duplicate in this batch, or a load of another request
                wait = mine != null ? mine : present;
            } else if (reserve(key)) {
                wait = new CompletableFuture<>();
                reserved.put(key, wait);
                batch.add(new Miss(i, text, key, true, wait));
            } else {
                unshared.increment(); // no room in flight: answered by this batch's call, not shared
                wait = new CompletableFuture<>();
                batch.add(new Miss(i, text, key, false, wait));
            }
            waits.add(wait);
            waitIdx.add(i);
        }
        if (!batch.isEmpty()) {
            load(batch, reserved, upstream);
        }
        if (waits.isEmpty()) {
            return CompletableFuture.completedFuture(Arrays.asList(out));
        }
        return CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            for (int j = 0; j < waits.size(); j++) {
                out[waitIdx.get(j)] = waits.get(j).join();
            }
            return Arrays.asList(out);
        });
    }

    /**
     * Loads the reserved keys through Caffeine (which calls the loader, synchronously, with those still absent)
     * and sends their texts with the unshared ones in one upstream call; with nothing left to load, the unshared
     * ones go alone.
     */
    private void load(List<Miss> batch, Map<Key, CompletableFuture<float[]>> reserved,
            Function<List<String>, CompletionStage<List<float[]>>> upstream) {
        AtomicReference<Set<Key>> loading = new AtomicReference<>();
        if (!reserved.isEmpty()) {
            CompletableFuture<Map<Key, float[]>> all = cache.getAll(reserved.keySet(), (keys, executor) -> {
                loading.set(Set.copyOf(keys));
                return call(batch, loading.get(), upstream);
            });
            for (Key k : reserved.keySet()) {
                if (loading.get() == null || !loading.get().contains(k)) {
                    release(k); // someone else's load took it between our look and Caffeine's
                    coalesced.increment();
                }
            }
            all.whenComplete((m, e) -> reserved.forEach((k, f) -> {
                if (e != null) {
                    f.completeExceptionally(e instanceof CompletionException && e.getCause()
                            != null ? e.getCause() : e);
                } else {
                    f.complete(m.get(k));
                }
            }));
        }
        if (loading.get() == null && batch.stream().anyMatch(m -> !m.shared())) {
            call(batch, Set.of(), upstream);
        }
    }

    /**
     * One upstream call for the misses of {@code batch} that are unshared or in {@code loading}, in request order.
     * Completes the unshared answers itself; the answer for {@code loading} is the returned map, which Caffeine
     * puts in the cache. The in-flight slots of {@code loading} are freed first.
     */
    private CompletableFuture<Map<Key, float[]>> call(List<Miss> batch, Set<Key> loading,
            Function<List<String>, CompletionStage<List<float[]>>> upstream) {
        List<Miss> sent = new ArrayList<>();
        for (Miss m : batch) {
            if (!m.shared() || loading.contains(m.key())) {
                sent.add(m);
            }
        }
        List<String> sentTexts = sent.stream().map(Miss::text).toList();
        upstreamCalls.increment();
        upstreamTexts.add(sentTexts.size());
        CompletableFuture<Map<Key, float[]>> result = new CompletableFuture<>();
        CompletionStage<List<float[]>> stage;
        try {
            stage = upstream.apply(sentTexts);
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        stage.whenComplete((vectors, error) -> {
            Throwable failure = error instanceof CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            if (failure == null && (vectors == null || vectors.size() != sent.size())) {
                failure = new IllegalStateException("upstream answered " + (vectors == null ? 0 : vectors.size())
                        + " vectors for " + sent.size() + " texts");
            }
            loading.forEach(this::release);
            if (!enabled) {
                loading.forEach(k -> cache.synchronous().invalidate(k)); // off: keep nothing once answered
            }
            Map<Key, float[]> loaded = new HashMap<>();
            for (int j = 0; j < sent.size(); j++) {
                Miss m = sent.get(j);
                if (failure != null) {
                    if (!m.shared()) {
                        m.answer().completeExceptionally(failure);
                    }
                    continue;
                }
                float[] v = vectors.get(j);
                if (m.shared()) {
                    loaded.put(m.key(), v);
                } else {
                    if (enabled) {
                        cache.asMap().putIfAbsent(m.key(), CompletableFuture.completedFuture(v));
                    }
                    m.answer().complete(v);
                }
            }
            if (failure != null) {
                result.completeExceptionally(failure);
            } else {
                result.complete(loaded);
            }
        });
        return result;
    }

    private static long slotCost(Key key) {
        return IN_FLIGHT_OVERHEAD + 2L * key.model().length();
    }

    /** Takes an in-flight slot if the budget has room. */
    private boolean reserve(Key key) {
        long slot = slotCost(key);
        if (inFlightBytes.addAndGet(slot) > inFlightMaxBytes) {
            inFlightBytes.addAndGet(-slot);
            return false;
        }
        inFlightSlots.incrementAndGet();
        return true;
    }

    private void release(Key key) {
        inFlightBytes.addAndGet(-slotCost(key));
        inFlightSlots.decrementAndGet();
    }

    /** Estimated bytes of the texts in flight. */
    public long inFlightBytes() {
        return inFlightBytes.get();
    }

    public long inFlightMaxBytes() {
        return inFlightMaxBytes;
    }

    /** Misses answered without sharing because the in-flight budget was full. */
    public long unshared() {
        return unshared.sum();
    }

    /** Puts one vector (warm start). */
    public void put(Key key, float[] vector) {
        if (enabled) {
            cache.synchronous().put(key, vector);
        }
    }

    /** The cached entries of one model (a weakly consistent view), for snapshots. */
    public Map<Key, float[]> entriesOf(String model) {
        Map<Key, float[]> m = new HashMap<>();
        if (enabled) {
            cache.asMap().forEach((k, f) -> {
                if (k.model().equals(model) && f.state() == Future.State.SUCCESS) {
                    m.put(k, f.resultNow());
                }
            });
        }
        return m;
    }

    public boolean enabled() {
        return enabled;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** Entries in the cache (Caffeine's estimate, loads in flight included). */
    public long size() {
        return enabled ? cache.synchronous().estimatedSize() : 0;
    }

    /** Weighted size in bytes (estimate) of what is cached; loads in flight weigh 0. */
    public long bytes() {
        if (!enabled) {
            return 0;
        }
        return cache.synchronous().policy().eviction().map(e -> e.weightedSize().orElse(0L)).orElse(0L);
    }

    public void cleanUp() {
        cache.synchronous().cleanUp();
    }

    public void invalidateAll() {
        if (enabled) {
            cache.synchronous().invalidateAll();
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

    /** Texts in flight that others can share (their slots). */
    public int inFlight() {
        return inFlightSlots.get();
    }

    public double hitRate() {
        long h = hits(), m = misses();
        return h + m == 0 ? 0.0 : (double) h / (h + m);
    }
}

package com.lakehouse.embedd.service;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.*;

class EmbeddingCacheTest {
    /** An upstream that records every batch and answers {len(text), index-in-batch} vectors. */
    static final class Recording implements Function<List<String>, CompletionStage<List<float[]>>> {
        final List<List<String>> calls = new ArrayList<>();
        final List<CompletableFuture<List<float[]>>> held = new ArrayList<>();
        boolean hold;

        @Override
        public CompletionStage<List<float[]>> apply(List<String> texts) {
            calls.add(texts);
            CompletableFuture<List<float[]>> f = new CompletableFuture<>();
            if (hold) {
                held.add(f);
            } else {
                f.complete(answer(texts));
            }
            return f;
        }

        static List<float[]> answer(List<String> texts) {
            List<float[]> out = new ArrayList<>();
            for (String t : texts) {
                out.add(vec(t));
            }
            return out;
        }
    }

    static float[] vec(String t) {
        return new float[] {t.length(), t.hashCode()};
    }

    @Test
    void splitsHitsAndOneCallForTheMissesInOrder() {
        EmbeddingCache cache = new EmbeddingCache(1 << 20, Runnable::run);
        Recording up = new Recording();
        cache.embed("m", List.of("b", "d"), up).join();
        List<float[]> out = cache.embed("m", List.of("a", "b", "c", "d", "e"), up).join();
        assertEquals(2, up.calls.size());
        assertEquals(List.of("a", "c", "e"), up.calls.get(1));
        String[] expect = {"a", "b", "c", "d", "e"};
        for (int i = 0; i < expect.length; i++) {
            assertArrayEquals(vec(expect[i]), out.get(i));
        }
        assertEquals(2, cache.hits());
        assertEquals(5, cache.misses());
        assertEquals(5, cache.size());
        assertEquals(2.0 / 7, cache.hitRate(), 1e-9);
        // all hits: no further upstream call
        cache.embed("m", List.of("e", "a"), up).join();
        assertEquals(2, up.calls.size());
    }

    @Test
    void modelIsPartOfTheKey() {
        EmbeddingCache cache = new EmbeddingCache(1 << 20, Runnable::run);
        Recording up = new Recording();
        cache.embed("m1", List.of("same"), up).join();
        cache.embed("m2", List.of("same"), up).join();
        assertEquals(2, up.calls.size());
    }

    @Test
    void theInFlightMapIsBoundedByBytesAndAFullOneStillAnswers() {
        // room for two slots: x and y are shared, z (and its duplicate) go upstream on their own
        long slot = EmbeddingCache.IN_FLIGHT_OVERHEAD + 2L;
        EmbeddingCache cache = new EmbeddingCache(1 << 20, Runnable::run, 2 * slot);
        Recording up = new Recording();
        up.hold = true;
        CompletableFuture<List<float[]>> first = cache.embed("m", List.of("x", "y", "z", "z"), up);
        assertEquals(2, cache.inFlight());
        assertEquals(2 * slot, cache.inFlightBytes());
        assertEquals(2, cache.unshared());
        assertEquals(List.of(List.of("x", "y", "z", "z")), up.calls);
        CompletableFuture<List<float[]>> second = cache.embed("m", List.of("y", "w"), up);
        assertEquals(1, cache.coalesced(), "y is shared with the first call");
        assertEquals(List.of("w"), up.calls.get(1));
        up.held.get(0).complete(Recording.answer(up.calls.get(0)));
        up.held.get(1).complete(Recording.answer(up.calls.get(1)));
        List<float[]> a = first.join();
        assertArrayEquals(vec("z"), a.get(3));
        assertArrayEquals(vec("y"), second.join().get(0));
        assertArrayEquals(vec("w"), second.join().get(1));
        assertEquals(0, cache.inFlight());
        assertEquals(0, cache.inFlightBytes());
    }

    @Test
    void concurrentIdenticalMissesShareOneUpstreamCall() {
        EmbeddingCache cache = new EmbeddingCache(1 << 20, Runnable::run);
        Recording up = new Recording();
        up.hold = true;
        CompletableFuture<List<float[]>> first = cache.embed("m", List.of("x", "y"), up);
        CompletableFuture<List<float[]>> second = cache.embed("m", List.of("y", "z", "x", "z"), up);
        assertEquals(2, up.calls.size());
        assertEquals(List.of("x", "y"), up.calls.get(0));
        assertEquals(List.of("z"), up.calls.get(1), "duplicates within a batch are asked for once");
        assertEquals(3, cache.inFlight());
        assertFalse(second.isDone());
        up.held.get(0).complete(Recording.answer(up.calls.get(0)));
        assertTrue(first.isDone());
        assertFalse(second.isDone(), "still waits for z");
        up.held.get(1).complete(Recording.answer(up.calls.get(1)));
        List<float[]> out = second.join();
        assertArrayEquals(vec("y"), out.get(0));
        assertArrayEquals(vec("z"), out.get(1));
        assertArrayEquals(vec("x"), out.get(2));
        assertArrayEquals(vec("z"), out.get(3));
        assertEquals(0, cache.inFlight());
        assertEquals(3, cache.coalesced());
    }

    @Test
    void manyThreadsAskingForOneTextCauseOneModelCall() throws Exception {
        // Caffeine's own executor and real threads: all N requests are made while the one model call is held
        int n = 32;
        EmbeddingCache cache = new EmbeddingCache(1 << 20);
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        CompletableFuture<List<float[]>> held = new CompletableFuture<>();
        Function<List<String>, CompletionStage<List<float[]>>> up = texts -> {
            calls.incrementAndGet();
            assertEquals(List.of("the same text"), texts);
            return held;
        };
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(n);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n);
        try {
            List<java.util.concurrent.Future<CompletableFuture<List<float[]>>>> asked = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                asked.add(pool.submit(() -> {
                    start.await();
                    return cache.embed("m", List.of("the same text"), up);
                }));
            }
            List<CompletableFuture<List<float[]>>> answers = new ArrayList<>();
            for (var a : asked) {
                answers.add(a.get());
            }
            assertEquals(1, calls.get(), "one model call for " + n + " concurrent requests");
            assertEquals(n - 1, cache.coalesced());
            assertEquals(1, cache.inFlight());
            assertTrue(answers.stream().noneMatch(CompletableFuture::isDone));
            held.complete(List.of(vec("the same text")));
            for (var a : answers) {
                assertArrayEquals(vec("the same text"), a.join().get(0));
            }
            assertEquals(0, cache.inFlight());
            assertEquals(1, cache.upstreamCalls());
            assertArrayEquals(vec("the same text"), cache.embed("m", List.of("the same text"), up).join().get(0));
            assertEquals(1, calls.get(), "then a hit");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void cacheOffStillSharesALoadInFlightAndKeepsNothing() {
        EmbeddingCache cache = new EmbeddingCache(0, Runnable::run);
        Recording up = new Recording();
        up.hold = true;
        CompletableFuture<List<float[]>> a = cache.embed("m", List.of("x"), up);
        CompletableFuture<List<float[]>> b = cache.embed("m", List.of("x"), up);
        assertEquals(1, up.calls.size());
        up.held.get(0).complete(Recording.answer(up.calls.get(0)));
        assertArrayEquals(vec("x"), a.join().get(0));
        assertArrayEquals(vec("x"), b.join().get(0));
        assertEquals(0, cache.inFlight());
        assertTrue(cache.entriesOf("m").isEmpty());
        cache.embed("m", List.of("x"), up);
        assertEquals(2, up.calls.size(), "nothing kept once answered");
    }

    @Test
    void failureReachesEveryWaiterAndCachesNothing() {
        EmbeddingCache cache = new EmbeddingCache(1 << 20, Runnable::run);
        Recording up = new Recording();
        up.hold = true;
        CompletableFuture<List<float[]>> a = cache.embed("m", List.of("x"), up);
        CompletableFuture<List<float[]>> b = cache.embed("m", List.of("x"), up);
        up.held.get(0).completeExceptionally(new IllegalStateException("down"));
        assertThrows(CompletionException.class, a::join);
        CompletionException e = assertThrows(CompletionException.class, b::join);
        assertEquals("down", e.getCause().getMessage());
        assertEquals(0, cache.inFlight());
        assertEquals(0, cache.size());
        up.hold = false;
        assertArrayEquals(vec("x"), cache.embed("m", List.of("x"), up).join().get(0));
    }

    @Test
    void wrongVectorCountIsAFailure() {
        EmbeddingCache cache = new EmbeddingCache(1 << 20, Runnable::run);
        CompletableFuture<List<float[]>> f = cache.embed("m", List.of("a", "b"),
                t -> CompletableFuture.completedFuture(List.of(vec("a"))));
        assertThrows(CompletionException.class, f::join);
        assertEquals(0, cache.inFlight());
    }

    @Test
    void synchronousThrowIsAFailureNotALeak() {
        EmbeddingCache cache = new EmbeddingCache(1 << 20, Runnable::run);
        CompletableFuture<List<float[]>> f = cache.embed("m", List.of("a"), t -> {
            throw new IllegalStateException("boom");
        });
        assertThrows(CompletionException.class, f::join);
        assertEquals(0, cache.inFlight());
    }

    @Test
    void boundedByWeight() {
        int dim = 384;
        int perEntry = EmbeddingCache.ENTRY_OVERHEAD + 2 + 4 * dim;
        EmbeddingCache cache = new EmbeddingCache(100L * perEntry, Runnable::run);
        Function<List<String>, CompletionStage<List<float[]>>> up = texts -> {
            List<float[]> out = new ArrayList<>();
            texts.forEach(t -> out.add(new float[dim]));
            return CompletableFuture.completedFuture(out);
        };
        for (int i = 0; i < 300; i++) {
            cache.embed("m", List.of("text " + i), up).join();
        }
        cache.cleanUp();
        assertTrue(cache.size() <= 100, "size " + cache.size());
        assertTrue(cache.bytes() <= 100L * perEntry, "bytes " + cache.bytes());
    }

    @Test
    void zeroBytesTurnsTheCacheOff() {
        EmbeddingCache cache = new EmbeddingCache(0);
        Recording up = new Recording();
        cache.embed("m", List.of("a"), up).join();
        cache.embed("m", List.of("a"), up).join();
        assertEquals(2, up.calls.size());
        assertFalse(cache.enabled());
        assertEquals(0, cache.hits());
    }
}

package com.lakehouse.matrixd.service;

import com.lakehouse.contracts.client.UpstreamException;
import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QueryVectorsTest {
    /** Counts calls; answers a 384-d vector whose first component is the text length, or fails while {@code down}. */
    static final class Counting implements Embedder {
        final AtomicInteger calls = new AtomicInteger();
        volatile boolean down;
        volatile CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);

        @Override
        public Uni<Embedding> embed(List<String> texts, String model) {
            calls.incrementAndGet();
            if (down) {
                return Uni.createFrom().failure(new UpstreamException("embedd", 0, "down"));
            }
            float[] v = new float[384];
            v[0] = texts.get(0).length();
            return Uni.createFrom().completionStage(gate).map(x -> new Embedding(model, 384, List.of(v)));
        }
    }

    @Test
    void aRepeatIsServedFromTheCachePerModel() {
        Counting e = new Counting();
        QueryVectors q = QueryVectors.cached(e, 1 << 20, Duration.ofMinutes(10));
        float[] a = q.get("forklift detroit", null).await().indefinitely();
        float[] b = q.get("forklift detroit", null).await().indefinitely();
        assertArrayEquals(a, b);
        assertEquals(1, e.calls.get());
        q.get("forklift detroit", "other-model").await().indefinitely();
        assertEquals(2, e.calls.get(), "another model is another key");
    }

    @Test
    void concurrentMissesShareOneCall() {
        Counting e = new Counting();
        CompletableFuture<Void> gate = new CompletableFuture<>();
        e.gate = gate;
        QueryVectors q = QueryVectors.cached(e, 1 << 20, Duration.ofMinutes(10));
        CompletableFuture<float[]> first = q.get("pickers", null).subscribeAsCompletionStage();
        CompletableFuture<float[]> second = q.get("pickers", null).subscribeAsCompletionStage();
        gate.complete(null);
        assertArrayEquals(first.join(), second.join());
        assertEquals(1, e.calls.get());
    }

    @Test
    void aFailureIsNotKept() {
        Counting e = new Counting();
        e.down = true;
        QueryVectors q = QueryVectors.cached(e, 1 << 20, Duration.ofMinutes(10));
        assertThrows(UpstreamException.class, () -> q.get("welders", null).await().indefinitely());
        e.down = false;
        assertEquals(7f, q.get("welders", null).await().indefinitely()[0]);
        assertEquals(2, e.calls.get());
    }

    @Test
    void theCacheIsBoundedByBytes() {
        Counting e = new Counting();
        // room for about ten 384-d vectors
        QueryVectors q = QueryVectors.cached(e, 10 * (64 + 4 * 384 + 40), Duration.ofMinutes(10));
        for (int i = 0; i < 200; i++) {
            q.get("query number " + i, null).await().indefinitely();
        }
        assertTrue(q.size() <= 12, "held " + q.size());
    }

    @Test
    void uncachedAsksEveryTime() {
        Counting e = new Counting();
        QueryVectors q = QueryVectors.uncached(e);
        q.get("x", null).await().indefinitely();
        q.get("x", null).await().indefinitely();
        assertEquals(2, e.calls.get());
    }
}

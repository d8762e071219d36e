package com.lakehouse.contracts.commit;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GroupCommitTest {
    @Test
    void itemsQueuedWhileACommitIsInFlightShareTheNextCommitInOrder() throws Exception {
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<List<Integer>> batches = Collections.synchronizedList(new ArrayList<>());
        try (GroupCommit<Integer> gc = new GroupCommit<>("t", 100, batch -> {
            batches.add(List.copyOf(batch));
            firstStarted.countDown();
            release.await();
        })) {
            CompletableFuture<Void> first = gc.enqueue(0);
            firstStarted.await();
            List<CompletableFuture<Void>> rest = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                rest.add(gc.enqueue(i));
            }
            assertTrue(rest.stream().noneMatch(CompletableFuture::isDone), "nothing is acknowledged before its commit");
            release.countDown();
            first.get(10, TimeUnit.SECONDS);
            for (CompletableFuture<Void> f : rest) {
                f.get(10, TimeUnit.SECONDS);
            }
            assertEquals(List.of(List.of(0), List.of(1, 2, 3, 4, 5)), batches);
            assertEquals(2, gc.batches());
            assertEquals(6, gc.items());
        }
    }

    @Test
    void aBatchIsCappedAtMaxBatch() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
        try (GroupCommit<Integer> gc = new GroupCommit<>("t", 3, batch -> {
            sizes.add(batch.size());
            release.await();
        })) {
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                all.add(gc.enqueue(i));
            }
            release.countDown();
            for (CompletableFuture<Void> f : all) {
                f.get(10, TimeUnit.SECONDS);
            }
            assertTrue(sizes.stream().allMatch(s -> s <= 3), sizes.toString());
            assertEquals(7, sizes.stream().mapToInt(Integer::intValue).sum());
        }
    }

    @Test
    void aFailedCommitFailsEveryCallerOfItsBatchWithTheCauseAndTheHookRuns() {
        AtomicInteger hook = new AtomicInteger();
        try (GroupCommit<String> gc = new GroupCommit<>("t", 10, batch -> {
            if (batch.contains("bad")) {
                throw new IllegalStateException("disk full");
            }
        }, cause -> hook.incrementAndGet())) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> gc.commit("bad"));
            assertEquals("disk full", e.getMessage());
            assertEquals(1, hook.get());
            gc.commit("good");
            assertEquals(1, gc.items());
        }
    }

    @Test
    void failQueuedFailsWhatTheWriterHasNotTaken() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        try (GroupCommit<Integer> gc = new GroupCommit<>("t", 10, batch -> {
            started.countDown();
            release.await();
        })) {
            CompletableFuture<Void> inFlight = gc.enqueue(1);
            started.await();
            CompletableFuture<Void> queued = gc.enqueue(2);
            assertEquals(1, gc.failQueued(new IllegalStateException("dropped")));
            release.countDown();
            inFlight.get(10, TimeUnit.SECONDS);
            assertTrue(queued.isCompletedExceptionally());
        }
    }

    @Test
    void manyConcurrentCallersAreAllCommittedExactlyOnce() throws Exception {
        List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try (GroupCommit<Integer> gc = new GroupCommit<>("t", 64, seen::addAll)) {
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                int n = i;
                fs.add(pool.submit(() -> gc.commit(n)));
            }
            for (Future<?> f : fs) {
                f.get(30, TimeUnit.SECONDS);
            }
            assertEquals(2000, seen.size());
            assertEquals(2000, seen.stream().distinct().count());
            assertEquals(2000, gc.items());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aClosedCommitRefusesNewItems() {
        GroupCommit<Integer> gc = new GroupCommit<>("t", 10, batch -> {
        });
        gc.close();
        assertThrows(IllegalStateException.class, () -> gc.commit(1));
    }
}

package com.lakehouse.contracts.commit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Group commit: callers queue items, one writer thread takes everything queued (up to {@code maxBatch}) and
 * makes it durable in one {@link Sink#commit} call (one S3 put, one fsync), then completes each caller's future.
 * A caller is acknowledged only after the batch holding its item is durable; if the sink throws, every item of
 * that batch fails with the same cause. There is no lingering: a lone item is committed at once, and items
 * pile up (and share the next commit) only while a commit is in flight, so latency never grows to gain a batch.
 *
 * <p>The queue needs no bound of its own: every queued item belongs to a caller blocked in {@link #commit}
 * (or holding the future of {@link #enqueue}), so it is bounded by the callers' thread pool.
 */
public final class GroupCommit<T> implements AutoCloseable {
    /** Makes a batch durable, in order; throws when it could not (then nothing of the batch counts as written). */
    @FunctionalInterface
    public interface Sink<T> {
        void commit(List<T> batch) throws Exception;
    }

    /** Called on the writer thread after a batch failed and its callers were told. */
    @FunctionalInterface
    public interface FailureHook {
        void failed(Throwable cause);
    }

    private record Pending<T>(T item, CompletableFuture<Void> done) {
    }

    private final LinkedBlockingQueue<Pending<T>> queue = new LinkedBlockingQueue<>();
    private final int maxBatch;
    private final Sink<T> sink;
    private final FailureHook onFailure;
    private final Thread writer;
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong items = new AtomicLong();
    private volatile boolean closed;

    public GroupCommit(String threadName, int maxBatch, Sink<T> sink) {
        this(threadName, maxBatch, sink, cause -> {
        });
    }

    public GroupCommit(String threadName, int maxBatch, Sink<T> sink, FailureHook onFailure) {
        this.maxBatch = Math.max(1, maxBatch);
        this.sink = sink;
        this.onFailure = onFailure;
        this.writer = new Thread(this::run, threadName);
        writer.setDaemon(true);
        writer.start();
    }

    /** Queues one item; the future completes when it is durable, or exceptionally with the sink's error. */
    public CompletableFuture<Void> enqueue(T item) {
        Pending<T> p = new Pending<>(item, new CompletableFuture<>());
        if (closed) {
            p.done.completeExceptionally(new IllegalStateException("group commit " + writer.getName() + " is closed"));
            return p.done;
        }
        queue.add(p);
        return p.done;
    }

    /** Queues one item and waits until it is durable; rethrows the sink's exception (unchecked ones as they are). */
    public void commit(T item) {
        await(enqueue(item));
    }

    /** Waits for a future from {@link #enqueue}, rethrowing the sink's runtime exception as itself. */
    public static void await(CompletableFuture<Void> done) {
        try {
            done.join();
        } catch (CompletionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(c);
        }
    }

    /**
     * Fails every item still queued (not yet taken by the writer) with {@code cause}; returns how many. A log
     * whose commit failed calls this from its {@link FailureHook} when queued items were decided on top of the
     * failed ones.
     */
    public int failQueued(Throwable cause) {
        List<Pending<T>> rest = new ArrayList<>();
        queue.drainTo(rest);
        rest.forEach(p -> p.done.completeExceptionally(cause));
        return rest.size();
    }

    /** Batches committed so far. */
    public long batches() {
        return batches.get();
    }

    /** Items committed so far (items / batches = the mean batch size). */
    public long items() {
        return items.get();
    }

    private void run() {
        List<Pending<T>> batch = new ArrayList<>();
        List<T> payload = new ArrayList<>();
        while (!closed) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                break;
            }
            queue.drainTo(batch, maxBatch - 1);
            for (Pending<T> p : batch) {
                payload.add(p.item);
            }
            Throwable failure = null;
            try {
                sink.commit(payload);
            } catch (Throwable t) {
                failure = t;
            }
            if (failure == null) {
                batches.incrementAndGet();
                items.addAndGet(batch.size());
                batch.forEach(p -> p.done.complete(null));
            } else {
                Throwable cause = failure;
                // The hook first (it puts the caller's state back to what is durable), then the callers: one that
                // retries at once must not see the state of the batch that failed.
                try {
                    onFailure.failed(cause);
                } catch (RuntimeException ignored) {
                    // the hook's own trouble must not stop the writer
                }
                batch.forEach(p -> p.done.completeExceptionally(cause));
            }
            batch.clear();
            payload.clear();
        }
        failQueued(new IllegalStateException("group commit " + writer.getName() + " is closed"));
    }

    /** Stops the writer after the batch in flight; items still queued fail. */
    @Override
    public void close() {
        closed = true;
        writer.interrupt();
        try {
            writer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        failQueued(new IllegalStateException("group commit " + writer.getName() + " is closed"));
    }
}

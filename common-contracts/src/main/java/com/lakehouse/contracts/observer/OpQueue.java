package com.lakehouse.contracts.observer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The observer client's in-memory queue, bounded by bytes: each operation is held as the JSON it will be shipped
 * as, so what the queue costs is known exactly (one operation may carry a 5 MB result, another 200 bytes).
 * Full: the oldest operations are dropped to make room (the newest are the most useful to someone debugging
 * right now), and the caller counts what this returns. Thread-safe.
 */
public final class OpQueue {
    /** Heap cost of a queued operation beyond its JSON: the array header and the deque slot. */
    static final int OVERHEAD = 32;

    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private final long maxBytes;
    private long bytes;

    public OpQueue(long maxBytes) {
        this.maxBytes = Math.max(1, maxBytes);
    }

    static long cost(byte[] op) {
        return op.length + OVERHEAD;
    }

    /** Appends one operation, dropping the oldest until it fits; returns how many were dropped (itself, when larger than the bound). */
    public synchronized int addLast(byte[] op) {
        if (cost(op) > maxBytes) {
            return 1;
        }
        int dropped = 0;
        while (bytes + cost(op) > maxBytes) {
            bytes -= cost(queue.pollFirst());
            dropped++;
        }
        queue.addLast(op);
        bytes += cost(op);
        return dropped;
    }

    /**
     * Puts a batch that could not be shipped back at the front, in order. What does not fit is dropped, oldest
     * first (the batch is older than anything queued meanwhile); returns how many were dropped.
     */
    public synchronized int requeue(List<byte[]> batch) {
        int dropped = 0;
        for (int i = batch.size() - 1; i >= 0; i--) {
            byte[] op = batch.get(i);
            if (bytes + cost(op) > maxBytes) {
                dropped += i + 1;
                break;
            }
            queue.addFirst(op);
            bytes += cost(op);
        }
        return dropped;
    }

    /** Takes up to {@code maxCount} operations from the front, oldest first. */
    public synchronized List<byte[]> poll(int maxCount) {
        List<byte[]> out = new ArrayList<>(Math.min(maxCount, queue.size()));
        while (out.size() < maxCount && !queue.isEmpty()) {
            byte[] op = queue.pollFirst();
            bytes -= cost(op);
            out.add(op);
        }
        return out;
    }

    /** Takes everything (shutdown). */
    public synchronized List<byte[]> drain() {
        return poll(Integer.MAX_VALUE);
    }

    public synchronized int size() {
        return queue.size();
    }

    public synchronized long bytes() {
        return bytes;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** The budget: {@code fraction} of the heap, at most {@code cap} bytes, at least 256 KiB. */
    public static long budget(long maxHeap, double fraction, long cap) {
        long share = (long) (maxHeap * Math.max(0, Math.min(1, fraction)));
        return Math.max(256L << 10, Math.min(share, cap));
    }
}

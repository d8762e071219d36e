package com.lakehouse.observerd.service;

import com.lakehouse.observerd.store.OpsPosition;

import java.util.HashMap;
import java.util.Map;

/**
 * The newest observed operations in memory, bounded by bytes (not by a count: one operation may carry a
 * 10 MB result, another 200 bytes). Each entry keeps its operation as the JSON bytes the spool wrote, plus the
 * few fields read-back filters on, so what an entry costs is known exactly. Adding past the budget evicts the
 * oldest entries (they stay in the spool / S3 and are paged from there). Not thread-safe: the ledger locks.
 */
final class OpsRing {
    /** Heap cost of an entry beyond its JSON bytes and op_id: the entry, its id-set node, array slot, position. */
    static final int ENTRY_OVERHEAD = 200;

    /** One held operation. {@code pos} is null when the spool could not take it (it is then in memory only). */
    record Entry(long seq, String opId, String source, long timestampMillis, byte[] json, OpsPosition pos) {
        long cost() {
            return json.length + opId.length() + ENTRY_OVERHEAD;
        }
    }

    private final long maxBytes;
    private Entry[] slots = new Entry[256];
    private int head;
    private int size;
    private long bytes;
    private long nextSeq = 1;
    private long evicted;
    private final Map<String, Entry> byId = new HashMap<>();

    OpsRing(long maxBytes) {
        this.maxBytes = Math.max(1, maxBytes);
    }

    long maxBytes() {
        return maxBytes;
    }

    long bytes() {
        return bytes;
    }

    int size() {
        return size;
    }

    long evicted() {
        return evicted;
    }

    boolean contains(String opId) {
        return byId.containsKey(opId);
    }

    /** Whether an entry of this cost can be held at all (a larger one lives in the spool / S3 only). */
    boolean fits(long cost) {
        return cost <= maxBytes;
    }

    /** Appends as the newest entry, evicting the oldest until it fits; returns how many were evicted. */
    int add(String opId, String source, long ts, byte[] json, OpsPosition pos) {
        Entry e = new Entry(nextSeq++, opId, source, ts, json, pos);
        int out = 0;
        while (size > 0 && bytes + e.cost() > maxBytes) {
            evictOldest();
            out++;
        }
        if (size == slots.length) {
            grow();
        }
        slots[(head + size) % slots.length] = e;
        size++;
        bytes += e.cost();
        byId.put(opId, e);
        return out;
    }

    private void evictOldest() {
        Entry old = slots[head];
        slots[head] = null;
        head = (head + 1) % slots.length;
        size--;
        bytes -= old.cost();
        byId.remove(old.opId(), old);
        evicted++;
    }

    private void grow() {
        Entry[] next = new Entry[slots.length * 2];
        for (int i = 0; i < size; i++) {
            next[i] = slots[(head + i) % slots.length];
        }
        slots = next;
        head = 0;
    }

    /** The i-th entry, 0 = oldest. */
    Entry get(int i) {
        return slots[(head + i) % slots.length];
    }

    long oldestSeq() {
        return size == 0 ? nextSeq : get(0).seq();
    }

    /** The position of the oldest entry that has one (where older history continues), or null. */
    OpsPosition oldestPosition() {
        for (int i = 0; i < size; i++) {
            if (get(i).pos() != null) {
                return get(i).pos();
            }
        }
        return null;
    }

    /** The smallest index whose seq is greater than {@code seq} ({@link #size()} when none). Binary search. */
    int indexAfter(long seq) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (get(mid).seq() <= seq) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}

package com.lakehouse.contracts.observer;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The observer client's queue is bounded by bytes: big operations push out more, and the oldest go first. */
class OpQueueTest {
    static byte[] op(String id, int pad) {
        return ("{\"op_id\":\"" + id + "\",\"pad\":\"" + "x".repeat(pad) + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    static List<String> ids(List<byte[]> ops) {
        return ops.stream().map(b -> new String(b, StandardCharsets.UTF_8).replaceAll("^\\{\"op_id\":\"([^\"]+)\".*", "$1")).toList();
    }

    @Test
    void fullQueueDropsTheOldestByBytesNotByCount() {
        long small = OpQueue.cost(op("s0", 10));
        OpQueue q = new OpQueue(10 * small);
        for (int i = 0; i < 10; i++) {
            assertEquals(0, q.addLast(op("s" + i, 10)));
        }
        assertEquals(10 * small, q.bytes());
        // one operation the size of four small ones pushes four out, oldest first
        byte[] big = op("big", (int) (4 * small - OpQueue.cost(op("big", 0))));
        assertEquals(4 * small, OpQueue.cost(big));
        assertEquals(4, q.addLast(big));
        assertTrue(q.bytes() <= q.maxBytes());
        assertEquals(List.of("s4", "s5", "s6", "s7", "s8", "s9", "big"), ids(q.poll(100)));
        assertEquals(0, q.bytes());
        // larger than the whole bound: refused and counted, the queue untouched
        q.addLast(op("keep", 10));
        assertEquals(1, q.addLast(op("huge", (int) (11 * small))));
        assertEquals(List.of("keep"), ids(q.drain()));
    }

    @Test
    void aRequeuedBatchGoesBackInFrontAndWhatDoesNotFitIsDroppedOldestFirst() {
        long small = OpQueue.cost(op("s0", 10));
        OpQueue q = new OpQueue(5 * small);
        for (int i = 0; i < 5; i++) {
            q.addLast(op("b" + i, 10));
        }
        List<byte[]> batch = q.poll(3);
        assertEquals(List.of("b0", "b1", "b2"), ids(batch));
        q.addLast(op("n0", 10));
        q.addLast(op("n1", 10));
        // room for one of the three: the newest of the batch (b2) goes back, b0 and b1 are dropped
        assertEquals(2, q.requeue(batch));
        assertEquals(List.of("b2", "b3", "b4", "n0", "n1"), ids(q.drain()));
    }

    @Test
    void theBudgetIsAShareOfTheHeapWithACap() {
        assertEquals((long) ((128L << 20) * 0.02), OpQueue.budget(128L << 20, 0.02, 16L << 20));
        assertEquals(16L << 20, OpQueue.budget(8L << 30, 0.02, 16L << 20));
        assertEquals(256L << 10, OpQueue.budget(1L << 20, 0.02, 16L << 20));
    }
}

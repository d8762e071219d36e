package com.lakehouse.pathwayd.store;

import com.lakehouse.contracts.s3.ObjectStore;
import com.lakehouse.contracts.testing.S3ProxyServer;
import com.lakehouse.pathwayd.service.Operation;
import com.lakehouse.pathwayd.service.PathwayMemoryTest;
import com.lakehouse.pathwayd.service.Trace;
import io.minio.MinioClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The log against a real S3 server: what was appended is what a restart reads, across segment boundaries. */
class OperationLogTest {
    static S3ProxyServer s3;

    @BeforeAll
    static void start() {
        s3 = S3ProxyServer.start();
    }

    @AfterAll
    static void stop() {
        s3.close();
    }

    static ObjectStore store() {
        MinioClient c = MinioClient.builder().endpoint(s3.endpoint())
                .credentials(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY).build();
        return new ObjectStore(c, "log-" + UUID.randomUUID().toString().substring(0, 8), "", 5 << 20);
    }

    static Operation op(long seq) {
        Instant t = Instant.parse("2026-11-25T10:00:00Z").plusSeconds(seq);
        Trace tr = new Trace("t" + seq, "p", 1, null, "fill", "s", "sig", PathwayMemoryTest.FILL, "h", List.of("x"),
                "Welder", t, t, null, null, false, null, 0);
        return new Operation(seq, Operation.ADD, t, tr.traceUid(), tr, null, "req-" + seq);
    }

    @Test
    void restartReadsEveryAppendedOperationInOrderAndContinuesTheOpenSegment() {
        ObjectStore store = store();
        OperationLog log = new OperationLog(store, 3);
        assertEquals(List.of(), log.load());
        for (long i = 1; i <= 7; i++) {
            log.append(op(i));
        }
        assertEquals(List.of("pathway/log/00000000.jsonl", "pathway/log/00000001.jsonl", "pathway/log/00000002.jsonl"),
                store.list("pathway/log/"));

        OperationLog restarted = new OperationLog(store, 3);
        List<Operation> ops = restarted.load();
        assertEquals(7, ops.size());
        assertEquals(op(7), ops.get(6));
        restarted.append(op(8));
        restarted.append(op(9));
        List<Operation> again = new OperationLog(store, 3).load();
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L), again.stream().map(Operation::seq).toList());
        assertEquals(3, store.list("pathway/log/").size(), "8 and 9 went into the open third segment");
    }

    @Test
    void aCorruptLineIsSkippedNotFatal() {
        ObjectStore store = store();
        OperationLog log = new OperationLog(store, 10);
        log.load();
        log.append(op(1));
        String text = new String(store.get("pathway/log/00000000.jsonl").orElseThrow(), StandardCharsets.UTF_8);
        store.put("pathway/log/00000000.jsonl", (text + "{not json\n").getBytes(StandardCharsets.UTF_8), "application/x-ndjson");
        List<Operation> ops = new OperationLog(store, 10).load();
        assertEquals(1, ops.size());
    }
}

package com.lakehouse.contracts.observer;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ClientSpoolTest {
    static List<ObservedOperation> ops(String p, int n) {
        List<ObservedOperation> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new ObservedOperation(p + i, Instant.EPOCH, "embedd", "/v1/embed", null, null, null, null, null,
                    null, true, 1L, null, null));
        }
        return out;
    }

    @Test
    void spooledOperationsComeBackOldestFirstAndSurviveANewInstance() throws Exception {
        Path dir = Files.createTempDirectory("client-spool");
        ClientSpool spool = new ClientSpool(dir, "embedd", 1 << 20, 3);
        assertTrue(spool.append(ops("a", 3)));
        assertTrue(spool.append(ops("b", 2)));
        Files.writeString(dir.resolve("other-0000000000001-000001.jsonl"), "not ours\n");
        ClientSpool restarted = new ClientSpool(dir, "embedd", 1 << 20, 3);
        assertEquals(List.of("a0", "a1", "a2"), restarted.takeOldest().stream().map(ObservedOperation::opId).toList());
        assertEquals(List.of("b0", "b1"), restarted.takeOldest().stream().map(ObservedOperation::opId).toList());
        assertTrue(restarted.isEmpty());
        assertTrue(restarted.takeOldest().isEmpty());
        assertTrue(Files.exists(dir.resolve("other-0000000000001-000001.jsonl")), "another daemon's spool is left alone");
    }

    @Test
    void fullSpoolRefusesWithoutWriting() throws Exception {
        Path dir = Files.createTempDirectory("client-spool");
        ClientSpool spool = new ClientSpool(dir, "x", 300, 100);
        assertTrue(spool.append(ops("a", 1)));
        assertFalse(spool.append(ops("b", 5)));
        assertEquals(1, spool.takeOldest().size());
    }
}

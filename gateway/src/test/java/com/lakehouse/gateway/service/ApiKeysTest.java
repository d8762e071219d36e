package com.lakehouse.gateway.service;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiKeysTest {
    @Test
    void namedHashedKeysWithScopesAndRate() throws Exception {
        Path f = Files.createTempFile("keys", ".txt");
        try {
            Files.writeString(f, "# keys\nname=ann scopes=read sha256=" + ApiKeys.sha256Hex("lh_ann") + "\n"
                    + "sha256=" + ApiKeys.sha256Hex("lh_ops") + " rate=5 scopes=read,admin name=ops\n"
                    + "lh_plain_old\n");
            ApiKeys keys = ApiKeys.load(List.of(), f);
            assertEquals(3, keys.size());
            assertEquals(1, keys.legacyCount());
            ApiKeys.Key ann = keys.find("lh_ann").orElseThrow();
            assertEquals("ann", ann.name());
            assertTrue(ann.allows(Scope.READ));
            assertFalse(ann.allows(Scope.WRITE));
            assertTrue(ann.rate().isEmpty());
            ApiKeys.Key ops = keys.find("lh_ops").orElseThrow();
            assertEquals(5.0, ops.rate().getAsDouble());
            assertTrue(ops.allows(Scope.ADMIN));
            assertFalse(ops.allows(Scope.WRITE));
            assertEquals("legacy-4", keys.find("lh_plain_old").orElseThrow().name());
            assertTrue(keys.find("lh_plain_old").orElseThrow().allows(Scope.ADMIN));
            assertTrue(keys.find(ApiKeys.sha256Hex("lh_ann")).isEmpty(), "the digest itself is not a key");
            assertTrue(keys.find("lh_an").isEmpty());
        } finally {
            Files.deleteIfExists(f);
        }
    }

    @Test
    void malformedLinesRefuseNamingTheLine() throws Exception {
        Path f = Files.createTempFile("keys", ".txt");
        try {
            for (String bad : new String[] {"name=x scopes=read sha256=abc", "name=X! scopes=read sha256=" + ApiKeys.sha256Hex("k"),
                    "name=x scopes=root sha256=" + ApiKeys.sha256Hex("k"), "name=x scopes=read sha256=" + ApiKeys.sha256Hex("k") + " rate=0",
                    "name=x sha256=" + ApiKeys.sha256Hex("k")}) {
                Files.writeString(f, "# c\n" + bad + "\n");
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ApiKeys.load(List.of(), f), bad);
                assertTrue(e.getMessage().contains(f + ":2"), e.getMessage());
            }
            Files.writeString(f, "name=x scopes=read sha256=" + ApiKeys.sha256Hex("a") + "\nname=x scopes=read sha256="
                    + ApiKeys.sha256Hex("b") + "\n");
            assertThrows(IllegalArgumentException.class, () -> ApiKeys.load(List.of(), f));
        } finally {
            Files.deleteIfExists(f);
        }
    }

    @Test
    void rateLimitPerKeyName() {
        ApiKeys.Key slow = new ApiKeys.Key("slow", java.util.Set.of(Scope.READ), new byte[32], java.util.OptionalDouble.of(0.01));
        ApiKeys.Key other = new ApiKeys.Key("other", java.util.Set.of(Scope.READ), new byte[32], java.util.OptionalDouble.empty());
        RateLimits limits = new RateLimits(1000, 2);
        assertTrue(limits.tryAcquire(slow).isZero());
        assertTrue(limits.tryAcquire(slow).toSeconds() >= 50, "a token every 100 s");
        for (int i = 0; i < 100; i++) {
            assertTrue(limits.tryAcquire(other).isZero());
        }
    }
}

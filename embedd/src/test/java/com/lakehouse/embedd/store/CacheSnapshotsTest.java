package com.lakehouse.embedd.store;

import com.lakehouse.embedd.service.EmbeddingCache;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class CacheSnapshotsTest {
    @Test
    void roundTrip() {
        Map<EmbeddingCache.Key, float[]> in = new HashMap<>();
        in.put(EmbeddingCache.key("m", "a"), new float[] {1.5f, -2f, 3.25f});
        in.put(EmbeddingCache.key("m", "b"), new float[] {0f, Float.MIN_VALUE, 7f});
        Map<EmbeddingCache.Key, float[]> out = CacheSnapshots.decode("m", CacheSnapshots.encode("m", in));
        assertEquals(in.keySet(), out.keySet());
        in.forEach((k, v) -> assertTrue(Arrays.equals(v, out.get(k))));
    }

    @Test
    void refusesAnotherModelOrGarbage() {
        byte[] bytes = CacheSnapshots.encode("m", Map.of(EmbeddingCache.key("m", "a"), new float[] {1f}));
        assertThrows(IllegalStateException.class, () -> CacheSnapshots.decode("other", bytes));
        assertThrows(IllegalStateException.class, () -> CacheSnapshots.decode("m", new byte[] {1, 2, 3, 4}));
        assertThrows(IllegalStateException.class,
                () -> CacheSnapshots.decode("m", Arrays.copyOf(bytes, bytes.length - 2)));
    }
}

package com.lakehouse.vectord.service;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

class VectordMetricsTest {
    @Test
    void perIndexGaugesFollowTheIndexAndCountersExistBeforeTraffic() {
        SimpleMeterRegistry reg = new SimpleMeterRegistry();
        VectordMetrics m = new VectordMetrics(reg);
        assertEquals(0, reg.get("vectord.saves").tag("outcome", "ok").counter().count());
        assertEquals(0, reg.get("vectord.restores").tag("outcome", "graph_loaded").counter().count());
        assertEquals(0, reg.get("vectord.indexes").gauge().value());

        AtomicInteger size = new AtomicInteger(3);
        m.track("workers", new VectordMetrics.IndexView() {
            public int vectors() {
                return size.get();
            }

            public int tombstones() {
                return 2;
            }

            public long unsavedWrites() {
                return 7;
            }
        });
        assertEquals(1, reg.get("vectord.indexes").gauge().value());
        assertEquals(3, reg.get("vectord.index.vectors").tag("index", "workers").gauge().value());
        size.set(10);
        assertEquals(10, reg.get("vectord.index.vectors").tag("index", "workers").gauge().value());
        assertEquals(2, reg.get("vectord.index.tombstones").tag("index", "workers").gauge().value());
        assertEquals(7, reg.get("vectord.index.unsaved.writes").tag("index", "workers").gauge().value());

        m.saved(1000, Duration.ofMillis(20));
        m.saveFailed();
        m.restored(true);
        m.restored(false);
        assertEquals(1, reg.get("vectord.saves").tag("outcome", "ok").counter().count());
        assertEquals(1, reg.get("vectord.saves").tag("outcome", "failed").counter().count());
        assertEquals(1000, reg.get("vectord.save.bytes").counter().count());
        assertEquals(1, reg.get("vectord.restores").tag("outcome", "graph_rebuilt").counter().count());

        m.untrack("workers");
        assertNull(reg.find("vectord.index.vectors").tag("index", "workers").gauge());
        assertEquals(0, reg.get("vectord.indexes").gauge().value());
    }
}

package com.lakehouse.gateway.service;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** How several replicas of one daemon become the daemon's row. */
class FleetMetricsCombineTest {
    private static FleetMetricsService.ReplicaMetrics up(String url, double uptime, long heap, long requests, Double rps) {
        return new FleetMetricsService.ReplicaMetrics(url, "UP", 3, uptime, heap, null, 10L, requests, rps, 0L, rps == null ? null : 0.0, null);
    }

    @Test
    void oneReplicaIsTheDaemonItself() {
        var d = FleetMetricsService.combine("embedd", List.of(up("http://a", 50, 7, 9, 1.5)));
        assertEquals("UP", d.status());
        assertEquals(50.0, d.uptimeSeconds());
        assertEquals(1.5, d.requestsPerSecond());
        assertNull(d.replicas());
    }

    @Test
    void replicasSumWhatAnsweredAndTakeTheShortestUptime() {
        var down = FleetMetricsService.failed("http://dead", "DOWN", 1, "ConnectException");
        var d = FleetMetricsService.combine("pathwayd", List.of(down, up("http://a", 500, 7, 9, 1.5), up("http://b", 20, 3, 1, 0.5)));
        assertEquals("UP", d.status());
        assertEquals("http://a", d.url());
        assertEquals(20.0, d.uptimeSeconds());
        assertEquals(10L, d.heapUsedBytes());
        assertEquals(10L, d.requestsTotal());
        assertEquals(2.0, d.requestsPerSecond());
        assertNull(d.heapMaxBytes(), "no replica knows its max");
        assertEquals(3, d.replicas().size());
        // one replica without a rate yet: no daemon rate (a partial sum would understate it)
        var partial = FleetMetricsService.combine("pathwayd", List.of(up("http://a", 500, 7, 9, 1.5), up("http://b", 20, 3, 1, null)));
        assertNull(partial.requestsPerSecond());
    }

    @Test
    void noReplicaAnsweringIsTheFirstOnesFailure() {
        var d = FleetMetricsService.combine("vectord", List.of(FleetMetricsService.failed("http://x", "DOWN", 1, "refused"),
                FleetMetricsService.failed("http://y", "ERROR", 2, "metrics unreadable: line 1: x")));
        assertEquals("DOWN", d.status());
        assertEquals("refused", d.error());
        assertNull(d.heapUsedBytes());
        assertEquals(2, d.replicas().size());
    }
}

package com.lakehouse.gateway.service;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** What the console's numbers are made of, from a Micrometer-shaped exposition. */
class MetricsSnapshotTest {
    static final String EXPOSITION = """
            # TYPE process_uptime_seconds gauge
            process_uptime_seconds 3723.5
            jvm_memory_used_bytes{area="heap",id="eden space"} 1000000.0
            jvm_memory_used_bytes{area="heap",id="tenured gen"} 2000000.0
            jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 5.0E7
            jvm_memory_used_bytes{area="nonheap",id="CodeCache"} 1.0E7
            jvm_memory_max_bytes{area="heap",id="eden space"} 4000000.0
            jvm_memory_max_bytes{area="heap",id="tenured gen"} 6000000.0
            jvm_memory_max_bytes{area="nonheap",id="Metaspace"} -1.0
            http_server_requests_seconds_count{method="GET",outcome="SUCCESS",status="200",uri="/v1/a"} 10.0
            http_server_requests_seconds_count{method="POST",outcome="CLIENT_ERROR",status="400",uri="/v1/a"} 3.0
            http_server_requests_seconds_count{method="POST",outcome="SERVER_ERROR",status="503",uri="/v1/b"} 2.0
            http_server_requests_seconds_count{method="POST",outcome="SERVER_ERROR",status="500",uri="/v1/b"} 1.0
            http_server_requests_seconds_sum{method="GET",outcome="SUCCESS",status="200",uri="/v1/a"} 99.0
            http_server_requests_seconds_max{method="GET",outcome="SUCCESS",status="200",uri="/v1/a"} 98.0
            """;

    @Test
    void sumsHeapNonHeapRequestsAndServerErrors() {
        MetricsSnapshot s = MetricsSnapshot.of(PrometheusText.parse(EXPOSITION));
        assertEquals(3723.5, s.uptimeSeconds());
        assertEquals(3_000_000L, s.heapUsedBytes());
        assertEquals(10_000_000L, s.heapMaxBytes());
        assertEquals(60_000_000L, s.nonheapUsedBytes());
        assertEquals(16L, s.requestsTotal());
        assertEquals(3L, s.errorsTotal());
    }

    @Test
    void absentSeriesAreNullOrZeroAndAnUnboundedHeapHasNoMax() {
        MetricsSnapshot s = MetricsSnapshot.of(PrometheusText.parse("""
                jvm_memory_max_bytes{area="heap",id="G1 Eden Space"} -1.0
                jvm_memory_max_bytes{area="heap",id="G1 Old Gen"} 1.0E9
                jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} NaN
                """));
        assertNull(s.uptimeSeconds());
        assertNull(s.heapUsedBytes(), "a NaN gauge is no reading");
        assertNull(s.nonheapUsedBytes());
        assertNull(s.heapMaxBytes(), "one pool without a limit: the heap has no known max");
        assertEquals(0L, s.requestsTotal(), "Quarkus registers the request timer on the first request");
        assertEquals(0L, s.errorsTotal());
    }

    @Test
    void latencyBucketsAreSummedOverSeriesByBoundAndEmbedCacheCountersRead() {
        MetricsSnapshot s = MetricsSnapshot.of(PrometheusText.parse("""
                http_server_requests_seconds_bucket{method="GET",status="200",uri="/v1/a",le="0.005"} 4.0
                http_server_requests_seconds_bucket{method="GET",status="200",uri="/v1/a",le="0.05"} 9.0
                http_server_requests_seconds_bucket{method="GET",status="200",uri="/v1/a",le="+Inf"} 10.0
                http_server_requests_seconds_bucket{method="POST",status="503",uri="/v1/b",le="0.005"} 1.0
                http_server_requests_seconds_bucket{method="POST",status="503",uri="/v1/b",le="0.05"} 1.0
                http_server_requests_seconds_bucket{method="POST",status="503",uri="/v1/b",le="+Inf"} 2.0
                embed_cache_hits_total 30.0
                embed_cache_misses_total 10.0
                """));
        assertEquals(java.util.Map.of(0.005, 5L, 0.05, 10L, Double.POSITIVE_INFINITY, 12L), s.latencyBuckets());
        assertEquals(30L, s.cacheHits());
        assertEquals(10L, s.cacheMisses());
        MetricsSnapshot none = MetricsSnapshot.of(PrometheusText.parse(EXPOSITION));
        assertTrue(none.latencyBuckets().isEmpty());
        assertNull(none.cacheHits());
    }
}

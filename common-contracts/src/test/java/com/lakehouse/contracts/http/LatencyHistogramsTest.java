package com.lakehouse.contracts.http;

import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class LatencyHistogramsTest {
    @Test
    void httpServerRequestsGetTheBucketsTheP99AlertsRead() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(LatencyHistograms.filter());
        Timer.builder("http.server.requests").tag("uri", "/v1/matrix/search").register(registry)
                .record(Duration.ofMillis(30));
        Timer.builder("matrix.search").register(registry).record(Duration.ofMillis(30));
        String text = registry.scrape();
        // 30 ms lands in le=0.05, not in le=0.025; +Inf always; 12 bounds plus +Inf.
        assertEquals(1.0, bucket(text, "0.05"), text);
        assertEquals(0.0, bucket(text, "0.025"), text);
        assertEquals(1.0, bucket(text, "+Inf"), text);
        assertEquals(LatencyHistograms.BUCKETS.length + 1,
                text.lines().filter(l -> l.startsWith("http_server_requests_seconds_bucket{")).count(), text);
        // Other timers keep their shape.
        assertFalse(text.contains("matrix_search_seconds_bucket"), text);
    }

    static double bucket(String text, String le) {
        return text.lines().filter(l -> l.startsWith("http_server_requests_seconds_bucket{") && l.contains("le=\"" + le + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst()
                .orElseThrow(() -> new AssertionError("no bucket le=" + le + " in\n" + text));
    }
}

package com.lakehouse.gateway.service;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The exposition parser on the shapes Micrometer writes and on the corners of the format. */
class PrometheusTextTest {
    @Test
    void readsMicrometerOutputSkippingHelpTypeAndComments() {
        String text = """
                # HELP process_uptime_seconds The uptime of the Java virtual machine
                # TYPE process_uptime_seconds gauge
                process_uptime_seconds 123.456
                # a free comment
                # HELP jvm_memory_used_bytes The amount of used memory
                # TYPE jvm_memory_used_bytes gauge
                jvm_memory_used_bytes{area="heap",id="Tenured Gen",} 1.2345E7
                jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 4.5e+07

                http_server_requests_seconds_count{method="GET",outcome="SUCCESS",status="200",uri="/v1/x"} 42.0
                # EOF
                """;
        List<PrometheusText.Sample> s = PrometheusText.parse(text);
        assertEquals(4, s.size());
        assertEquals(new PrometheusText.Sample("process_uptime_seconds", Map.of(), 123.456), s.get(0));
        assertEquals("heap", s.get(1).label("area"));
        assertEquals("Tenured Gen", s.get(1).label("id"));
        assertEquals(12_345_000.0, s.get(1).value());
        assertEquals(45_000_000.0, s.get(2).value());
        assertEquals(Map.of("method", "GET", "outcome", "SUCCESS", "status", "200", "uri", "/v1/x"), s.get(3).labels());
        assertEquals(42.0, s.get(3).value());
    }

    @Test
    void labelValuesUnescapeQuotesBackslashesAndNewlines() {
        List<PrometheusText.Sample> s = PrometheusText.parse(
                "m{path=\"C:\\\\tmp\",msg=\"say \\\"hi\\\", then {go}\",multi=\"a\\nb\"} 1\r\n");
        assertEquals("C:\\tmp", s.get(0).label("path"));
        assertEquals("say \"hi\", then {go}", s.get(0).label("msg"));
        assertEquals("a\nb", s.get(0).label("multi"));
    }

    @Test
    void specialValuesExponentsAndTimestamps() {
        List<PrometheusText.Sample> s = PrometheusText.parse("""
                a NaN
                b +Inf
                c -Inf
                d 1e-3
                e -2.5E+2 1700000000000
                f .5
                ns:rule_metric 7
                """);
        assertTrue(Double.isNaN(s.get(0).value()));
        assertEquals(Double.POSITIVE_INFINITY, s.get(1).value());
        assertEquals(Double.NEGATIVE_INFINITY, s.get(2).value());
        assertEquals(0.001, s.get(3).value());
        assertEquals(-250.0, s.get(4).value());
        assertEquals(0.5, s.get(5).value());
        assertEquals("ns:rule_metric", s.get(6).name());
    }

    @Test
    void malformedLinesFailNamingTheLine() {
        assertEquals("line 2: not a number: 'abc'",
                assertThrows(PrometheusText.FormatException.class, () -> PrometheusText.parse("ok 1\nbad abc\n")).getMessage());
        for (String bad : List.of("m{a=\"x} 1", "m{a=x} 1", "m{a=\"x\" 1", "m 1 2 3", "m", "m{a=\"\\t\"} 1",
                "m{a=\"1\",a=\"2\"} 1", "1m 2", "m{:a=\"1\"} 1", "m Infinity", "m 0x1p3")) {
            assertThrows(PrometheusText.FormatException.class, () -> PrometheusText.parse(bad), bad);
        }
    }
}

package com.lakehouse.fleet.ops;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Metric-name extraction from PromQL and the dashboards' own consistency; needs no fleet. */
class PrometheusCheckTest {

    @Test
    void extractsMetricNamesButNotFunctionsLabelsOrDurations() {
        assertEquals(List.of("http_server_requests_seconds_count"), PromQl.metricNames(
                "sum by (uri, status) (rate(http_server_requests_seconds_count{job=\"vectord\"}[$__rate_interval]))"));
        assertEquals(List.of("http_server_requests_seconds_sum", "http_server_requests_seconds_count"), PromQl.metricNames(
                "sum by (uri) (rate(http_server_requests_seconds_sum{job=\"x\"}[1m])) / "
                        + "sum by (uri) (rate(http_server_requests_seconds_count{job=\"x\"}[1m]))"));
        assertEquals(List.of("a_total", "b"), PromQl.metricNames(
                "sum(rate(a_total{job=\"x\"}[5m] offset 1h)) without (instance) / on (job) group_left(le) b{job=\"x\"} > bool 0.5"));
        assertEquals(List.of("up"), PromQl.metricNames("max(up) by (job)"));
        assertEquals(List.of("x_max"), PromQl.metricNames("topk(3, x_max{job=\"d\"})"));
    }

    @Test
    void stringsWithBracesAndCommasDoNotConfuseTheLexer() {
        List<PromQl.Selector> s = PromQl.selectors(
                "rate(http_server_requests_seconds_count{job=\"matrixd\", uri=\"/v1/matrix/{name},x\", status!=\"500\"}[1m])");
        assertEquals(1, s.size());
        assertEquals("http_server_requests_seconds_count", s.get(0).metric());
        assertEquals(Map.of("job", "matrixd", "uri", "/v1/matrix/{name},x"), s.get(0).equalities());
        assertEquals("http_server_requests_seconds_count{job=\"matrixd\", uri=\"/v1/matrix/{name},x\", status!=\"500\"}",
                s.get(0).match());
    }

    @Test
    void nameOnlyInsideBracesAndBareSelectorsAreFound() {
        List<PromQl.Selector> s = PromQl.selectors("{__name__=\"jvm_info\",job=\"gateway\"} + process_cpu_usage");
        assertEquals(2, s.size());
        assertEquals("jvm_info", s.get(0).metric());
        assertEquals("process_cpu_usage", s.get(1).metric());
        assertTrue(s.get(1).equalities().isEmpty());
    }

    @Test
    void everyDaemonHasADashboardWhoseQueriesAllCarryItsJob() throws Exception {
        Path dir = PrometheusCheck.dashboardsDir();
        Map<String, List<PromQl.Selector>> wanted = PrometheusCheck.dashboardSelectors(dir);
        assertEquals(Set.copyOf(PrometheusCheck.DAEMONS), wanted.keySet());
        assertEquals(List.of(), PrometheusCheck.jobProblems(wanted));
        for (Map.Entry<String, List<PromQl.Selector>> e : wanted.entrySet()) {
            Set<String> names = e.getValue().stream().map(PromQl.Selector::metric).collect(Collectors.toSet());
            for (String m : List.of("http_server_requests_seconds_count", "http_server_requests_seconds_sum",
                    "http_server_requests_seconds_max", "jvm_memory_used_bytes", "process_cpu_usage")) {
                assertTrue(names.contains(m), e.getKey() + " dashboard lacks " + m);
            }
            String text = Files.readString(dir.resolve(e.getKey() + ".json"));
            assertTrue(text.contains("area=\\\"heap\\\""), e.getKey() + ": heap panel must filter area=heap");
        }
    }

    @Test
    void writesAScrapeConfigWithOneJobPerDaemon() {
        String yml = PrometheusCheck.Prometheus.config(Map.of("vectord", "http://127.0.0.1:5102", "gateway", "http://127.0.0.1:5112/"));
        assertTrue(yml.contains("scrape_interval: 1s"), yml);
        assertTrue(yml.contains("  - job_name: gateway\n    metrics_path: /q/metrics\n    static_configs:\n      - targets: ['127.0.0.1:5112']"), yml);
        assertTrue(yml.contains("  - job_name: vectord\n"), yml);
    }
}

package com.lakehouse.fleet.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs Debian's {@code prometheus} against a running fleet and checks the Grafana dashboards against it: all
 * eleven targets up, and every series a dashboard queries present (selector as written, job included).
 *
 * <pre>
 *   PrometheusCheck.assertScrapesFleet(fleet.runDir().resolve("prometheus"), PrometheusCheck.fleetUrls(fleet));
 * </pre>
 *
 * Call it after traffic has flowed (the end-to-end demo flow): Quarkus counts {@code http_server_requests_*} only
 * for application routes, and some domain meters are registered on first use ({@link #NEEDS_TRAFFIC}).
 */
public final class PrometheusCheck {
    /** The eleven daemons, each a Prometheus job of that name. */
    public static final List<String> DAEMONS = List.of("gateway", "embedd", "vectord", "matrixd", "chatd", "validatord",
            "distilld", "replayd", "observerd", "pathwayd", "catalogd");

    /**
     * Metrics that exist only after the traffic that creates them (documentation for whoever reads a failure;
     * nothing is skipped by default): HTTP timings (first application request), the observer client (first captured
     * operation), chat provider attempts (first chat call), fault-tolerance guards (first guarded peer call), replay
     * verdicts (first replay), pathway operations (first upsert), gateway upstream timings (first proxied call),
     * validator findings (first finding of a code), distill quarantine rows (first quarantined row of a stage and
     * reason). Every other domain meter is registered when its daemon starts.
     */
    public static final Set<String> NEEDS_TRAFFIC = Set.of(
            "http_server_requests_seconds_count", "http_server_requests_seconds_sum", "http_server_requests_seconds_max",
            "observer_client_recorded_total", "observer_client_shipped_total", "observer_client_dropped_total",
            "observer_client_ship_failures_total", "observer_client_queued", "chatd_provider_attempts_total",
            "ft_invocations_total", "ft_circuitbreaker_state_current", "replay_verdicts_total",
            "pathway_operations_total", "gateway_upstream_requests_seconds_count",
            "gateway_upstream_requests_seconds_sum", "gateway_upstream_requests_seconds_max",
            "gateway_auth_rejected_total", "validator_findings_total", "distill_records_quarantined_total");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TARGETS_TIMEOUT = Duration.ofSeconds(90);

    private PrometheusCheck() {
    }

    /** All eleven targets up and every dashboard series present; dashboards from deploy/grafana/dashboards. */
    public static void assertScrapesFleet(Path workDir, Map<String, String> daemonBaseUrls) {
        assertScrapesFleet(workDir, daemonBaseUrls, dashboardsDir(), Set.of());
    }

    /**
     * As above with an explicit dashboards directory and metric names not to check (e.g. a subset of
     * {@link #NEEDS_TRAFFIC} when the caller has not exercised that path).
     */
    public static void assertScrapesFleet(Path workDir, Map<String, String> daemonBaseUrls, Path dashboards,
                                          Set<String> skipMetrics) {
        Map<String, List<PromQl.Selector>> wanted = dashboardSelectors(dashboards);
        List<String> problems = new ArrayList<>(jobProblems(wanted));
        if (!problems.isEmpty()) {
            throw new AssertionError("dashboard queries without their daemon's job matcher:\n  " + String.join("\n  ", problems));
        }
        try (Prometheus prom = Prometheus.start(workDir, daemonBaseUrls)) {
            prom.awaitTargetsUp(daemonBaseUrls.keySet(), TARGETS_TIMEOUT);
            List<String> misses = new ArrayList<>();
            int checked = 0;
            for (Map.Entry<String, List<PromQl.Selector>> e : wanted.entrySet()) {
                Set<String> seen = new TreeSet<>();
                for (PromQl.Selector s : e.getValue()) {
                    if (skipMetrics.contains(s.metric()) || !seen.add(s.match())) {
                        continue;
                    }
                    checked++;
                    if (!prom.seriesExist(s.match())) {
                        misses.add(e.getKey() + ": " + s.match()
                                + (NEEDS_TRAFFIC.contains(s.metric()) ? "   (appears only after traffic)" : ""));
                    }
                }
            }
            if (!misses.isEmpty()) {
                throw new AssertionError(misses.size() + " of " + checked + " dashboard series missing in Prometheus "
                        + "(see " + prom.log + "):\n  " + String.join("\n  ", misses));
            }
        }
    }

    /** daemon -> base URL of every daemon of a fleet started by {@link com.lakehouse.fleet.FleetSupport}. */
    public static Map<String, String> fleetUrls(com.lakehouse.fleet.FleetSupport fleet) {
        Map<String, String> urls = new LinkedHashMap<>();
        DAEMONS.forEach(d -> urls.put(d, fleet.managementUrl(d)));
        return urls;
    }

    /** deploy/grafana/dashboards under the repository root. */
    public static Path dashboardsDir() {
        return com.lakehouse.fleet.FleetSupport.root().resolve("deploy/grafana/dashboards");
    }

    /** Dashboard file stem (the daemon) -> every selector of every panel query, in file order. */
    public static Map<String, List<PromQl.Selector>> dashboardSelectors(Path dashboards) {
        Map<String, List<PromQl.Selector>> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(dashboards)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList()) {
                String daemon = f.getFileName().toString().replaceFirst("\\.json$", "");
                List<PromQl.Selector> sel = new ArrayList<>();
                for (String expr : queries(JSON.readTree(f.toFile()))) {
                    sel.addAll(PromQl.selectors(expr));
                }
                out.put(daemon, sel);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dashboards in " + dashboards, e);
        }
        return out;
    }

    /** Every {@code expr} of every panel target (rows with nested panels included). */
    public static List<String> queries(JsonNode dashboard) {
        List<String> exprs = new ArrayList<>();
        collect(dashboard.path("panels"), exprs);
        return exprs;
    }

    private static void collect(JsonNode panels, List<String> exprs) {
        for (JsonNode p : panels) {
            for (JsonNode t : p.path("targets")) {
                String expr = t.path("expr").asText("");
                if (!expr.isBlank()) {
                    exprs.add(expr);
                }
            }
            collect(p.path("panels"), exprs);
        }
    }

    /** Selectors whose job matcher is missing or names another daemon. */
    public static List<String> jobProblems(Map<String, List<PromQl.Selector>> wanted) {
        List<String> problems = new ArrayList<>();
        wanted.forEach((daemon, selectors) -> {
            for (PromQl.Selector s : selectors) {
                if (s.metric() == null || !daemon.equals(s.equalities().get("job"))) {
                    problems.add(daemon + ": " + s.match());
                }
            }
        });
        return problems;
    }

    /** A Prometheus child process with its own config, data directory and port. */
    static final class Prometheus implements AutoCloseable {
        final Process process;
        final String base;
        final Path log;
        final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

        private Prometheus(Process process, String base, Path log) {
            this.process = process;
            this.base = base;
            this.log = log;
        }

        static Prometheus start(Path workDir, Map<String, String> daemonBaseUrls) {
            try {
                Files.createDirectories(workDir);
                Path config = workDir.resolve("prometheus.yml");
                Files.writeString(config, config(daemonBaseUrls));
                Path data = workDir.resolve("tsdb");
                Files.createDirectories(data);
                Path log = workDir.resolve("prometheus.log");
                int port = freePort();
                List<String> cmd = List.of(binary(), "--config.file=" + config, "--storage.tsdb.path=" + data,
                        "--web.listen-address=127.0.0.1:" + port, "--storage.tsdb.retention.time=1h", "--log.level=warn");
                Process p = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true)
                        .redirectOutput(log.toFile()).start();
                Prometheus prom = new Prometheus(p, "http://127.0.0.1:" + port, log);
                prom.awaitReady(Duration.ofSeconds(60));
                return prom;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        static String config(Map<String, String> daemonBaseUrls) {
            StringBuilder sb = new StringBuilder("# written by fleet-tests PrometheusCheck\nglobal:\n"
                    + "  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\nscrape_configs:\n");
            new TreeMap<>(daemonBaseUrls).forEach((daemon, url) -> {
                URI u = URI.create(url);
                sb.append("  - job_name: ").append(daemon).append('\n')
                        .append("    metrics_path: /q/metrics\n")
                        .append("    static_configs:\n")
                        .append("      - targets: ['").append(u.getHost()).append(':').append(u.getPort()).append("']\n");
            });
            return sb.toString();
        }

        void awaitReady(Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new AssertionError("prometheus exited (" + process.exitValue() + "):\n" + tail());
                }
                try {
                    if (get("/-/ready").statusCode() == 200) {
                        return;
                    }
                } catch (RuntimeException e) {
                    // not listening yet
                }
                sleep(200);
            }
            throw new AssertionError("prometheus not ready after " + timeout.toSeconds() + " s:\n" + tail());
        }

        /** Waits until every job has been scraped successfully at least once; fails naming the others. */
        void awaitTargetsUp(Set<String> jobs, Duration timeout) {
            Set<String> everUp = new TreeSet<>();
            Map<String, String> last = new LinkedHashMap<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                JsonNode active = json(get("/api/v1/targets?state=active")).path("data").path("activeTargets");
                for (JsonNode t : active) {
                    String job = t.path("labels").path("job").asText();
                    String health = t.path("health").asText();
                    last.put(job, health + (t.path("lastError").asText("").isEmpty() ? "" : " (" + t.path("lastError").asText() + ")"));
                    if ("up".equals(health)) {
                        everUp.add(job);
                    }
                }
                if (everUp.containsAll(jobs)) {
                    sleep(2500);   // a couple more scrapes, so every target's latest samples are in
                    return;
                }
                sleep(500);
            }
            Set<String> down = new TreeSet<>(jobs);
            down.removeAll(everUp);
            StringBuilder sb = new StringBuilder("Prometheus targets not up after " + timeout.toSeconds() + " s: " + down);
            down.forEach(j -> sb.append("\n  ").append(j).append(": ").append(last.getOrDefault(j, "no target")));
            throw new AssertionError(sb.toString());
        }

        boolean seriesExist(String match) {
            HttpResponse<String> r = get("/api/v1/series?match[]=" + URLEncoder.encode(match, StandardCharsets.UTF_8));
            if (r.statusCode() != 200) {
                throw new AssertionError("series query " + match + " answered " + r.statusCode() + ": " + r.body());
            }
            return json(r).path("data").size() > 0;
        }

        HttpResponse<String> get(String path) {
            try {
                return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        static JsonNode json(HttpResponse<String> r) {
            try {
                return JSON.readTree(r.body());
            } catch (IOException e) {
                throw new AssertionError("prometheus answered non-JSON (" + r.statusCode() + "): " + r.body(), e);
            }
        }

        String tail() {
            try {
                List<String> lines = Files.readAllLines(log);
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
            } catch (IOException e) {
                return "(no log: " + e.getMessage() + ")";
            }
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(15, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Debian's prometheus: /usr/bin/prometheus, else the first on PATH. */
    static String binary() {
        if (Files.isExecutable(Path.of("/usr/bin/prometheus"))) {
            return "/usr/bin/prometheus";
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir, "prometheus");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        throw new AssertionError("prometheus is not installed (apt-get install prometheus)");
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

package com.lakehouse.gateway.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.lakehouse.contracts.fleet.FleetConfig;
import com.lakehouse.gateway.client.BoundedGet;
import com.lakehouse.gateway.client.MetricsScrapeClient;
import com.lakehouse.gateway.config.GatewayConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * {@code GET /v1/fleet/metrics}: every daemon's uptime, memory and HTTP request rates in one JSON, for the console.
 * Each replica's {@code /q/metrics} is fetched in parallel with a short timeout (lakehouse.gateway.fleet-metrics.*)
 * and read with {@link PrometheusText}; the gateway reads its own registry in-process. Rates come from the previous
 * sample of the same replica ({@link RateTracker}), so they are null on the first call and after a restart.
 * A daemon that does not answer is DOWN with the error; one whose exposition cannot be read is ERROR.
 */
@ApplicationScoped
public class FleetMetricsService {
    public static final String UP = "UP";
    public static final String DOWN = "DOWN";
    public static final String ERROR = "ERROR";

    /** One replica's numbers; every number is null when the replica did not answer. */
    public record ReplicaMetrics(String url, String status, long latencyMs, Double uptimeSeconds, Long heapUsedBytes,
                                 Long heapMaxBytes, Long nonheapUsedBytes, Long requestsTotal, Double requestsPerSecond,
                                 Long errorsTotal, Double errorsPerSecond,
                                 @JsonInclude(JsonInclude.Include.NON_NULL) String error) {
        boolean up() {
            return UP.equals(status);
        }
    }

    /**
     * One daemon. With one replica: that replica's numbers. With several (listed in {@code replicas}): UP when one
     * is; memory, request counts and rates summed over the replicas that answered; uptime the shortest (the
     * replica that restarted last).
     */
    public record DaemonMetrics(String name, String url, String status, long latencyMs, Double uptimeSeconds,
                                Long heapUsedBytes, Long heapMaxBytes, Long nonheapUsedBytes, Long requestsTotal,
                                Double requestsPerSecond, Long errorsTotal, Double errorsPerSecond,
                                @JsonInclude(JsonInclude.Include.NON_NULL) String error,
                                @JsonInclude(JsonInclude.Include.NON_NULL) List<ReplicaMetrics> replicas) {
    }

    public record FleetMetrics(Instant sampledAt, int upCount, int total, List<DaemonMetrics> daemons) {
    }

    @Inject
    Upstreams upstreams;

    @Inject
    FleetConfig fleet;

    @Inject
    GatewayConfig config;

    @Inject
    MetricsScrapeClient scrapes;

    @Inject
    Instance<PrometheusMeterRegistry> ownRegistry;

    private RateTracker rates;

    @PostConstruct
    void init() {
        rates = new RateTracker(config.fleetMetrics().minRateInterval());
    }

    public Uni<FleetMetrics> sample() {
        return FleetFanOut.perDaemon(upstreams, this::self,
                        base -> scrapes.scrape(base).map(this::replica),
                        FleetMetricsService::combine)
                .map(daemons -> new FleetMetrics(Instant.now(),
                        (int) daemons.stream().filter(d -> UP.equals(d.status())).count(), daemons.size(), daemons));
    }

    /**
     * Every replica's parsed metrics (null for one that did not answer or answered something unreadable), for the
     * metrics history; the same fan-out and URLs as {@link #sample()}, without touching its rate baselines.
     */
    public Uni<List<MetricsHistory.DaemonSample>> snapshots() {
        return FleetFanOut.perDaemon(upstreams, this::selfSnapshot,
                base -> scrapes.scrape(base).map(a -> new MetricsHistory.ReplicaSample(a.base().toString(),
                        a.answered() && a.status() == 200 ? parsedOrNull(a.body() == null ? "" : a.body()) : null)),
                MetricsHistory.DaemonSample::new);
    }

    private MetricsHistory.DaemonSample selfSnapshot() {
        MetricsSnapshot s = ownRegistry.isResolvable() ? parsedOrNull(ownRegistry.get().scrape()) : null;
        return new MetricsHistory.DaemonSample(RoutingTable.SELF, List.of(new MetricsHistory.ReplicaSample(fleet.gateway(), s)));
    }

    private static MetricsSnapshot parsedOrNull(String exposition) {
        try {
            return MetricsSnapshot.of(PrometheusText.parse(exposition));
        } catch (PrometheusText.FormatException e) {
            return null;
        }
    }

    /** The gateway's own numbers, from the registry /q/metrics would serve, read without a network hop. */
    private DaemonMetrics self() {
        long start = System.nanoTime();
        if (!ownRegistry.isResolvable()) {
            return combine(RoutingTable.SELF, List.of(failed(fleet.gateway(), ERROR, 0, "no Prometheus registry in this build")));
        }
        String text = ownRegistry.get().scrape();
        return combine(RoutingTable.SELF, List.of(read(fleet.gateway(), text, (System.nanoTime() - start) / 1_000_000)));
    }

    private ReplicaMetrics replica(BoundedGet.Answer a) {
        String url = a.base().toString();
        if (!a.answered()) {
            return failed(url, DOWN, a.latencyMs(), a.error());
        }
        if (a.status() != 200) {
            return failed(url, DOWN, a.latencyMs(), "metrics answered " + a.status());
        }
        return read(url, a.body() == null ? "" : a.body(), a.latencyMs());
    }

    /** Parses one exposition and adds the rates against this replica's previous sample. */
    ReplicaMetrics read(String url, String exposition, long latencyMs) {
        MetricsSnapshot s;
        try {
            s = MetricsSnapshot.of(PrometheusText.parse(exposition));
        } catch (PrometheusText.FormatException e) {
            return failed(url, ERROR, latencyMs, "metrics unreadable: " + e.getMessage());
        }
        RateTracker.Rates r = rates.observe(url, s, System.nanoTime());
        return new ReplicaMetrics(url, UP, latencyMs, s.uptimeSeconds(), s.heapUsedBytes(), s.heapMaxBytes(),
                s.nonheapUsedBytes(), s.requestsTotal(), r.requestsPerSecond(), s.errorsTotal(), r.errorsPerSecond(), null);
    }

    static ReplicaMetrics failed(String url, String status, long latencyMs, String error) {
        return new ReplicaMetrics(url, status, latencyMs, null, null, null, null, null, null, null, null, error);
    }

    static DaemonMetrics combine(String name, List<ReplicaMetrics> replicas) {
        if (replicas.size() == 1) {
            ReplicaMetrics r = replicas.get(0);
            return new DaemonMetrics(name, r.url(), r.status(), r.latencyMs(), r.uptimeSeconds(), r.heapUsedBytes(),
                    r.heapMaxBytes(), r.nonheapUsedBytes(), r.requestsTotal(), r.requestsPerSecond(), r.errorsTotal(),
                    r.errorsPerSecond(), r.error(), null);
        }
        List<ReplicaMetrics> up = replicas.stream().filter(ReplicaMetrics::up).toList();
        if (up.isEmpty()) {
            ReplicaMetrics first = replicas.get(0);
            return new DaemonMetrics(name, first.url(), first.status(), first.latencyMs(), null, null, null, null, null,
                    null, null, null, first.error(), replicas);
        }
        ReplicaMetrics first = up.get(0);
        return new DaemonMetrics(name, first.url(), UP, first.latencyMs(),
                up.stream().map(ReplicaMetrics::uptimeSeconds).filter(Objects::nonNull).min(Double::compare).orElse(null),
                sumLong(up, ReplicaMetrics::heapUsedBytes), sumLong(up, ReplicaMetrics::heapMaxBytes),
                sumLong(up, ReplicaMetrics::nonheapUsedBytes), sumLong(up, ReplicaMetrics::requestsTotal),
                sumDouble(up, ReplicaMetrics::requestsPerSecond), sumLong(up, ReplicaMetrics::errorsTotal),
                sumDouble(up, ReplicaMetrics::errorsPerSecond), null, replicas);
    }

    /** Null when an answering replica lacks the number: a sum of the others would look like a complete total. */
    private static Long sumLong(List<ReplicaMetrics> rs, Function<ReplicaMetrics, Long> f) {
        List<Long> v = rs.stream().map(f).toList();
        return v.contains(null) ? null : v.stream().mapToLong(Long::longValue).sum();
    }

    private static Double sumDouble(List<ReplicaMetrics> rs, Function<ReplicaMetrics, Double> f) {
        List<Double> v = rs.stream().map(f).toList();
        return v.contains(null) ? null : v.stream().mapToDouble(Double::doubleValue).sum();
    }
}

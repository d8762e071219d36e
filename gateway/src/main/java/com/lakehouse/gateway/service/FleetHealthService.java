package com.lakehouse.gateway.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.lakehouse.contracts.fleet.FleetConfig;
import com.lakehouse.gateway.client.HealthProbeClient;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;

/**
 * {@code GET /v1/fleet/health}: every daemon's readiness in one JSON, probed in parallel. The gateway counts itself
 * as UP (it is answering). A daemon with several replicas is UP when at least one replica is ready; its replicas are
 * listed.
 */
@ApplicationScoped
public class FleetHealthService {
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Replica(String url, String status, long latencyMs, String error) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DaemonHealth(String name, String url, String status, long latencyMs, String error,
                               List<Replica> replicas) {
    }

    public record FleetHealth(String status, int readyCount, int total, List<DaemonHealth> daemons) {
    }

    @Inject
    Upstreams upstreams;

    @Inject
    FleetConfig fleet;

    @Inject
    HealthProbeClient probes;

    public Uni<FleetHealth> check() {
        return FleetFanOut.perDaemon(upstreams,
                () -> new DaemonHealth(RoutingTable.SELF, fleet.gateway(), "UP", 0, null, null),
                probes::probe, FleetHealthService::summarize).map(FleetHealthService::aggregate);
    }

    static DaemonHealth summarize(String name, List<HealthProbeClient.Probe> results) {
        HealthProbeClient.Probe best = results.stream().filter(HealthProbeClient.Probe::up).findFirst().orElse(results.get(0));
        List<Replica> replicas = results.size() < 2 ? null : results.stream()
                .map(p -> new Replica(p.base().toString(), p.up() ? "UP" : "DOWN", p.latencyMs(), p.error())).toList();
        return new DaemonHealth(name, best.base().toString(), best.up() ? "UP" : "DOWN", best.latencyMs(), best.error(),
                replicas);
    }

    static FleetHealth aggregate(List<DaemonHealth> daemons) {
        int ready = (int) daemons.stream().filter(d -> "UP".equals(d.status())).count();
        return new FleetHealth(ready == daemons.size() ? "ok" : "degraded", ready, daemons.size(), daemons);
    }
}

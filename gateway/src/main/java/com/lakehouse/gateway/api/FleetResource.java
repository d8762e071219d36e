package com.lakehouse.gateway.api;

import com.lakehouse.gateway.service.FleetHealthService;
import com.lakehouse.gateway.service.FleetMetricsService;
import com.lakehouse.gateway.service.MetricsHistory;
import com.lakehouse.gateway.service.MetricsHistorySampler;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;

import java.util.Map;

/**
 * The gateway's own routes: its liveness for load balancers, and the fleet's readiness and metrics, each in one JSON
 * (both behind the API key, like every /v1 route).
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class FleetResource {
    @Inject
    FleetHealthService fleetHealth;

    @Inject
    FleetMetricsService fleetMetrics;

    @Inject
    MetricsHistorySampler history;

    /** Open (no key): {@code /desk} without the slash goes to the desk page, {@code /desk/} (served from META-INF/resources). */
    @GET
    @Path("desk")
    public Response desk() {
        return Response.status(Response.Status.MOVED_PERMANENTLY).location(URI.create("/desk/")).build();
    }

    /** Open (no key): the gateway process is up. */
    @GET
    @Path("health")
    public Map<String, String> health() {
        return Map.of("status", "ok");
    }

    /** Every daemon's {@code /q/health/ready}, probed in parallel with a short timeout. */
    @GET
    @Path("v1/fleet/health")
    public Uni<FleetHealthService.FleetHealth> fleet() {
        return fleetHealth.check();
    }

    /**
     * Every daemon's uptime, heap, non-heap and HTTP request rates from its {@code /q/metrics}, fetched in parallel
     * with a short timeout; rates are against the previous call's sample (null on the first).
     */
    @GET
    @Path("v1/fleet/metrics")
    public Uni<FleetMetricsService.FleetMetrics> metrics() {
        return fleetMetrics.sample();
    }

    /**
     * The last {@code metrics-history.capacity} samples (one per {@code metrics-history.interval}, 15 minutes by
     * default) of every daemon's requests/s, 5xx/s, p99 latency and heap, and embedd's cache hit rate, oldest
     * first in columns: what the console draws.
     */
    @GET
    @Path("v1/fleet/metrics/history")
    public MetricsHistory.History metricsHistory() {
        return history.history();
    }
}

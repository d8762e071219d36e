package com.lakehouse.gateway.api;

import com.lakehouse.gateway.service.FleetHealthService;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.Map;

/** The gateway's own routes: its liveness for load balancers and the fleet's readiness in one JSON. */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class FleetResource {
    @Inject
    FleetHealthService fleetHealth;

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
}

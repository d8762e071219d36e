package com.lakehouse.pathwayd.api;

import com.lakehouse.pathwayd.service.PathwayService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the operation log has been replayed: before that, answers could miss acknowledged traces. */
@Readiness
@ApplicationScoped
public class PathwayReadiness implements HealthCheck {
    @Inject
    PathwayService service;

    @Override
    public HealthCheckResponse call() {
        var b = HealthCheckResponse.named("pathway-log").status(service.loaded());
        if (service.loadError() != null) {
            b.withData("error", service.loadError());
        }
        return b.build();
    }
}

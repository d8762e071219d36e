package com.lakehouse.validatord.api;

import com.lakehouse.validatord.service.RosterService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready once a roster is live; reports its count and version, or the load state and last error. */
@Readiness
@ApplicationScoped
public class RosterReadiness implements HealthCheck {
    @Inject
    RosterService rosters;

    @Override
    public HealthCheckResponse call() {
        RosterService.Status s = rosters.status();
        HealthCheckResponseBuilder b = HealthCheckResponse.named("roster").status(s.loaded())
                .withData("count", s.count())
                .withData("state", s.loaded() ? "loaded" : s.loading() ? "loading" : "not_loaded");
        if (s.version() != null) {
            b.withData("version", s.version());
        }
        if (s.lastError() != null) {
            b.withData("last_error", s.lastError());
        }
        return b.build();
    }
}

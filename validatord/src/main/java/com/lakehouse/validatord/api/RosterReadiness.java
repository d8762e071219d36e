package com.lakehouse.validatord.api;

import com.lakehouse.validatord.service.RosterService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once a roster is live, or while catalogd has no roster dataset at all (a fresh stack: validation that
 * needs the roster answers 503 roster_not_loaded until it is ingested, everything else works). Not ready while a
 * load fails for any other reason. Reports count and version, or the load state and last error.
 */
@Readiness
@ApplicationScoped
public class RosterReadiness implements HealthCheck {
    @Inject
    RosterService rosters;

    @Override
    public HealthCheckResponse call() {
        RosterService.Status s = rosters.status();
        boolean awaiting = rosters.awaitingDataset();
        HealthCheckResponseBuilder b = HealthCheckResponse.named("roster").status(s.loaded() || awaiting)
                .withData("count", s.count())
                .withData("state", s.loaded() ? "loaded" : awaiting ? "no_dataset_yet" : s.loading() ? "loading" : "not_loaded");
        if (s.version() != null) {
            b.withData("version", s.version());
        }
        if (s.lastError() != null) {
            b.withData("last_error", s.lastError());
        }
        return b.build();
    }
}

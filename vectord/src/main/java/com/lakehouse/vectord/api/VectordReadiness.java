package com.lakehouse.vectord.api;

import com.lakehouse.vectord.service.VectorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once every index in S3 has been restored (generation loaded, WAL replayed, graph built). */
@Readiness
@ApplicationScoped
public class VectordReadiness implements HealthCheck {
    @Inject
    VectorService service;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("vectord-indexes").status(service.restored())
                .withData("indexes", service.restored() ? service.list().size() : 0).build();
    }
}

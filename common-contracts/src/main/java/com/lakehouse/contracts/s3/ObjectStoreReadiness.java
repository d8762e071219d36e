package com.lakehouse.contracts.s3;

import io.quarkus.arc.properties.IfBuildProperty;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while the stack's S3 endpoint answers and its bucket exists. */
@Readiness
@ApplicationScoped
@IfBuildProperty(name = "lakehouse.s3.enabled", stringValue = "true")
public class ObjectStoreReadiness implements HealthCheck {
    @Inject
    ObjectStore store;
    @Inject
    S3Config config;

    @Override
    public HealthCheckResponse call() {
        boolean up = store.ping();
        return HealthCheckResponse.named("s3").status(up)
                .withData("endpoint", config.endpoint()).withData("bucket", config.bucket()).build();
    }
}

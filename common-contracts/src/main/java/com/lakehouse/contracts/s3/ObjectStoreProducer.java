package com.lakehouse.contracts.s3;

import io.quarkus.arc.properties.IfBuildProperty;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Gives a daemon its {@link ObjectStore} when it sets {@code lakehouse.s3.enabled=true} at build time;
 * daemons without state in S3 (gateway, chatd, ...) get neither the bean nor an S3 readiness check.
 */
@ApplicationScoped
@IfBuildProperty(name = "lakehouse.s3.enabled", stringValue = "true")
public class ObjectStoreProducer {
    @Produces
    @Singleton
    ObjectStore objectStore(S3Config config) {
        return ObjectStore.create(config);
    }
}

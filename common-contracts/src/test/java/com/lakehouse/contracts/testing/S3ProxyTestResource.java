package com.lakehouse.contracts.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;
import java.util.UUID;

/**
 * {@code @QuarkusTestResource(S3ProxyTestResource.class)}: one real S3 server per test resource, a bucket of
 * its own per start, and the daemon's {@code lakehouse.s3.*} pointed at it. The observer client is switched
 * off so API tests do not emit operations to a port that may belong to someone else.
 */
public class S3ProxyTestResource implements QuarkusTestResourceLifecycleManager {
    private S3ProxyServer server;

    @Override
    public Map<String, String> start() {
        server = S3ProxyServer.start();
        return Map.of(
                "lakehouse.s3.endpoint", server.endpoint(),
                "lakehouse.s3.bucket", "test-" + UUID.randomUUID().toString().substring(0, 8),
                "lakehouse.s3.access-key", S3ProxyServer.ACCESS_KEY,
                "lakehouse.s3.secret-key", S3ProxyServer.SECRET_KEY,
                "lakehouse.observer-client.enabled", "false");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }
}

package com.lakehouse.contracts.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

import java.util.Map;
import java.util.UUID;

/**
 * The same as {@link S3ProxyTestResource} against a real MinIO in a container, for machines with Docker. Use
 * it together with {@code @EnabledIf("com.lakehouse.contracts.testing.MinioContainerTestResource#dockerAvailable")}
 * so the S3Proxy variant stays the cover where there is no Docker engine.
 */
public class MinioContainerTestResource implements QuarkusTestResourceLifecycleManager {
    private GenericContainer<?> minio;

    public static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable t) {
            return false;
        }
    }

    @Override
    public Map<String, String> start() {
        if (!dockerAvailable()) {
            // Only reached when a test forgot the @EnabledIf guard; say so instead of a confusing Docker error.
            throw new IllegalStateException("MinIO container tests need a Docker engine");
        }
        minio = new GenericContainer<>("minio/minio:RELEASE.2024-12-18T13-15-44Z")
                .withCommand("server", "/data")
                .withEnv("MINIO_ROOT_USER", "minio-test")
                .withEnv("MINIO_ROOT_PASSWORD", "minio-test-secret")
                .withExposedPorts(9000)
                .waitingFor(Wait.forHttp("/minio/health/ready").forPort(9000));
        minio.start();
        return Map.of(
                "lakehouse.s3.endpoint", "http://" + minio.getHost() + ":" + minio.getMappedPort(9000),
                "lakehouse.s3.bucket", "test-" + UUID.randomUUID().toString().substring(0, 8),
                "lakehouse.s3.access-key", "minio-test",
                "lakehouse.s3.secret-key", "minio-test-secret",
                "lakehouse.observer-client.enabled", "false");
    }

    @Override
    public void stop() {
        if (minio != null) {
            minio.stop();
        }
    }
}

package com.lakehouse.contracts.s3;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;

/**
 * Where a stack keeps its state. One bucket per stack: two stacks never share one, so a smoke or test stack
 * cannot load (or clobber) another stack's data.
 */
@ConfigMapping(prefix = "lakehouse.s3")
public interface S3Config {
    /**
     * Build-time switch: a daemon that keeps state in S3 sets it to true in its application.properties and so
     * gets the {@link ObjectStore} bean and the S3 readiness check; the others get neither.
     */
    @WithDefault("false")
    boolean enabled();

    /** S3 endpoint URL: MinIO in production, the embedded S3Proxy (127.0.0.1:9000) for local runs. */
    @WithDefault("http://127.0.0.1:9000")
    String endpoint();

    /** The stack's bucket; created on first use. */
    @WithDefault("lakehouse")
    String bucket();

    /** Access key (S3Proxy's local default identity unless configured). */
    @WithDefault("local-identity")
    String accessKey();

    /** Secret key; under systemd it comes from the daemon's EnvironmentFile, never from a unit file. */
    @WithDefault("local-credential")
    String secretKey();

    @WithDefault("us-east-1")
    String region();

    /** Part size for multipart uploads of large payloads (bytes, at least 5 MiB). */
    @WithDefault("16777216")
    long partSize();

    /** Optional key prefix inside the bucket (for sharing one bucket between tools; normally empty). */
    Optional<String> prefix();
}

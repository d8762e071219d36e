package com.lakehouse.contracts.redact;

import io.smallrye.config.ConfigMapping;

import java.util.Optional;

/**
 * The key behind the redaction markers ({@link Redactor}). One key per fleet, so a marker means the same value in
 * every daemon's data: {@code ./lakehouse up} writes {@code .run/<stack>/redaction.key} (mode 0600) and points
 * every daemon at it; systemd units point at a 0600 file under /etc/lakehouse.
 */
@ConfigMapping(prefix = "lakehouse.redaction")
public interface RedactionConfig {
    /** A file whose bytes (at least 16) are the HMAC key. Default none: a random key per process, with a warning. */
    Optional<String> keyFile();
}

package com.lakehouse.contracts.redact;

import io.quarkus.logging.LoggingFilter;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logmanager.ExtLogRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.logging.Filter;
import java.util.logging.LogRecord;

/**
 * Rewrites every log message through the {@link Redactor} before a handler formats it, so no SSN, API key or
 * provider secret reaches a log file. Enabled per daemon with {@code quarkus.log.console.filter=lakehouse-redact};
 * keyed like the data ({@code lakehouse.redaction.key-file}), so a marker in a log matches the one in S3.
 */
@LoggingFilter(name = "lakehouse-redact")
public final class RedactingLogFilter implements Filter {
    private final Redactor redactor;

    public RedactingLogFilter(@ConfigProperty(name = "lakehouse.redaction.key-file") Optional<String> keyFile) {
        byte[] key;
        if (keyFile.filter(f -> !f.isBlank()).isPresent()) {
            try {
                key = Files.readAllBytes(Path.of(keyFile.get()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read lakehouse.redaction.key-file: " + e.getMessage(), e);
            }
        } else {
            key = new byte[32];
            new SecureRandom().nextBytes(key);
        }
        this.redactor = new Redactor(key);
    }

    @Override
    public boolean isLoggable(LogRecord record) {
        if (record instanceof ExtLogRecord ext) {
            String msg = ext.getFormattedMessage();
            String red = redactor.redact(msg);
            if (red != null && !red.equals(msg)) {
                ext.setMessage(red, ExtLogRecord.FormatStyle.NO_FORMAT);
                ext.setParameters(null);
            }
        }
        return true;
    }
}

package com.lakehouse.contracts.redact;

import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

/** The daemon's {@link Redactor}, keyed from {@code lakehouse.redaction.key-file}. */
@Dependent
public class RedactorProducer {
    private static final Logger LOG = Logger.getLogger(RedactorProducer.class);

    @Produces
    @Singleton
    Redactor redactor(RedactionConfig config) {
        if (config.keyFile().filter(f -> !f.isBlank()).isPresent()) {
            Path p = Path.of(config.keyFile().get());
            try {
                return new Redactor(Files.readAllBytes(p));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read lakehouse.redaction.key-file " + p + ": " + e.getMessage(), e);
            }
        }
        LOG.warn("lakehouse.redaction.key-file is not set: redaction markers use a random key of this process, so the "
                + "same value gets a different marker after a restart or in another daemon");
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return new Redactor(k);
    }
}

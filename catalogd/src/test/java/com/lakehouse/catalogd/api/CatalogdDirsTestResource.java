package com.lakehouse.catalogd.api;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Fresh cache, work and journal spool directories per test run (the bucket is fresh too). */
public class CatalogdDirsTestResource implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
        try {
            Path root = Files.createTempDirectory("catalogd-test");
            return Map.of(
                    "lakehouse.catalogd.cache-dir", root.resolve("cache").toString(),
                    "lakehouse.catalogd.work-dir", root.resolve("work").toString(),
                    "lakehouse.catalogd.journal.spool-dir", root.resolve("journal").toString(),
                    "lakehouse.catalogd.journal.segment-events", "4",
                    "lakehouse.catalogd.sql.max-limit", "5000");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
    }
}

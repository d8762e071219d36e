package com.lakehouse.observerd.api;

import com.lakehouse.contracts.testing.S3ProxyTestResource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

/** A real S3 (S3Proxy child process) plus a fresh spool directory per test run. */
public class ObserverdTestResource extends S3ProxyTestResource {
    @Override
    public Map<String, String> start() {
        Map<String, String> m = new HashMap<>(super.start());
        try {
            m.put("lakehouse.observerd.spool-dir", Files.createTempDirectory("observerd-spool").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        m.put("lakehouse.observerd.ship-interval", "1h");
        return m;
    }
}

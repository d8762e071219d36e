package com.lakehouse.vectord.api;

import com.lakehouse.contracts.testing.S3ProxyTestResource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

/** A real S3 server (S3Proxy child process) plus a fresh WAL directory for each test boot. */
public class VectordTestResource extends S3ProxyTestResource {
    @Override
    public Map<String, String> start() {
        Map<String, String> props = new HashMap<>(super.start());
        try {
            props.put("lakehouse.vectord.data-dir", Files.createTempDirectory("vectord-test").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        props.put("lakehouse.vectord.max-k", "50");
        props.put("lakehouse.vectord.max-batch-items", "100");
        return props;
    }
}

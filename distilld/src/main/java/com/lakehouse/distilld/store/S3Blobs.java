package com.lakehouse.distilld.store;

import com.lakehouse.contracts.redact.Redactor;
import com.lakehouse.contracts.s3.ObjectStore;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import java.util.List;
import java.util.Optional;

/**
 * {@link Blobs} over the fleet's S3 bucket. Every object distilld writes (evidence, scores, exports, quarantine,
 * audits: JSON and JSON lines) passes the fleet's {@link Redactor} first, so no SSN, API key or provider secret is
 * at rest here; markers are JSON-safe, and the quarantine keeps the reason and the marker instead of the value.
 */
public final class S3Blobs implements Blobs {
    private final ObjectStore store;
    private final Redactor redactor;

    /** Without redaction: for tests that plant fixtures as they are. */
    public S3Blobs(ObjectStore store) {
        this(store, null);
    }

    public S3Blobs(ObjectStore store, Redactor redactor) {
        this.store = store;
        this.redactor = redactor;
    }

    @Override
    public List<String> list(String prefix) {
        return store.list(prefix);
    }

    @Override
    public Optional<byte[]> get(String key) {
        return store.get(key);
    }

    @Override
    public void put(String key, byte[] bytes) {
        if (redactor != null) {
            bytes = redactor.redact(new String(bytes, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        }
        store.put(key, bytes, type(key));
    }

    @Override
    public Optional<InputStream> open(String key) {
        return store.open(key);
    }

    @Override
    public void putFile(String key, Path file) {
        store.putFile(key, file, type(key));
    }

    private static String type(String key) {
        return key.endsWith(".json") ? "application/json" : "application/x-ndjson";
    }
}

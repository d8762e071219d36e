package com.lakehouse.distilld.store;

import com.lakehouse.contracts.s3.ObjectStore;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** {@link Blobs} over the fleet's S3 bucket. */
public final class S3Blobs implements Blobs {
    private final ObjectStore store;

    public S3Blobs(ObjectStore store) {
        this.store = store;
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

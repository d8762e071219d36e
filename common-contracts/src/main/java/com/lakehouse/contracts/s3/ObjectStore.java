package com.lakehouse.contracts.s3;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.Item;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fleet's only way to S3: a small, blocking facade over the MinIO client for one bucket. Keys are
 * relative to the stack's bucket (and optional prefix). Errors surface as {@link ObjectStoreException}.
 *
 * <p>Directory markers ("dir/") that filesystem-backed S3 servers list are filtered out of listings.
 */
public class ObjectStore {
    private final MinioClient client;
    private final String bucket;
    private final String prefix;
    private final long partSize;
    private volatile boolean bucketReady;

    public ObjectStore(MinioClient client, String bucket, String prefix, long partSize) {
        this.client = client;
        this.bucket = bucket;
        this.prefix = prefix == null || prefix.isEmpty() ? "" : (prefix.endsWith("/") ? prefix : prefix + "/");
        this.partSize = Math.max(partSize, 5L * 1024 * 1024);
    }

    public static ObjectStore create(S3Config config) {
        MinioClient client = MinioClient.builder()
                .endpoint(config.endpoint())
                .credentials(config.accessKey(), config.secretKey())
                .region(config.region())
                .build();
        return new ObjectStore(client, config.bucket(), config.prefix().orElse(""), config.partSize());
    }

    public String bucket() {
        return bucket;
    }

    /** Creates the bucket when missing. Cheap after the first success. */
    public void ensureBucket() {
        if (bucketReady) {
            return;
        }
        call(() -> {
            if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
                try {
                    client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
                } catch (ErrorResponseException e) {
                    String code = e.errorResponse().code();
                    if (!"BucketAlreadyOwnedByYou".equals(code) && !"BucketAlreadyExists".equals(code)) {
                        throw e;
                    }
                }
            }
            return null;
        }, "ensure bucket " + bucket);
        bucketReady = true;
    }

    /** True when the endpoint answers and the bucket exists (or could be made). Used by readiness checks. */
    public boolean ping() {
        try {
            bucketReady = false;
            ensureBucket();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    public void put(String key, byte[] bytes, String contentType) {
        ensureBucket();
        call(() -> client.putObject(PutObjectArgs.builder().bucket(bucket).object(full(key))
                .stream(new ByteArrayInputStream(bytes), bytes.length, -1)
                .contentType(contentType == null ? "application/octet-stream" : contentType).build()), "put " + key);
    }

    /** Streams a payload of unknown or large size; multipart above the part size, so no object size cap. */
    public void put(String key, InputStream in, long size, String contentType) {
        ensureBucket();
        call(() -> client.putObject(PutObjectArgs.builder().bucket(bucket).object(full(key))
                .stream(in, size, size >= 0 && size < partSize ? -1 : partSize)
                .contentType(contentType == null ? "application/octet-stream" : contentType).build()), "put " + key);
    }

    public void putFile(String key, Path file, String contentType) {
        try (InputStream in = Files.newInputStream(file)) {
            put(key, in, Files.size(file), contentType);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The object's bytes, or empty when there is no such key. */
    public Optional<byte[]> get(String key) {
        ensureBucket();
        return call(() -> {
            try (InputStream in = client.getObject(GetObjectArgs.builder().bucket(bucket).object(full(key)).build())) {
                return Optional.of(in.readAllBytes());
            } catch (ErrorResponseException e) {
                if (isMissing(e)) {
                    return Optional.<byte[]>empty();
                }
                throw e;
            }
        }, "get " + key);
    }

    /** An object's bytes and the ETag the server gave them, read in one request (for compare-and-swap). */
    public record Versioned(byte[] bytes, String etag) {
    }

    /** The object's bytes with their ETag, or empty when there is no such key. */
    public Optional<Versioned> getVersioned(String key) {
        ensureBucket();
        return call(() -> {
            try (GetObjectResponse in = client.getObject(
                    GetObjectArgs.builder().bucket(bucket).object(full(key)).build())) {
                return Optional.of(new Versioned(in.readAllBytes(), unquote(in.headers().get("ETag"))));
            } catch (ErrorResponseException e) {
                if (isMissing(e)) {
                    return Optional.<Versioned>empty();
                }
                throw e;
            }
        }, "get " + key);
    }

    /**
     * Creates the object only when no object has the key (S3 {@code If-None-Match: *}). True when this call
     * created it; false when another writer got there first. The way two processes agree on who owns a name:
     * the server decides, atomically.
     */
    public boolean putIfAbsent(String key, byte[] bytes, String contentType) {
        return conditionalPut(key, bytes, contentType, Map.of("If-None-Match", "*"));
    }

    /**
     * Replaces the object only when its ETag is still {@code etag} (S3 {@code If-Match}): a compare-and-swap.
     * True when replaced; false when someone else wrote it since it was read (or it was deleted).
     *
     * <p>Not for agreement between processes on the embedded server: S3Proxy's filesystem backend checks the
     * ETag and then writes, so two concurrent swaps can both succeed (S3ConformanceTest measured lost increments).
     * The fleet's multi-writer objects use {@link #putIfAbsent} on sequence-numbered or writer-owned names.
     */
    public boolean putIfMatch(String key, byte[] bytes, String contentType, String etag) {
        if (etag == null || etag.isBlank()) {
            throw new IllegalArgumentException("putIfMatch needs the ETag read with the object");
        }
        return conditionalPut(key, bytes, contentType, Map.of("If-Match", "\"" + unquote(etag) + "\""));
    }

    private boolean conditionalPut(String key, byte[] bytes, String contentType, Map<String, String> condition) {
        ensureBucket();
        return call(() -> {
            try {
                client.putObject(PutObjectArgs.builder().bucket(bucket).object(full(key))
                        .headers(condition)
                        .stream(new ByteArrayInputStream(bytes), bytes.length, -1)
                        .contentType(contentType == null ? "application/octet-stream" : contentType).build());
                return true;
            } catch (ErrorResponseException e) {
                if (isConditionFailed(e) || (condition.containsKey("If-Match") && isMissing(e))) {
                    return false; // an If-Match on a deleted object: AWS answers 404, and the swap did not happen
                }
                throw e;
            }
        }, "conditional put " + key);
    }

    /** The object's ETag, or empty when missing. */
    public Optional<String> etag(String key) {
        ensureBucket();
        return call(() -> {
            try {
                return Optional.of(unquote(client.statObject(
                        StatObjectArgs.builder().bucket(bucket).object(full(key)).build()).etag()));
            } catch (ErrorResponseException e) {
                if (isMissing(e)) {
                    return Optional.<String>empty();
                }
                throw e;
            }
        }, "stat " + key);
    }

    /** An open stream on the object (caller closes), or empty when missing. */
    public Optional<InputStream> open(String key) {
        ensureBucket();
        return call(() -> {
            try {
                return Optional.of((InputStream) client.getObject(
                        GetObjectArgs.builder().bucket(bucket).object(full(key)).build()));
            } catch (ErrorResponseException e) {
                if (isMissing(e)) {
                    return Optional.<InputStream>empty();
                }
                throw e;
            }
        }, "open " + key);
    }

    /** A stream on {@code length} bytes from {@code offset} (an HTTP range read), or empty when missing. */
    public Optional<InputStream> openRange(String key, long offset, long length) {
        ensureBucket();
        return call(() -> {
            try {
                return Optional.of((InputStream) client.getObject(GetObjectArgs.builder().bucket(bucket)
                        .object(full(key)).offset(offset).length(length).build()));
            } catch (ErrorResponseException e) {
                if (isMissing(e)) {
                    return Optional.<InputStream>empty();
                }
                throw e;
            }
        }, "range read " + key);
    }

    public void download(String key, Path target) {
        Optional<InputStream> in = open(key);
        if (in.isEmpty()) {
            throw new ObjectStoreException("no such object: " + key, null);
        }
        try (InputStream s = in.get()) {
            Path tmp = target.resolveSibling(target.getFileName() + ".part");
            Files.createDirectories(target.toAbsolutePath().getParent());
            Files.copy(s, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean exists(String key) {
        ensureBucket();
        return call(() -> {
            try {
                client.statObject(StatObjectArgs.builder().bucket(bucket).object(full(key)).build());
                return true;
            } catch (ErrorResponseException e) {
                if (isMissing(e)) {
                    return false;
                }
                throw e;
            }
        }, "stat " + key);
    }

    /** Size in bytes, or -1 when missing. */
    public long size(String key) {
        ensureBucket();
        return call(() -> {
            try {
                return client.statObject(StatObjectArgs.builder().bucket(bucket).object(full(key)).build()).size();
            } catch (ErrorResponseException e) {
                if (isMissing(e)) {
                    return -1L;
                }
                throw e;
            }
        }, "stat " + key);
    }

    public void delete(String key) {
        ensureBucket();
        call(() -> {
            client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(full(key)).build());
            return null;
        }, "delete " + key);
    }

    /** Keys (relative, sorted as the server lists them) under a prefix, recursively, without directory markers. */
    public List<String> list(String keyPrefix) {
        ensureBucket();
        return call(() -> {
            List<String> keys = new ArrayList<>();
            for (Result<Item> r : client.listObjects(ListObjectsArgs.builder().bucket(bucket)
                    .prefix(full(keyPrefix)).recursive(true).build())) {
                Item item = r.get();
                String name = item.objectName();
                if (item.isDir() || name.endsWith("/")) {
                    continue;
                }
                keys.add(name.substring(prefix.length()));
            }
            keys.sort(String::compareTo);
            return keys;
        }, "list " + keyPrefix);
    }

    private String full(String key) {
        if (key.startsWith("/") || key.contains("..")) {
            throw new IllegalArgumentException("refusing object key " + key);
        }
        return prefix + key;
    }

    private static boolean isMissing(ErrorResponseException e) {
        String code = e.errorResponse().code();
        return "NoSuchKey".equals(code) || "NoSuchObject".equals(code) || "NotFound".equals(code);
    }

    /** ETags without their quotes: GET answers them quoted, the SDK's stat unquoted. */
    private static String unquote(String etag) {
        if (etag == null) {
            return null;
        }
        return etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"") ? etag.substring(1, etag.length() - 1) : etag;
    }

    /**
     * 412 PreconditionFailed: the condition did not hold. 409 ConditionalRequestConflict: a concurrent write to
     * the same key was in flight (AWS asks the caller to re-read and retry). Both mean "not this time".
     */
    private static boolean isConditionFailed(ErrorResponseException e) {
        String code = e.errorResponse().code();
        int status = e.response() == null ? 0 : e.response().code();
        return status == 412 || status == 409 || "PreconditionFailed".equals(code)
                || "ConditionalRequestConflict".equals(code);
    }

    @FunctionalInterface
    private interface S3Call<T> {
        T run() throws Exception;
    }

    private <T> T call(S3Call<T> op, String what) {
        try {
            return op.run();
        } catch (ObjectStoreException | IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new ObjectStoreException("S3 " + what + " failed: " + e.getMessage(), e);
        }
    }
}

package com.lakehouse.embedd.store;

import com.lakehouse.contracts.error.ApiException;
import com.lakehouse.contracts.s3.ObjectStore;
import com.lakehouse.embedd.config.EmbeddConfig;
import com.lakehouse.embedd.service.EmbedService;
import com.lakehouse.embedd.service.EmbeddingCache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Cache snapshots in S3, one object per model at {@code embedd/cache/<model>.bin}: written on demand and (when
 * configured) on shutdown, read back at startup for a warm cache. Format: magic {@code EMBC}, version 1, model
 * name, entry count, then per entry the 32-byte sha256 of the text, the dimension and the float32 components.
 */
@Singleton
public class CacheSnapshots {
    private static final Logger LOG = Logger.getLogger(CacheSnapshots.class);
    static final int MAGIC = 0x454D4243; // "EMBC"
    static final int VERSION = 1;
    /** Model names that are safe as an S3 key segment. */
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    public record Written(String model, String key, int entries, long bytes) {
    }

    @Inject
    ObjectStore store;
    @Inject
    EmbedService service;
    @Inject
    EmbeddConfig config;

    public static String keyOf(String model) {
        return "embedd/cache/" + model + ".bin";
    }

    void onStart(@Observes StartupEvent ev) {
        if (config.cache().warmStart() && service.cache().enabled()) {
            for (String model : service.models().keySet()) {
                try {
                    int n = load(model);
                    if (n > 0) {
                        LOG.infof("warm start: %d cached vectors of model %s from S3", n, model);
                    }
                } catch (RuntimeException e) {
                    LOG.warnf("warm start of model %s skipped: %s", model, e.getMessage());
                }
            }
        }
    }

    void onStop(@Observes ShutdownEvent ev) {
        if (config.cache().snapshotOnShutdown() && service.cache().enabled()) {
            try {
                writeAll();
            } catch (RuntimeException e) {
                LOG.warnf("cache snapshot on shutdown failed: %s", e.getMessage());
            }
        }
    }

    /** Writes one snapshot per model that has cached vectors. 503 when S3 is unreachable. */
    public List<Written> writeAll() {
        if (!service.cache().enabled()) {
            throw ApiException.conflict("cache_disabled", "the cache is off (lakehouse.embedd.cache.max-bytes=0)");
        }
        List<Written> out = new ArrayList<>();
        for (String model : service.models().keySet()) {
            if (!SAFE.matcher(model).matches()) {
                LOG.warnf("model name %s is not safe as an S3 key; its cache is not snapshotted", model);
                continue;
            }
            Map<EmbeddingCache.Key, float[]> entries = service.cache().entriesOf(model);
            if (entries.isEmpty()) {
                continue;
            }
            byte[] bytes = encode(model, entries);
            try {
                store.put(keyOf(model), bytes, "application/octet-stream");
            } catch (RuntimeException e) {
                throw ApiException.unavailable("s3_unavailable", "cannot write the cache snapshot of model "
                        + model + ": " + e.getMessage());
            }
            out.add(new Written(model, keyOf(model), entries.size(), bytes.length));
        }
        return out;
    }

    /** Loads a model's snapshot into the cache; returns how many vectors (0 when there is none). */
    public int load(String model) {
        if (!SAFE.matcher(model).matches()) {
            return 0;
        }
        Optional<byte[]> bytes = store.get(keyOf(model));
        if (bytes.isEmpty()) {
            return 0;
        }
        Map<EmbeddingCache.Key, float[]> entries = decode(model, bytes.get());
        entries.forEach(service.cache()::put);
        return entries.size();
    }

    static byte[] encode(String model, Map<EmbeddingCache.Key, float[]> entries) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream(entries.size() * (40 + 4 * 384) + 64);
        try (DataOutputStream out = new DataOutputStream(bos)) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeUTF(model);
            out.writeInt(entries.size());
            for (Map.Entry<EmbeddingCache.Key, float[]> e : entries.entrySet()) {
                out.write(e.getKey().sha256());
                float[] v = e.getValue();
                out.writeInt(v.length);
                for (float f : v) {
                    out.writeFloat(f);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bos.toByteArray();
    }

    static Map<EmbeddingCache.Key, float[]> decode(String model, byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (in.readInt() != MAGIC) {
                throw new IllegalStateException("not an embedd cache snapshot");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IllegalStateException("unknown snapshot version " + version);
            }
            String name = in.readUTF();
            if (!name.equals(model)) {
                throw new IllegalStateException("snapshot is of model " + name + ", not " + model);
            }
            int n = in.readInt();
            Map<EmbeddingCache.Key, float[]> out = new java.util.HashMap<>(Math.max(16, n * 2));
            for (int i = 0; i < n; i++) {
                byte[] sha = new byte[32];
                in.readFully(sha);
                int dim = in.readInt();
                if (dim <= 0 || dim > 65536) {
                    throw new IllegalStateException("bad dimension " + dim + " in snapshot");
                }
                float[] v = new float[dim];
                for (int j = 0; j < dim; j++) {
                    v[j] = in.readFloat();
                }
                out.put(new EmbeddingCache.Key(model, sha), v);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("truncated snapshot: " + e.getMessage(), e);
        }
    }
}

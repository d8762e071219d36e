package com.lakehouse.catalogd.store;

import com.lakehouse.catalogd.store.CatalogModel.CatalogVersion;
import com.lakehouse.catalogd.store.CatalogModel.DatasetRecord;
import com.lakehouse.catalogd.store.CatalogModel.Manifest;
import com.lakehouse.contracts.json.Json;
import com.lakehouse.contracts.s3.ObjectStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The catalog's S3 layout: catalog versions {@code catalog/_log/<seq>.json} (created if absent, one writer per
 * seq), and per dataset {@code catalog/<name>/parts/<publish id>.parquet} and
 * {@code catalog/<name>/v<n>/manifest-<publish id>.json}. Older stacks' {@code catalog/<name>/dataset.json},
 * {@code v<n>/part-00000.parquet} and {@code v<n>/manifest.json} are still read.
 */
public class CatalogStore {
    public static final String ROOT = "catalog/";
    private final ObjectStore store;

    public CatalogStore(ObjectStore store) {
        this.store = store;
    }

    public ObjectStore objects() {
        return store;
    }

    public static String datasetKey(String name) {
        return ROOT + name + "/dataset.json";
    }

    public static String versionPrefix(String name, int version) {
        return ROOT + name + "/v" + version + "/";
    }

    public static final String LOG = ROOT + "_log/";

    /** A published Parquet object; the publish id makes it one writer's own key. */
    public static String partKey(String name, String publishId) {
        return ROOT + name + "/parts/" + publishId + ".parquet";
    }

    /** A version's manifest, written by the publisher that holds the publish id (so no two writers share it). */
    public static String manifestKey(String name, int version, String publishId) {
        return versionPrefix(name, version) + "manifest-" + publishId + ".json";
    }

    public static String logKey(long seq) {
        return String.format("%s%012d.json", LOG, seq);
    }

    /** Catalog version {@code seq}, or empty when no writer has created it. */
    public Optional<CatalogVersion> readVersion(long seq) {
        return store.get(logKey(seq)).map(b -> read(b, CatalogVersion.class));
    }

    /** The highest seq listed under {@code catalog/_log/} (0 when none). */
    public long listedNewestSeq() {
        List<String> keys = store.list(LOG);
        long best = 0;
        for (String k : keys) {
            String n = k.substring(LOG.length());
            if (n.endsWith(".json") && n.length() == 17) {
                try {
                    best = Math.max(best, Long.parseLong(n.substring(0, 12)));
                } catch (NumberFormatException ignored) {
                    // not a catalog version
                }
            }
        }
        return best;
    }

    /** Creates catalog version {@code v.seq()} if no one has; false when another writer created it first. */
    public boolean createVersion(CatalogVersion v) {
        return store.putIfAbsent(logKey(v.seq()), write(v), "application/json");
    }

    public Optional<DatasetRecord> readDataset(String name) {
        return store.get(datasetKey(name)).map(b -> read(b, DatasetRecord.class));
    }

    public Optional<Manifest> readManifest(String key) {
        return store.get(key).map(b -> read(b, Manifest.class));
    }

    /** Names of every dataset with an older stack's dataset.json (tombstoned ones included). */
    public List<String> datasetNames() {
        List<String> names = new ArrayList<>();
        for (String key : store.list(ROOT)) {
            if (key.endsWith("/dataset.json")) {
                String rest = key.substring(ROOT.length(), key.length() - "/dataset.json".length());
                if (!rest.contains("/")) {
                    names.add(rest);
                }
            }
        }
        return names;
    }

    public void uploadPart(String key, Path parquet) {
        store.putFile(key, parquet, "application/vnd.apache.parquet");
    }

    public void writeManifest(String key, Manifest manifest) {
        store.put(key, write(manifest), "application/json");
    }

    private static byte[] write(Object value) {
        try {
            return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T read(byte[] bytes, Class<T> type) {
        try {
            return Json.mapper().readValue(bytes, type);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable catalog document: " + e.getMessage(), e);
        }
    }
}

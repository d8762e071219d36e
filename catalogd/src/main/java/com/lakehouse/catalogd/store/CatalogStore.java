package com.lakehouse.catalogd.store;

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

/** The catalog's S3 layout: {@code catalog/<name>/dataset.json} and {@code catalog/<name>/v<n>/...}. */
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

    public static String partKey(String name, int version) {
        return versionPrefix(name, version) + "part-00000.parquet";
    }

    public static String manifestKey(String name, int version) {
        return versionPrefix(name, version) + "manifest.json";
    }

    public Optional<DatasetRecord> readDataset(String name) {
        return store.get(datasetKey(name)).map(b -> read(b, DatasetRecord.class));
    }

    public Optional<Manifest> readManifest(String key) {
        return store.get(key).map(b -> read(b, Manifest.class));
    }

    /** Names of every dataset that has a dataset.json (tombstoned ones included). */
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

    public void writeDataset(DatasetRecord record) {
        store.put(datasetKey(record.dataset()), write(record), "application/json");
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

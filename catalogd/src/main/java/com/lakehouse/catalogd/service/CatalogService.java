package com.lakehouse.catalogd.service;

import com.lakehouse.catalogd.store.CatalogModel.Column;
import com.lakehouse.catalogd.store.CatalogModel.DatasetRecord;
import com.lakehouse.catalogd.store.CatalogModel.FileEntry;
import com.lakehouse.catalogd.store.CatalogModel.Manifest;
import com.lakehouse.catalogd.store.CatalogModel.VersionEntry;
import com.lakehouse.catalogd.store.CatalogStore;
import com.lakehouse.contracts.error.ApiException;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Datasets and their versions. Publishing uploads the Parquet, then the manifest, then rewrites dataset.json
 * (the only document readers follow), so a version is visible only when complete. One lock per dataset
 * serializes version numbers; every mutation is journaled after it is durable in S3.
 */
public class CatalogService {
    /** What the catalog knows of a live dataset for SQL: its latest manifest. */
    public record Live(DatasetRecord record, Manifest manifest) {
    }

    public record Published(String dataset, int version, long rowCount) {
    }

    private final CatalogStore store;
    private final Journal journal;
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final Map<String, DatasetRecord> records = new ConcurrentHashMap<>();
    private final Map<String, Manifest> manifests = new ConcurrentHashMap<>();
    private volatile boolean loaded;

    public CatalogService(CatalogStore store, Journal journal) {
        this.store = store;
        this.journal = journal;
    }

    public CatalogStore store() {
        return store;
    }

    private void loadAll() {
        if (loaded) {
            return;
        }
        synchronized (this) {
            if (loaded) {
                return;
            }
            for (String name : store.datasetNames()) {
                store.readDataset(name).ifPresent(r -> records.putIfAbsent(name, r));
            }
            loaded = true;
        }
    }

    /**
     * Datasets known in memory, tombstoned or not, without reading S3 (for metrics scrapes); empty until the
     * catalog has been loaded by its first use.
     */
    public java.util.OptionalLong count(boolean tombstoned) {
        if (!loaded) {
            return java.util.OptionalLong.empty();
        }
        return java.util.OptionalLong.of(records.values().stream().filter(r -> r.tombstoned() == tombstoned).count());
    }

    public List<DatasetRecord> list(boolean includeTombstoned) {
        loadAll();
        return records.values().stream().filter(r -> includeTombstoned || !r.tombstoned())
                .sorted(Comparator.comparing(DatasetRecord::dataset)).toList();
    }

    public Optional<DatasetRecord> find(String name) {
        loadAll();
        return Optional.ofNullable(records.get(name));
    }

    /** The dataset, 404 when unknown or (unless asked) tombstoned. */
    public DatasetRecord require(String name, boolean includeTombstoned) {
        DatasetRecord r = find(name).orElseThrow(() -> ApiException.notFound("dataset_not_found", "no dataset " + name));
        if (r.tombstoned() && !includeTombstoned) {
            throw ApiException.notFound("dataset_not_found", "dataset " + name + " is tombstoned (ask with include_tombstoned=true)");
        }
        return r;
    }

    public Manifest manifest(DatasetRecord r, int version) {
        VersionEntry v = r.versions().stream().filter(e -> e.version() == version).findFirst()
                .orElseThrow(() -> ApiException.notFound("version_not_found", "dataset " + r.dataset() + " has no version " + version));
        return manifests.computeIfAbsent(v.manifestKey(), k -> store.readManifest(k).orElseThrow(
                () -> new IllegalStateException("manifest missing in S3: " + k)));
    }

    /** Latest manifest of every dataset that is not tombstoned. */
    public List<Live> live() {
        List<Live> out = new ArrayList<>();
        for (DatasetRecord r : list(false)) {
            if (r.latestVersion() > 0) {
                out.add(new Live(r, manifest(r, r.latestVersion())));
            }
        }
        return out;
    }

    /** Uploads a finished Parquet as the next version and publishes it. */
    public Published publish(String name, Path parquet, long bytes, String sha256, long rows, List<Column> schema,
                             String source, String requestId) {
        loadAll();
        ReentrantLock lock = locks.computeIfAbsent(name, k -> new ReentrantLock());
        lock.lock();
        try {
            Instant now = Instant.now();
            DatasetRecord before = store.readDataset(name).orElse(null);
            int version = before == null ? 1 : before.latestVersion() + 1;
            String partKey = CatalogStore.partKey(name, version);
            store.uploadPart(partKey, parquet);
            Manifest manifest = new Manifest(name, version, schema, rows,
                    List.of(new FileEntry(partKey, bytes, sha256, rows)), now, source, requestId);
            String manifestKey = CatalogStore.manifestKey(name, version);
            store.writeManifest(manifestKey, manifest);
            List<VersionEntry> versions = new ArrayList<>(before == null ? List.of() : before.versions());
            versions.add(new VersionEntry(version, rows, now, manifestKey, source));
            DatasetRecord after = new DatasetRecord(name, before == null ? now : before.createdAt(), now, version,
                    versions, false, null, null);
            store.writeDataset(after);
            manifests.put(manifestKey, manifest);
            records.put(name, after);
            if (before == null) {
                journal.append(new Journal.Draft("dataset", name, null, "insert", null,
                        Map.of("dataset", name, "created_at", now.toString()), "catalogd", source, requestId));
            } else if (before.tombstoned()) {
                journal.append(new Journal.Draft("dataset", name, "tombstoned", "update", true, false, "catalogd",
                        source, requestId));
            }
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("version", version);
            summary.put("row_count", rows);
            summary.put("manifest_key", manifestKey);
            summary.put("sha256", sha256);
            journal.append(new Journal.Draft("dataset_version", name + "/v" + version, null, "insert", null, summary,
                    "catalogd", source, requestId));
            return new Published(name, version, rows);
        } finally {
            lock.unlock();
        }
    }

    /** Tombstones a dataset (idempotent: a second call changes nothing and journals nothing). */
    public DatasetRecord tombstone(String name, String reason, String requestId) {
        require(name, true);
        ReentrantLock lock = locks.computeIfAbsent(name, k -> new ReentrantLock());
        lock.lock();
        try {
            DatasetRecord before = store.readDataset(name)
                    .orElseThrow(() -> ApiException.notFound("dataset_not_found", "no dataset " + name));
            if (before.tombstoned()) {
                return before;
            }
            Instant now = Instant.now();
            DatasetRecord after = new DatasetRecord(name, before.createdAt(), now, before.latestVersion(),
                    before.versions(), true, reason, now);
            store.writeDataset(after);
            records.put(name, after);
            journal.append(new Journal.Draft("dataset", name, "tombstoned", "delete", false,
                    Map.of("tombstoned", true, "reason", reason == null ? "" : reason), "catalogd", "api", requestId));
            return after;
        } finally {
            lock.unlock();
        }
    }
}

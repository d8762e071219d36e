package com.lakehouse.catalogd.service;

import com.lakehouse.catalogd.store.CatalogModel.CatalogVersion;
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
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.time.Duration;
import java.util.UUID;
import java.util.TreeMap;

/**
 * Datasets and their versions, safe with several catalogd processes on one bucket.
 *
 * <p>The catalog is a sequence of catalog versions {@code catalog/_log/<seq>.json}, each the whole catalog after
 * one commit. A commit reads the newest version N (probing N+1 first, so it always starts from the newest),
 * applies its change, and creates N+1 with If-None-Match. The writer whose create succeeds has committed; a
 * loser re-reads the winner's version, re-applies (rebases) its change on it and tries N+2, at most
 * {@code maxAttempts} times, then answers 503 {@code catalog_contended}. Within a process one lock serializes
 * commits. Every mutation is journaled after its commit is durable.
 *
 * <p>Each process caches the newest version it has seen; reads refresh it (probe of the next seq) when it is older
 * than {@code refreshInterval}, so a replica sees another's commits within that bound. A stack with no catalog
 * version yet is read from the older layout ({@code catalog/<name>/dataset.json}) as version 0; its first commit
 * writes version 1 with those datasets in it, which migrates it.
 */
public class CatalogService {
    /** What the catalog knows of a live dataset for SQL: its latest manifest. */
    public record Live(DatasetRecord record, Manifest manifest) {
    }

    public record Published(String dataset, int version, long rowCount) {
    }

    /** A cached catalog version: its seq and records by name. */
    private record State(long seq, Map<String, DatasetRecord> records) {
    }

    /** What one commit attempt decided: the dataset's record before and after (after == null: nothing to do). */
    private record Change(DatasetRecord before, DatasetRecord after) {
    }

    private final CatalogStore store;
    private final Journal journal;
    private final Duration refreshInterval;
    private final int maxAttempts;
    private final ReentrantLock commitLock = new ReentrantLock(true);
    private final Map<String, Manifest> manifests = new ConcurrentHashMap<>();
    private volatile State state;
    private volatile long refreshedAt;

    public CatalogService(CatalogStore store, Journal journal) {
        this(store, journal, Duration.ofSeconds(2), 20);
    }

    public CatalogService(CatalogStore store, Journal journal, Duration refreshInterval, int maxAttempts) {
        this.store = store;
        this.journal = journal;
        this.refreshInterval = refreshInterval;
        this.maxAttempts = Math.max(1, maxAttempts);
    }

    public CatalogStore store() {
        return store;
    }

    /** The seq of the newest catalog version this process has seen (0: none, or the older layout). */
    public long seq() {
        State s = state;
        return s == null ? 0 : s.seq();
    }

    /** The cached state, refreshed when older than the refresh interval. */
    private State current() {
        State s = state;
        if (s == null || System.nanoTime() - refreshedAt > refreshInterval.toNanos()) {
            return refresh();
        }
        return s;
    }

    /** Moves the cache to the newest catalog version in S3 (list on first load, then probe of the next seqs). */
    private synchronized State refresh() {
        State s = state;
        if (s == null) {
            long newest = store.listedNewestSeq();
            if (newest == 0) {
                Map<String, DatasetRecord> legacy = new TreeMap<>();
                for (String name : store.datasetNames()) {
                    store.readDataset(name).ifPresent(r -> legacy.put(name, r));
                }
                s = new State(0, Map.copyOf(legacy));
            } else {
                s = toState(store.readVersion(newest).orElseThrow(
                        () -> new IllegalStateException("catalog version " + newest + " listed but missing")));
            }
        }
        while (true) {
            Optional<CatalogVersion> next = store.readVersion(s.seq() + 1);
            if (next.isEmpty()) {
                break;
            }
            s = toState(next.get());
        }
        return advance(s);
    }

    /** Moves the cache forward only (a refresh that raced a commit never puts an older version back). */
    private synchronized State advance(State s) {
        if (state == null || s.seq() >= state.seq()) {
            state = s;
        }
        refreshedAt = System.nanoTime();
        return state;
    }

    private static State toState(CatalogVersion v) {
        Map<String, DatasetRecord> m = new TreeMap<>();
        for (DatasetRecord r : v.datasets()) {
            m.put(r.dataset(), r);
        }
        return new State(v.seq(), Map.copyOf(m));
    }

    /**
     * Commits one dataset's change: {@code change} gets the dataset's newest record (null when unknown) and
     * returns the record after (or the same record when nothing changes). Re-run on each rebase.
     */
    private Change commit(String name, Function<DatasetRecord, DatasetRecord> change) {
        commitLock.lock();
        try {
            for (int attempt = 1; ; attempt++) {
                State s = refresh();
                DatasetRecord before = s.records().get(name);
                DatasetRecord after = change.apply(before);
                if (after == before) {
                    return new Change(before, null);
                }
                Map<String, DatasetRecord> next = new TreeMap<>(s.records());
                next.put(name, after);
                CatalogVersion v = new CatalogVersion(s.seq() + 1, Instant.now(), List.copyOf(next.values()));
                if (store.createVersion(v)) {
                    advance(toState(v));
                    return new Change(before, after);
                }
                if (attempt >= maxAttempts) {
                    throw ApiException.unavailable("catalog_contended", "the catalog commit for " + name
                            + " lost " + attempt + " times to other writers; try again");
                }
                try {
                    Thread.sleep(ThreadLocalRandom.current().nextInt(1, 5 + 5 * Math.min(attempt, 10)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw ApiException.unavailable("catalog_contended", "interrupted while retrying the commit");
                }
            }
        } finally {
            commitLock.unlock();
        }
    }

    /**
     * Datasets known in memory, tombstoned or not, without reading S3 (for metrics scrapes); empty until the
     * catalog has been loaded by its first use.
     */
    public java.util.OptionalLong count(boolean tombstoned) {
        State s = state;
        if (s == null) {
            return java.util.OptionalLong.empty();
        }
        return java.util.OptionalLong.of(s.records().values().stream().filter(r -> r.tombstoned() == tombstoned).count());
    }

    public List<DatasetRecord> list(boolean includeTombstoned) {
        return current().records().values().stream().filter(r -> includeTombstoned || !r.tombstoned())
                .sorted(Comparator.comparing(DatasetRecord::dataset)).toList();
    }

    public Optional<DatasetRecord> find(String name) {
        return Optional.ofNullable(current().records().get(name));
    }

    /** The dataset, 404 when unknown or (unless asked) tombstoned. */
    public DatasetRecord require(String name, boolean includeTombstoned) {
        DatasetRecord r = find(name).orElseThrow(() -> ApiException.notFound("dataset_not_found", "no dataset " + name));
        if (r.tombstoned() && !includeTombstoned) {
            throw ApiException.notFound("dataset_not_found", "dataset " + name + " is tombstoned (ask with include_tombstoned=true)");
        }
        return r;
    }

    public VersionEntry entry(DatasetRecord r, int version) {
        return r.versions().stream().filter(e -> e.version() == version).findFirst()
                .orElseThrow(() -> ApiException.notFound("version_not_found", "dataset " + r.dataset() + " has no version " + version));
    }

    public Manifest manifest(DatasetRecord r, int version) {
        VersionEntry v = entry(r, version);
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

    /**
     * Uploads a finished Parquet and publishes it as the dataset's next version. The Parquet goes to a key of its
     * own first; each commit attempt writes the manifest for the version number it tries (a key of its own too),
     * so a lost attempt leaves only an unreferenced manifest behind.
     */
    public Published publish(String name, Path parquet, long bytes, String sha256, long rows, List<Column> schema,
                             String source, String requestId) {
        String publishId = UUID.randomUUID().toString();
        String partKey = CatalogStore.partKey(name, publishId);
        store.uploadPart(partKey, parquet);
        Manifest[] written = new Manifest[1];
        Change c = commit(name, before -> {
            Instant now = Instant.now();
            int version = before == null ? 1 : before.latestVersion() + 1;
            Manifest manifest = new Manifest(name, version, schema, rows,
                    List.of(new FileEntry(partKey, bytes, sha256, rows)), now, source, requestId);
            String manifestKey = CatalogStore.manifestKey(name, version, publishId);
            store.writeManifest(manifestKey, manifest);
            manifests.put(manifestKey, manifest);
            written[0] = manifest;
            List<VersionEntry> versions = new ArrayList<>(before == null ? List.of() : before.versions());
            versions.add(new VersionEntry(version, rows, now, manifestKey, source));
            return new DatasetRecord(name, before == null ? now : before.createdAt(), now, version,
                    versions, false, null, null);
        });
        DatasetRecord before = c.before();
        int version = written[0].version();
        Instant now = c.after().updatedAt();
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
        summary.put("manifest_key", c.after().versions().getLast().manifestKey());
        summary.put("sha256", sha256);
        journal.append(new Journal.Draft("dataset_version", name + "/v" + version, null, "insert", null, summary,
                "catalogd", source, requestId));
        return new Published(name, version, rows);
    }

    /** Tombstones a dataset (idempotent: a second call changes nothing and journals nothing). */
    public DatasetRecord tombstone(String name, String reason, String requestId) {
        Change c = commit(name, before -> {
            if (before == null) {
                throw ApiException.notFound("dataset_not_found", "no dataset " + name);
            }
            if (before.tombstoned()) {
                return before;
            }
            Instant now = Instant.now();
            return new DatasetRecord(name, before.createdAt(), now, before.latestVersion(),
                    before.versions(), true, reason, now);
        });
        if (c.after() == null) {
            return c.before();
        }
        journal.append(new Journal.Draft("dataset", name, "tombstoned", "delete", false,
                Map.of("tombstoned", true, "reason", reason == null ? "" : reason), "catalogd", "api", requestId));
        return c.after();
    }
}

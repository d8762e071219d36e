package com.lakehouse.vectord.service;

import com.lakehouse.contracts.error.ApiException;
import com.lakehouse.contracts.jobs.Job;
import com.lakehouse.contracts.jobs.JobRegistry;
import com.lakehouse.contracts.s3.ObjectStore;
import com.lakehouse.contracts.s3.ObjectStoreException;
import com.lakehouse.vectord.config.VectordConfig;
import com.lakehouse.vectord.store.EnvelopeStore;
import com.lakehouse.vectord.store.WriterId;
import com.lakehouse.vectord.store.Wal;
import com.lakehouse.contracts.commit.GroupCommit;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * The indexes of this daemon: restore on start (S3 generation + WAL replay), durable writes (WAL fsync before
 * the answer), compaction into new generations (schedule, after N writes, on shutdown), jobs.
 */
@ApplicationScoped
public class VectorService {
    private static final Logger LOG = Logger.getLogger(VectorService.class);

    /** One live index with its durability state. */
    public static final class Managed implements VectordMetrics.IndexView {
        final VectorIndex index;
        final Wal wal;
        final Instant createdAt;
        final ReentrantLock saveLock = new ReentrantLock();
        final AtomicLong writesSinceSave = new AtomicLong();
        final List<String> warnings = new ArrayList<>();
        volatile long generation;
        volatile long savedSeq;
        volatile long prevSavedSeq;
        volatile Instant lastSavedAt;
        volatile boolean dropped;
        /** The add group commit (created on the first add): concurrent adds share one WAL fsync and one insert. */
        private GroupCommit<List<Entry>> adds;

        synchronized GroupCommit<List<Entry>> adds(VectorService owner) {
            checkLive(this);
            if (adds == null) {
                adds = new GroupCommit<>("vectord-add-" + index.params().name(), owner.config.commitBatchRequests(),
                        batch -> owner.commitAdds(this, batch));
            }
            return adds;
        }

        synchronized void closeAdds() {
            if (adds != null) {
                adds.close();
                adds = null;
            }
        }

        Managed(VectorIndex index, Wal wal, Instant createdAt) {
            this.index = index;
            this.wal = wal;
            this.createdAt = createdAt;
        }

        public VectorIndex index() {
            return index;
        }

        @Override
        public int vectors() {
            return index.size();
        }

        @Override
        public int tombstones() {
            return Math.max(0, index.tombstones());
        }

        @Override
        public long unsavedWrites() {
            return writesSinceSave.get();
        }
    }

    /** GET /v1/vectors/index/{name}. */
    public record IndexStats(String name, int dimension, String distance, int m, int efConstruction, int efSearch,
                             long count, long generation, long walSeq, long savedSeq, boolean dirty,
                             Instant createdAt, Instant lastSavedAt, List<String> warnings) {
    }

    @Inject
    VectordConfig config;
    @Inject
    ObjectStore objectStore;
    @Inject
    MeterRegistry registry;

    private final ConcurrentHashMap<String, Managed> indexes = new ConcurrentHashMap<>();
    private final Object createLock = new Object();
    private EnvelopeStore envelopes;
    private JobRegistry jobs;
    private ScheduledExecutorService scheduler;
    private Path dataDir;
    private volatile boolean restored;
    private VectordMetrics metrics;

    void onStart(@Observes StartupEvent ev) {
        dataDir = Path.of(config.dataDir()).toAbsolutePath();
        try {
            Files.createDirectories(dataDir.resolve("indexes"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data dir " + dataDir, e);
        }
        envelopes = new EnvelopeStore(objectStore, dataDir.resolve("tmp"), WriterId.of(dataDir));
        metrics = new VectordMetrics(registry);
        jobs = new JobRegistry("vectord", config.jobThreads(), 64);
        restoreAll();
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vectord-compactor");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(1000, config.snapshotInterval().toMillis());
        scheduler.scheduleWithFixedDelay(this::compactDirty, every, every, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent ev) {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (jobs != null) {
            jobs.close();
        }
        for (Managed m : indexes.values()) {
            m.closeAdds();
            if (config.snapshotOnShutdown() && isDirty(m)) {
                try {
                    save(m, null, false);
                } catch (RuntimeException e) {
                    LOG.errorf("final save of %s failed (the WAL still holds its writes): %s",
                            m.index.params().name(), e.getMessage());
                }
            }
            m.wal.close();
        }
    }

    public boolean restored() {
        return restored;
    }

    public JobRegistry jobs() {
        return jobs;
    }

    /**
     * Submits a job whose total is known (1 until the work reports its own) before anyone can view it: the
     * shared {@code Job.view()} cannot render an unknown total on an unfinished job.
     */
    private Job submit(String kind, JobRegistry.Work work) {
        java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(1);
        Job job = jobs.submit(kind, j -> {
            ready.await();
            return work.run(j);
        });
        job.total(1);
        ready.countDown();
        return job;
    }

    private int threads() {
        return config.buildThreads() > 0 ? config.buildThreads() : Runtime.getRuntime().availableProcessors();
    }

    // ---------------------------------------------------------------- restore

    private void restoreAll() {
        List<String> names;
        try {
            names = envelopes.listIndexes();
        } catch (ObjectStoreException e) {
            throw new IllegalStateException("cannot list indexes in S3; refusing to start without them: " + e.getMessage(), e);
        }
        for (String name : names) {
            try {
                restore(name);
            } catch (Exception e) {
                metrics.restoreFailed();
                LOG.errorf(e, "index %s could not be restored; it is not served (its WAL is kept in %s)",
                        name, walDir(name));
            }
        }
        try (Stream<Path> s = Files.list(dataDir.resolve("indexes"))) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (!names.contains(n)) {
                    Path aside = dataDir.resolve("orphans").resolve(n + "-" + System.currentTimeMillis());
                    Files.createDirectories(aside.getParent());
                    Files.move(p, aside);
                    LOG.warnf("WAL of %s has no index in S3 (dropped, or another bucket); moved to %s", n, aside);
                }
            }
        } catch (IOException e) {
            LOG.warnf("cannot scan %s for orphan WALs: %s", dataDir, e.getMessage());
        }
        restored = true;
    }

    private Path walDir(String name) {
        return dataDir.resolve("indexes").resolve(name);
    }

    private void restore(String name) throws IOException {
        long t0 = System.nanoTime();
        Optional<EnvelopeStore.Loaded> loaded = envelopes.load(name);
        if (loaded.isEmpty()) {
            return;
        }
        EnvelopeStore.Loaded l = loaded.get();
        Wal wal = new Wal(walDir(name));
        List<Wal.Record> tail = new ArrayList<>();
        int replayed = wal.replay(l.walSeq(), tail::add);
        wal.openForAppend();
        VectorIndex index = new VectorIndex(l.params());
        boolean graphUsed;
        index.writeLock().lock();
        try {
            // The stored graph (when the generation has a usable one) skips the build; the WAL tail then applies
            // on top in log order, exactly as the writes did before the crash.
            graphUsed = index.restore(l.params(), l.items(), l.graph(), threads());
            for (Wal.Record r : tail) {
                if (r.type() == Wal.ADD) {
                    index.upsert(r.adds(), threads(), config.parallelAddThreshold());
                } else {
                    for (String id : r.deletes()) {
                        index.remove(id);
                    }
                }
            }
        } finally {
            index.writeLock().unlock();
        }
        Managed m = new Managed(index, wal, l.createdAt() == null ? Instant.now() : l.createdAt());
        m.generation = l.generation();
        m.savedSeq = l.walSeq();
        m.prevSavedSeq = l.walSeq();
        m.warnings.addAll(l.warnings());
        if (replayed > 0) {
            m.writesSinceSave.set(replayed);
        }
        indexes.put(name, m);
        metrics.track(name, m);
        metrics.restored(graphUsed);
        LOG.infof("restored %s: generation %d (envelope v%d), %d items, graph %s, %d WAL records replayed, in %d ms",
                name, l.generation(), l.envelopeVersion(), index.size(), graphUsed ? "loaded" : "rebuilt", replayed,
                (System.nanoTime() - t0) / 1_000_000);
    }

    // ---------------------------------------------------------------- indexes

    public Managed require(String field, String name) {
        Managed m = indexes.get(name);
        if (m == null) {
            throw new ApiException(404, "index_not_found", "no index named '" + name + "'", field);
        }
        return m;
    }

    public IndexStats create(IndexParams p) {
        synchronized (createLock) {
            if (indexes.containsKey(p.name()) || envelopes.exists(p.name())) {
                throw ApiException.conflict("index_exists", "index '" + p.name() + "' already exists");
            }
            Path dir = walDir(p.name());
            if (Files.exists(dir)) {
                try {
                    Path aside = dataDir.resolve("orphans").resolve(p.name() + "-" + System.currentTimeMillis());
                    Files.createDirectories(aside.getParent());
                    Files.move(dir, aside);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            Instant now = Instant.now();
            long gen = envelopes.claimGeneration(p.name(), 0);
            envelopes.save(p, gen, 0, List.of(), null, config.payloadItems(), now);
            Wal wal = new Wal(dir);
            wal.openForAppend();
            Managed m = new Managed(new VectorIndex(p), wal, now);
            m.generation = gen;
            m.lastSavedAt = now;
            indexes.put(p.name(), m);
            metrics.track(p.name(), m);
            return stats(m);
        }
    }

    public List<IndexStats> list() {
        return indexes.values().stream().map(this::stats)
                .sorted(Comparator.comparing(IndexStats::name)).toList();
    }

    public IndexStats stats(Managed m) {
        IndexParams p = m.index.params();
        List<String> w;
        synchronized (m.warnings) {
            w = List.copyOf(m.warnings);
        }
        return new IndexStats(p.name(), p.dimension(), p.distance().wire(), p.m(), p.efConstruction(), p.efSearch(),
                m.index.size(), m.generation, m.wal.lastSeq(), m.savedSeq, isDirty(m), m.createdAt, m.lastSavedAt,
                w.isEmpty() ? null : w);
    }

    public void drop(String name) {
        Managed m = require("name", name);
        synchronized (createLock) {
            indexes.remove(name, m);
            metrics.untrack(name);
            m.saveLock.lock();
            m.index.writeLock().lock();
            try {
                m.dropped = true;
                envelopes.delete(name);
                m.wal.destroy();
            } finally {
                m.index.writeLock().unlock();
                m.saveLock.unlock();
            }
            // After the locks: the writer may be waiting for the write lock, and fails its batch with 404 now.
            m.closeAdds();
        }
    }

    // ---------------------------------------------------------------- writes

    /**
     * Adds a validated batch: WAL (fsync) first, then the graph; returns the number of distinct ids written.
     * Group commit: adds that arrive while one is being written queue and go together into the next WAL record
     * (one fsync) and one graph insert (threaded once big enough); each returns only after that fsync.
     */
    public int add(Managed m, List<Entry> batch) {
        checkLive(m);
        int n = (int) batch.stream().map(Entry::id).distinct().count();
        m.adds(this).commit(batch);
        afterWrite(m, n);
        return n;
    }

    /**
     * The add group commit's writer: the queued requests' items in arrival order, folded as one batch (last
     * wins, exactly as if applied one after another), one WAL record (one fsync), then one graph insert.
     */
    void commitAdds(Managed m, List<List<Entry>> requests) {
        List<Entry> all = new ArrayList<>();
        for (List<Entry> r : requests) {
            all.addAll(r);
        }
        m.index.writeLock().lock();
        try {
            checkLive(m);
            List<Entry> resolved = m.index.resolve(all);
            m.wal.appendAdd(resolved);
            m.index.upsert(resolved, threads(), config.parallelAddThreshold());
        } finally {
            m.index.writeLock().unlock();
        }
    }

    /** Deletes one item; false when it was not there. */
    public boolean delete(Managed m, String id) {
        m.index.writeLock().lock();
        try {
            checkLive(m);
            if (m.index.get(id) == null) {
                return false;
            }
            m.wal.appendDelete(List.of(id));
            m.index.remove(id);
        } finally {
            m.index.writeLock().unlock();
        }
        afterWrite(m, 1);
        return true;
    }

    private static void checkLive(Managed m) {
        if (m.dropped) {
            throw ApiException.notFound("index_not_found", "index '" + m.index.params().name() + "' was deleted");
        }
    }

    /**
     * Bulk load as a job: the batch is in the WAL (durable) before this returns the job; the graph insert
     * (threaded) runs in the job, holding the index's write lock so later writes apply after it.
     */
    public Job bulk(Managed m, List<Entry> batch) {
        CompletableFuture<Void> logged = new CompletableFuture<>();
        Job job = submit("bulk_load", j -> {
            m.index.writeLock().lock();
            try {
                checkLive(m);
                List<Entry> resolved = m.index.resolve(batch);
                m.wal.appendAdd(resolved);
                logged.complete(null);
                j.progress(0, resolved.size());
                j.message("inserting " + resolved.size() + " items into " + m.index.params().name());
                int chunk = Math.max(1000, config.parallelAddThreshold());
                for (int i = 0; i < resolved.size(); i += chunk) {
                    List<Entry> part = resolved.subList(i, Math.min(resolved.size(), i + chunk));
                    m.index.upsert(part, threads(), config.parallelAddThreshold());
                    j.progress(i + part.size(), resolved.size());
                }
                m.writesSinceSave.addAndGet(resolved.size());
                return Map.of("index", m.index.params().name(), "added", resolved.size(), "count", m.index.size());
            } catch (Throwable t) {
                logged.completeExceptionally(t);
                throw t;
            } finally {
                m.index.writeLock().unlock();
            }
        });
        try {
            logged.get(5, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ApiException api) {
                throw api;
            }
            throw new IllegalStateException("bulk load could not be logged: " + e.getCause().getMessage(), e.getCause());
        } catch (Exception e) {
            throw ApiException.unavailable("wal_busy", "bulk load was not logged in time: " + e.getMessage());
        }
        return job;
    }

    private void afterWrite(Managed m, long n) {
        if (m.writesSinceSave.addAndGet(n) >= config.snapshotAfterWrites() && !m.saveLock.isLocked()) {
            submit("save", j -> saveResult(m, j, false));
        }
    }

    /** Copies every item of src into dest (upsert, idempotent), then optionally removes them from src. */
    public Map<String, Object> merge(Managed src, Managed dest, boolean clearSource) {
        List<Entry> items = src.index.snapshot();
        int chunk = Math.max(1, config.maxBatchItems());
        for (int i = 0; i < items.size(); i += chunk) {
            add(dest, items.subList(i, Math.min(items.size(), i + chunk)));
        }
        int cleared = 0;
        if (clearSource && !items.isEmpty()) {
            src.index.writeLock().lock();
            try {
                checkLive(src);
                List<String> ids = new ArrayList<>();
                for (Entry e : items) {
                    if (src.index.get(e.id()) == e) {
                        ids.add(e.id());
                    }
                }
                if (!ids.isEmpty()) {
                    src.wal.appendDelete(ids);
                    for (String id : ids) {
                        src.index.remove(id);
                    }
                }
                cleared = ids.size();
            } finally {
                src.index.writeLock().unlock();
            }
            afterWrite(src, cleared);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("source", src.index.params().name());
        out.put("dest", dest.index.params().name());
        out.put("merged", items.size());
        out.put("source_cleared", cleared);
        out.put("dest_count", dest.index.size());
        out.put("source_count", src.index.size());
        return out;
    }

    /** Rebuilds the graph (optionally with new HNSW parameters) as a job, then saves a generation. */
    public Job rebuild(Managed m, Integer newM, Integer newEfc, Integer newEfs) {
        return submit("rebuild", j -> {
            IndexParams p = m.index.params();
            IndexParams np = p.withGraph(newM == null ? p.m() : newM, newEfc == null ? p.efConstruction() : newEfc,
                    newEfs == null ? p.efSearch() : newEfs);
            m.index.writeLock().lock();
            try {
                checkLive(m);
                List<Entry> all = m.index.snapshot();
                j.progress(0, Math.max(1, all.size()));
                j.message("rebuilding " + p.name() + " with m=" + np.m() + " ef_construction=" + np.efConstruction());
                m.index.replaceAll(np, all, threads());
                j.progress(Math.max(1, all.size()), Math.max(1, all.size()));
                m.writesSinceSave.incrementAndGet();
            } finally {
                m.index.writeLock().unlock();
            }
            return saveResult(m, j, true);
        });
    }

    public Job saveJob(Managed m) {
        return submit("save", j -> saveResult(m, j, true));
    }

    private Map<String, Object> saveResult(Managed m, Job job, boolean force) {
        EnvelopeStore.Saved s = save(m, job, force);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("index", m.index.params().name());
        out.put("generation", m.generation);
        out.put("wal_seq", m.savedSeq);
        if (s != null) {
            out.put("payload_bytes", s.payloadBytes());
            out.put("millis", s.millis());
        }
        return out;
    }

    private static boolean isDirty(Managed m) {
        return m.wal.lastSeq() > m.savedSeq;
    }

    private void compactDirty() {
        for (Managed m : indexes.values()) {
            if (isDirty(m) && !m.saveLock.isLocked()) {
                try {
                    save(m, null, false);
                } catch (RuntimeException e) {
                    LOG.errorf("scheduled save of %s failed (the WAL still holds its writes): %s",
                            m.index.params().name(), e.getMessage());
                }
            }
        }
    }

    /**
     * Compacts the index into a new generation: a consistent cut under the write lock (the WAL rotates there),
     * payloads and manifest uploaded, current.json switched, then WAL segments older than the previous
     * generation deleted (one generation of WAL is kept so a fallback to it loses nothing).
     */
    EnvelopeStore.Saved save(Managed m, Job job, boolean force) {
        m.saveLock.lock();
        try {
            if (m.dropped || (!force && !isDirty(m))) {
                return null;
            }
            List<Entry> cut;
            GraphSnapshot graph;
            long seq;
            long writes;
            IndexParams p;
            m.index.writeLock().lock();
            try {
                cut = m.index.snapshot();
                graph = config.persistGraph() && m.index.graphWorthStoring(config.graphMaxTombstoneRatio())
                        ? m.index.exportGraph() : null;
                seq = m.wal.lastSeq();
                p = m.index.params();
                writes = m.writesSinceSave.getAndSet(0);
                m.wal.rotate();
            } finally {
                m.index.writeLock().unlock();
            }
            if (job != null) {
                job.message("saving " + cut.size() + " items of " + p.name());
                job.progress(0, Math.max(1, cut.size()));
            }
            EnvelopeStore.Saved s;
            try {
                long gen = envelopes.claimGeneration(p.name(), m.generation);
                s = envelopes.save(p, gen, seq, cut, graph, config.payloadItems(), m.createdAt);
            } catch (RuntimeException e) {
                m.writesSinceSave.addAndGet(writes);
                metrics.saveFailed();
                throw e;
            }
            metrics.saved(s.payloadBytes(), Duration.ofMillis(s.millis()));
            m.generation = s.generation();
            m.wal.deleteUpTo(m.prevSavedSeq);
            m.prevSavedSeq = seq;
            m.savedSeq = seq;
            m.lastSavedAt = Instant.now();
            synchronized (m.warnings) {
                m.warnings.clear();
            }
            if (job != null) {
                job.progress(Math.max(1, cut.size()), Math.max(1, cut.size()));
            }
            try {
                envelopes.prune(p.name(), s.generation(), config.retainGenerations());
            } catch (RuntimeException e) {
                LOG.warnf("pruning old generations of %s failed: %s", p.name(), e.getMessage());
            }
            LOG.infof("saved %s generation %d: %d items, %d payload bytes, %d ms", p.name(), s.generation(),
                    cut.size(), s.payloadBytes(), s.millis());
            return s;
        } finally {
            m.saveLock.unlock();
        }
    }
}

package com.lakehouse.pathwayd.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.lakehouse.contracts.client.VectorsApi;
import com.lakehouse.contracts.commit.GroupCommit;
import com.lakehouse.contracts.error.ApiException;
import com.lakehouse.contracts.http.RequestIds;
import com.lakehouse.contracts.s3.ObjectStore;
import com.lakehouse.contracts.s3.ObjectStoreException;
import com.lakehouse.pathwayd.client.PathwayPeers;
import com.lakehouse.pathwayd.config.PathwaydConfig;
import com.lakehouse.pathwayd.store.OperationLog;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * pathwayd's service: commands are decided one at a time against the {@code head} memory (everything decided,
 * durable or still in flight), queued to a group commit whose single writer makes everything queued durable
 * with one S3 put of the log, then applied to the {@code durable} memory that readers see; each caller is
 * acknowledged only after its batch is in S3. A failed put fails its batch and everything decided on top of it,
 * and the head is rebuilt from the durable memory, so nothing unacknowledged is ever visible or logged.
 *
 * <p>Live traces are mirrored into a vectord index for semantic search; concurrent writes share one embed
 * call and one vectord add (a second group commit). Indexing never blocks an acknowledged write: when embedd
 * or vectord fails, the trace waits in a pending set retried every few seconds (search filters on the memory,
 * so a stale vector can never return a retired or superseded trace).
 */
@ApplicationScoped
public class PathwayService {
    private static final Logger LOG = Logger.getLogger(PathwayService.class);

    @Inject
    ObjectStore store;
    @Inject
    PathwaydConfig config;
    @Inject
    PathwayPeers peers;
    @Inject
    MeterRegistry registry;

    /** What readers see: only operations that are durable in S3. Guarded by itself. */
    private final PathwayMemory durable = new PathwayMemory(Clock.systemUTC());
    /** What commands are decided against: durable plus in flight. Guarded by {@link #decideLock}. */
    private PathwayMemory head = durable.copy();
    private final Object decideLock = new Object();
    private final Object indexLock = new Object();
    private GroupCommit<Operation> commits;
    private GroupCommit<Trace> indexer;
    private final Set<String> pendingIndex = new LinkedHashSet<>();
    private final Set<String> pendingRemoval = new LinkedHashSet<>();
    private OperationLog log;
    private volatile boolean loaded;
    private volatile String loadError;
    private Integer dimension;
    private ScheduledExecutorService scheduler;

    void onStart(@Observes StartupEvent ev) {
        log = new OperationLog(store, config.segmentSize());
        commits = new GroupCommit<>("pathwayd-commit", config.commitBatch(), this::commitBatch, this::commitFailed);
        indexer = new GroupCommit<>("pathwayd-indexer", config.indexBatch(), this::indexBatch);
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pathwayd-index");
            t.setDaemon(true);
            return t;
        });
        registry.gauge("pathway.traces", durable, m -> m.size());
        registry.gauge("pathway.commit.batches", this, s -> s.commits.batches());
        registry.gauge("pathway.commit.operations", this, s -> s.commits.items());
        registry.gauge("pathway.index.pending", pendingIndex, s -> s.size());
        scheduler.execute(this::loadUntilDone);
        scheduler.scheduleWithFixedDelay(this::retryIndexing, 5, 5, TimeUnit.SECONDS);
    }

    void onStop(@Observes ShutdownEvent ev) {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (commits != null) {
            commits.close();
            indexer.close();
        }
    }

    /** Replays the S3 log into memory; retries while S3 is unreachable (readiness stays down meanwhile). */
    private void loadUntilDone() {
        while (!loaded) {
            try {
                List<Operation> ops = log.load();
                synchronized (decideLock) {
                    synchronized (durable) {
                        ops.forEach(durable::apply);
                        head = durable.copy();
                    }
                    loaded = true;
                    loadError = null;
                }
                LOG.infof("pathway memory replayed %d operations into %d traces", ops.size(), durable.size());
            } catch (ObjectStoreException e) {
                loadError = e.getMessage();
                LOG.warnf("pathway log not readable yet: %s", e.getMessage());
                sleep(Duration.ofSeconds(2));
            }
        }
    }

    public boolean loaded() {
        return loaded;
    }

    public String loadError() {
        return loadError;
    }

    private void requireLoaded() {
        if (!loaded) {
            throw ApiException.unavailable("pathway_loading", "pathway memory is still loading its log"
                    + (loadError == null ? "" : ": " + loadError));
        }
    }

    public record UpsertOutcome(PathwayMemory.Event event, Trace trace, String reason, boolean indexed) {
    }

    public UpsertOutcome upsert(String uid, String taskClass, String subject, String signalClass, JsonNode content,
                                List<String> tags, String role) {
        requireLoaded();
        PathwayMemory.Decision d;
        CompletableFuture<Void> done = null;
        synchronized (decideLock) {
            d = head.decideUpsert(uid, taskClass, subject, signalClass, content, tags, role, RequestIds.current());
            if (d.operation() != null) {
                done = submit(d.operation());
            }
        }
        if (done != null) {
            awaitDurable(done);
        }
        boolean indexed = d.event() != PathwayMemory.Event.ADD || index(d.current());
        return new UpsertOutcome(d.event(), d.current(), d.reason(), indexed);
    }

    public record ReviseOutcome(Trace trace, Trace parent, boolean indexed) {
    }

    public ReviseOutcome revise(String uid, String parentUid, JsonNode content, List<String> tags, String role) {
        requireLoaded();
        Operation op;
        CompletableFuture<Void> done;
        synchronized (decideLock) {
            op = head.decideRevise(uid, parentUid, content, tags, role, RequestIds.current());
            done = submit(op);
        }
        awaitDurable(done);
        unindex(parentUid);
        boolean indexed = index(op.trace());
        return new ReviseOutcome(op.trace(), read(m -> m.get(parentUid).orElse(null)), indexed);
    }

    public record RetireOutcome(Trace trace, boolean changed) {
    }

    public RetireOutcome retire(String uid, String reason) {
        requireLoaded();
        Optional<Operation> op;
        CompletableFuture<Void> done = null;
        synchronized (decideLock) {
            op = head.decideRetire(uid, reason, RequestIds.current());
            if (op.isPresent()) {
                done = submit(op.get());
            }
        }
        if (done != null) {
            awaitDurable(done);
            unindex(uid);
            return new RetireOutcome(op.get().trace(), true);
        }
        // Already retired (idempotent): nothing to log.
        return new RetireOutcome(head(m -> m.get(uid)).orElseThrow(), false);
    }

    public Trace replay(String uid) {
        requireLoaded();
        Operation op;
        CompletableFuture<Void> done;
        synchronized (decideLock) {
            op = head.decideReplay(uid, RequestIds.current());
            done = submit(op);
        }
        awaitDurable(done);
        return op.trace();
    }

    public Trace get(String uid) {
        requireLoaded();
        return read(m -> m.get(uid)).orElseThrow(() -> ApiException.notFound("trace_not_found", "no trace " + uid));
    }

    public PathwayMemory.History history(String uid) {
        requireLoaded();
        return read(m -> m.history(uid));
    }

    public TraceSelection.Selection search(String query, String role, List<String> tags, int k) {
        requireLoaded();
        float[] vector = peers.embed().embed(List.of(query), config.model().orElse(null))
                .await().atMost(config.embedd().timeout().multipliedBy(3)).vectors().get(0);
        ensureIndex(vector.length);
        List<VectorsApi.Hit> raw = peers.vectors().search(peers.vectordUrl(), config.index(), vector,
                Math.min(1000, k * Math.max(1, config.overfetch()))).await().atMost(config.vectord().timeout().multipliedBy(3));
        List<TraceSelection.Hit> hits = raw.stream().map(h -> new TraceSelection.Hit(h.id(), h.distance(), h.score())).toList();
        Map<String, Trace> snapshot = new HashMap<>();
        synchronized (durable) {
            for (TraceSelection.Hit h : hits) {
                durable.get(h.traceUid()).ifPresent(t -> snapshot.put(t.traceUid(), t));
            }
        }
        return TraceSelection.select(hits, snapshot, role, tags, k);
    }

    public Map<String, Object> stats() {
        Map<String, Object> s = new LinkedHashMap<>();
        List<Trace> all = read(PathwayMemory::all);
        s.put("loaded", loaded);
        s.put("traces", all.size());
        s.put("live", all.stream().filter(Trace::live).count());
        s.put("retired", all.stream().filter(Trace::retired).count());
        s.put("last_seq", read(PathwayMemory::lastSeq));
        s.put("commit_batches", commits.batches());
        s.put("commit_operations", commits.items());
        synchronized (pendingIndex) {
            s.put("index_pending", pendingIndex.size() + pendingRemoval.size());
        }
        return s;
    }

    /** Applies a decided operation to the head and queues it; call holding {@link #decideLock} (queue order = seq order). */
    private CompletableFuture<Void> submit(Operation op) {
        head.apply(op);
        return commits.enqueue(op);
    }

    /** Waits until the operation's batch is in S3; a failed put is a 503 (nothing of it was kept). */
    private static void awaitDurable(CompletableFuture<Void> done) {
        try {
            GroupCommit.await(done);
        } catch (ObjectStoreException e) {
            throw ApiException.unavailable("storage_unavailable", "pathway log could not be written: " + e.getMessage());
        }
    }

    /** The group commit's writer: one S3 put for the whole batch, then readers see it. */
    private void commitBatch(List<Operation> batch) {
        log.appendAll(batch);
        synchronized (durable) {
            batch.forEach(durable::apply);
        }
        for (Operation op : batch) {
            registry.counter("pathway.operations", "op", op.op()).increment();
        }
    }

    /**
     * A put failed: its callers already got the error. Everything still queued was decided on top of it, so it
     * fails too, and the head goes back to what is durable (under the decide lock, so no new decision races it).
     */
    private void commitFailed(Throwable cause) {
        synchronized (decideLock) {
            int dropped = commits.failQueued(cause);
            synchronized (durable) {
                head = durable.copy();
            }
            LOG.warnf("pathway log append failed (%s); %d queued operations failed with it", cause.getMessage(), dropped);
        }
    }

    private <R> R read(java.util.function.Function<PathwayMemory, R> f) {
        synchronized (durable) {
            return f.apply(durable);
        }
    }

    private <R> R head(java.util.function.Function<PathwayMemory, R> f) {
        synchronized (decideLock) {
            return f.apply(head);
        }
    }

    /**
     * Embeds and indexes one live trace, sharing the embed call and vectord add with concurrent writes; with
     * {@code index-before-ack=false} it only queues the trace for the background indexer (answering false).
     */
    private boolean index(Trace t) {
        if (!config.indexBeforeAck()) {
            synchronized (pendingIndex) {
                pendingIndex.add(t.traceUid());
            }
            wakeIndexer();
            return false;
        }
        try {
            indexer.commit(t);
            return true;
        } catch (RuntimeException e) {
            LOG.warnf("trace %s not indexed yet (%s); will retry", t.traceUid(), e.getMessage());
            synchronized (pendingIndex) {
                pendingIndex.add(t.traceUid());
            }
            return false;
        }
    }

    /** One embed call for the batch's texts and one vectord add for its vectors. */
    private void indexBatch(List<Trace> batch) {
        List<String> texts = batch.stream().map(PathwayService::textOf).toList();
        List<float[]> vs = peers.embed().embed(texts, config.model().orElse(null))
                .await().atMost(config.embedd().timeout().multipliedBy(3)).vectors();
        ensureIndex(vs.get(0).length);
        List<VectorsApi.Item> items = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            Trace t = batch.get(i);
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("trace_uid", t.traceUid());
            meta.put("pathway_id", t.pathwayId());
            if (t.role() != null) {
                meta.put("role", t.role());
            }
            items.add(new VectorsApi.Item(t.traceUid(), vs.get(i), meta));
        }
        peers.vectors().add(peers.vectordUrl(), config.index(), items)
                .await().atMost(config.vectord().timeout().multipliedBy(3));
        synchronized (pendingIndex) {
            batch.forEach(t -> pendingIndex.remove(t.traceUid()));
        }
    }

    private void unindex(String uid) {
        try {
            peers.vectors().delete(peers.vectordUrl(), config.index(), uid).await().atMost(config.vectord().timeout().multipliedBy(3));
            synchronized (pendingIndex) {
                pendingRemoval.remove(uid);
                pendingIndex.remove(uid);
            }
        } catch (RuntimeException e) {
            synchronized (pendingIndex) {
                pendingRemoval.add(uid);
            }
        }
    }

    private final java.util.concurrent.atomic.AtomicBoolean indexerQueued = new java.util.concurrent.atomic.AtomicBoolean();

    /** Runs the pending indexer soon (once, however many writes ask). */
    private void wakeIndexer() {
        if (indexerQueued.compareAndSet(false, true)) {
            scheduler.execute(() -> {
                indexerQueued.set(false);
                retryIndexing();
            });
        }
    }

    /** Indexes every pending live trace in batches of {@code index-batch} (one embed call, one add each). */
    private void retryIndexing() {
        List<String> add;
        List<String> remove;
        synchronized (pendingIndex) {
            add = new ArrayList<>(pendingIndex);
            remove = new ArrayList<>(pendingRemoval);
        }
        for (String uid : remove) {
            unindex(uid);
        }
        List<Trace> live = new ArrayList<>();
        for (String uid : add) {
            read(m -> m.get(uid)).filter(Trace::live).ifPresentOrElse(live::add, () -> {
                synchronized (pendingIndex) {
                    pendingIndex.remove(uid);
                }
            });
        }
        int step = Math.max(1, config.indexBatch());
        for (int i = 0; i < live.size(); i += step) {
            try {
                indexBatch(live.subList(i, Math.min(live.size(), i + step)));
            } catch (RuntimeException e) {
                LOG.warnf("%d traces not indexed yet (%s); will retry", live.size() - i, e.getMessage());
                return;
            }
        }
    }

    private void ensureIndex(int dim) {
        synchronized (indexLock) {
            if (dimension != null && dimension == dim) {
                return;
            }
            peers.vectors().create(peers.vectordUrl(), config.index(), dim, "cosine")
                    .await().atMost(config.vectord().timeout().multipliedBy(3));
            dimension = dim;
        }
    }

    /**
     * What is embedded for a trace: its class, subject, steps and verdict; a Go-shape trace (content a string, or
     * an object without steps) embeds its content text instead, since its class and subject are placeholders.
     */
    static String textOf(Trace t) {
        StringBuilder sb = new StringBuilder();
        JsonNode c = t.content();
        if (c.isTextual()) {
            return c.asText();
        }
        if (!c.has("steps")) {
            return c.toString();
        }
        sb.append(t.taskClass()).append(": ").append(t.subject()).append(". ");
        JsonNode steps = t.content().path("steps");
        for (JsonNode s : steps) {
            sb.append(s.isTextual() ? s.asText() : s.toString()).append(". ");
        }
        sb.append("Verdict: ").append(t.content().path("verdict").asText(""));
        return sb.toString();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

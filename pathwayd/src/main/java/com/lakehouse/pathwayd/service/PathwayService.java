package com.lakehouse.pathwayd.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.lakehouse.contracts.client.VectorsApi;
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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * pathwayd's service: commands are serialised, decided against the memory, made durable in the S3 log, then
 * applied; live traces are mirrored into a vectord index for semantic search. Indexing never blocks an
 * acknowledged write: when embedd or vectord fails, the trace waits in a pending set retried every few seconds
 * (search filters on the memory, so a stale vector can never return a retired or superseded trace).
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

    private final PathwayMemory memory = new PathwayMemory(Clock.systemUTC());
    private final Set<String> pendingIndex = new LinkedHashSet<>();
    private final Set<String> pendingRemoval = new LinkedHashSet<>();
    private OperationLog log;
    private volatile boolean loaded;
    private volatile String loadError;
    private Integer dimension;
    private ScheduledExecutorService scheduler;

    void onStart(@Observes StartupEvent ev) {
        log = new OperationLog(store, config.segmentSize());
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pathwayd-index");
            t.setDaemon(true);
            return t;
        });
        registry.gauge("pathway.traces", memory, m -> m.size());
        registry.gauge("pathway.index.pending", pendingIndex, s -> s.size());
        scheduler.execute(this::loadUntilDone);
        scheduler.scheduleWithFixedDelay(this::retryIndexing, 5, 5, TimeUnit.SECONDS);
    }

    void onStop(@Observes ShutdownEvent ev) {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    /** Replays the S3 log into memory; retries while S3 is unreachable (readiness stays down meanwhile). */
    private void loadUntilDone() {
        while (!loaded) {
            try {
                List<Operation> ops = log.load();
                synchronized (this) {
                    ops.forEach(memory::apply);
                    loaded = true;
                    loadError = null;
                }
                LOG.infof("pathway memory replayed %d operations into %d traces", ops.size(), memory.size());
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
        synchronized (this) {
            d = memory.decideUpsert(uid, taskClass, subject, signalClass, content, tags, role, RequestIds.current());
            if (d.operation() != null) {
                durable(d.operation());
            }
        }
        boolean indexed = d.event() != PathwayMemory.Event.ADD || index(d.current());
        return new UpsertOutcome(d.event(), d.current(), d.reason(), indexed);
    }

    public record ReviseOutcome(Trace trace, Trace parent, boolean indexed) {
    }

    public ReviseOutcome revise(String uid, String parentUid, JsonNode content, List<String> tags, String role) {
        requireLoaded();
        Operation op;
        synchronized (this) {
            op = memory.decideRevise(uid, parentUid, content, tags, role, RequestIds.current());
            durable(op);
        }
        unindex(parentUid);
        boolean indexed = index(op.trace());
        return new ReviseOutcome(op.trace(), memory.get(parentUid).orElse(null), indexed);
    }

    public record RetireOutcome(Trace trace, boolean changed) {
    }

    public RetireOutcome retire(String uid, String reason) {
        requireLoaded();
        Optional<Operation> op;
        synchronized (this) {
            op = memory.decideRetire(uid, reason, RequestIds.current());
            op.ifPresent(this::durable);
        }
        op.ifPresent(o -> unindex(uid));
        return new RetireOutcome(memory.get(uid).orElseThrow(), op.isPresent());
    }

    public Trace replay(String uid) {
        requireLoaded();
        synchronized (this) {
            Operation op = memory.decideReplay(uid, RequestIds.current());
            durable(op);
            return op.trace();
        }
    }

    public Trace get(String uid) {
        requireLoaded();
        return memory.get(uid).orElseThrow(() -> ApiException.notFound("trace_not_found", "no trace " + uid));
    }

    public PathwayMemory.History history(String uid) {
        requireLoaded();
        synchronized (this) {
            return memory.history(uid);
        }
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
        synchronized (this) {
            for (TraceSelection.Hit h : hits) {
                memory.get(h.traceUid()).ifPresent(t -> snapshot.put(t.traceUid(), t));
            }
        }
        return TraceSelection.select(hits, snapshot, role, tags, k);
    }

    public Map<String, Object> stats() {
        Map<String, Object> s = new LinkedHashMap<>();
        List<Trace> all = memory.all();
        s.put("loaded", loaded);
        s.put("traces", all.size());
        s.put("live", all.stream().filter(Trace::live).count());
        s.put("retired", all.stream().filter(Trace::retired).count());
        s.put("last_seq", memory.lastSeq());
        synchronized (pendingIndex) {
            s.put("index_pending", pendingIndex.size() + pendingRemoval.size());
        }
        return s;
    }

    private void durable(Operation op) {
        try {
            log.append(op);
        } catch (ObjectStoreException e) {
            throw ApiException.unavailable("storage_unavailable", "pathway log could not be written: " + e.getMessage());
        }
        memory.apply(op);
        registry.counter("pathway.operations", "op", op.op()).increment();
    }

    /** Embeds and indexes one live trace; on failure it waits in the pending set. */
    private boolean index(Trace t) {
        try {
            float[] v = peers.embed().embed(List.of(textOf(t)), config.model().orElse(null))
                    .await().atMost(config.embedd().timeout().multipliedBy(3)).vectors().get(0);
            ensureIndex(v.length);
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("trace_uid", t.traceUid());
            meta.put("pathway_id", t.pathwayId());
            if (t.role() != null) {
                meta.put("role", t.role());
            }
            peers.vectors().add(peers.vectordUrl(), config.index(), List.of(new VectorsApi.Item(t.traceUid(), v, meta)))
                    .await().atMost(config.vectord().timeout().multipliedBy(3));
            synchronized (pendingIndex) {
                pendingIndex.remove(t.traceUid());
            }
            return true;
        } catch (RuntimeException e) {
            LOG.warnf("trace %s not indexed yet (%s); will retry", t.traceUid(), e.getMessage());
            synchronized (pendingIndex) {
                pendingIndex.add(t.traceUid());
            }
            return false;
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
        for (String uid : add) {
            memory.get(uid).filter(Trace::live).ifPresentOrElse(this::index, () -> {
                synchronized (pendingIndex) {
                    pendingIndex.remove(uid);
                }
            });
        }
    }

    private synchronized void ensureIndex(int dim) {
        if (dimension != null && dimension == dim) {
            return;
        }
        peers.vectors().create(peers.vectordUrl(), config.index(), dim, "cosine")
                .await().atMost(config.vectord().timeout().multipliedBy(3));
        dimension = dim;
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

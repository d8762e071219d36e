package com.lakehouse.vectord.service;

import com.github.jelmerk.hnswlib.core.SearchResult;
import com.github.jelmerk.hnswlib.core.hnsw.HnswIndex;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One HNSW index (jelmerk hnswlib-core, removal enabled) plus the id -> item map. Plain Java.
 *
 * <p>Concurrency: writers serialize on {@link #writeLock()} (the service holds it around WAL append + apply so
 * the log order is the apply order); searches take no writer lock and run while writes go on. A short
 * read/write "structure" lock only fences graph resizes and swaps (rebuild) from searches.
 */
public final class VectorIndex {
    private static final Logger LOG = Logger.getLogger(VectorIndex.class);
    private static final int INITIAL_CAPACITY = 1024;

    private volatile IndexParams params;
    private final ConcurrentHashMap<String, Entry> items = new ConcurrentHashMap<>();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ReentrantReadWriteLock structure = new ReentrantReadWriteLock();
    private volatile HnswIndex<String, float[], Entry, Float> graph;

    public VectorIndex(IndexParams params) {
        this.params = params;
        this.graph = newGraph(params, INITIAL_CAPACITY);
    }

    private static HnswIndex<String, float[], Entry, Float> newGraph(IndexParams p, int capacity) {
        HnswIndex<String, float[], Entry, Float> g = HnswIndex
                .newBuilder(p.dimension(), p.distance().function(), Math.max(INITIAL_CAPACITY, capacity))
                .withM(p.m()).withEfConstruction(p.efConstruction()).withEf(1).withRemoveEnabled().build();
        return g;
    }

    public IndexParams params() {
        return params;
    }

    public ReentrantLock writeLock() {
        return writeLock;
    }

    public int size() {
        return items.size();
    }

    public Entry get(String id) {
        return items.get(id);
    }

    /** A point-in-time list of the items (entries are immutable). Hold the write lock for a consistent cut. */
    public List<Entry> snapshot() {
        return new ArrayList<>(items.values());
    }

    /**
     * Folds a batch in request order: duplicate ids -> last wins; a null metadata keeps what the id had before
     * (earlier in the batch, else in the index). Returns the entries to store, one per distinct id.
     */
    public List<Entry> resolve(List<Entry> batch) {
        Map<String, Entry> folded = new LinkedHashMap<>();
        for (Entry e : batch) {
            Map<String, Object> md = e.metadata();
            if (md == null) {
                Entry before = folded.get(e.id());
                if (before == null) {
                    before = items.get(e.id());
                }
                md = before == null ? null : before.metadata();
            }
            folded.remove(e.id());
            folded.put(e.id(), new Entry(e.id(), e.vector(), md));
        }
        return new ArrayList<>(folded.values());
    }

    /** Adds or replaces resolved entries; caller holds the write lock. Big batches use the threaded insert. */
    public void upsert(List<Entry> resolved, int threads, int parallelThreshold) {
        ensureCapacity(resolved.size());
        HnswIndex<String, float[], Entry, Float> g = graph;
        if (resolved.size() >= parallelThreshold && threads > 1) {
            try {
                g.addAll(resolved, threads, (done, max) -> { }, Integer.MAX_VALUE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while inserting", e);
            }
        } else {
            for (Entry e : resolved) {
                g.add(e);
            }
        }
        for (Entry e : resolved) {
            items.put(e.id(), e);
        }
    }

    /** Removes an item; caller holds the write lock. True when it existed. */
    public boolean remove(String id) {
        Entry old = items.remove(id);
        if (old == null) {
            return false;
        }
        graph.remove(id, 0);
        return true;
    }

    /** Replaces everything with these entries in one threaded build (restore, rebuild). Caller holds the write lock. */
    public void replaceAll(IndexParams newParams, Collection<Entry> entries, int threads) {
        HnswIndex<String, float[], Entry, Float> g = newGraph(newParams, entries.size() + INITIAL_CAPACITY);
        try {
            g.addAll(entries, Math.max(1, threads), (done, max) -> { }, Integer.MAX_VALUE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building", e);
        }
        swap(newParams, entries, g);
    }

    private void swap(IndexParams newParams, Collection<Entry> entries, HnswIndex<String, float[], Entry, Float> g) {
        structure.writeLock().lock();
        try {
            items.clear();
            for (Entry e : entries) {
                items.put(e.id(), e);
            }
            graph = g;
            params = newParams;
        } finally {
            structure.writeLock().unlock();
        }
    }

    /**
     * Replaces everything with these entries and a stored graph instead of a build (restore). When the graph
     * does not fit (another library version, a different item set, a broken structure) it falls back to
     * {@link #replaceAll}; returns whether the stored graph was used. Caller holds the write lock.
     */
    public boolean restore(IndexParams newParams, Collection<Entry> entries, GraphSnapshot stored, int threads) {
        if (stored != null) {
            Map<String, Entry> byId = new HashMap<>(entries.size() * 2);
            for (Entry e : entries) {
                byId.put(e.id(), e);
            }
            HnswIndex<String, float[], Entry, Float> g = newGraph(newParams, stored.nodeCount() + INITIAL_CAPACITY);
            try {
                HnswGraphs.install(g, stored, byId);
                swap(newParams, entries, g);
                return true;
            } catch (IllegalStateException e) {
                LOG.warnf(
                        "stored graph of %s not used (%s); rebuilding it from the items", newParams.name(), e.getMessage());
            }
        }
        replaceAll(newParams, entries, threads);
        return false;
    }

    /** The graph's structure for a save; caller holds the write lock (so no insert runs). Null when unreadable. */
    public GraphSnapshot exportGraph() {
        if (!HnswGraphs.AVAILABLE) {
            return null;
        }
        structure.readLock().lock();
        try {
            return HnswGraphs.export(graph);
        } finally {
            structure.readLock().unlock();
        }
    }

    /**
     * Whether the graph is worth storing with a save: not when its tombstones exceed {@code maxTombstoneRatio}
     * of the live items, because a restore that rebuilds instead also sheds them (the library never reclaims
     * tombstones in place; without this, a stored graph would carry them from generation to generation).
     */
    public boolean graphWorthStoring(double maxTombstoneRatio) {
        int t = tombstones();
        return t >= 0 && t <= maxTombstoneRatio * Math.max(1, size());
    }

    /** Graph nodes that are tombstones (removed or replaced items the library keeps); -1 when unknown. */
    public int tombstones() {
        int nodes = HnswGraphs.nodeCount(graph);
        return nodes < 0 ? -1 : Math.max(0, nodes - graph.size());
    }

    /** Changes only the default search ef (no rebuild needed). */
    public void setEfSearch(int ef) {
        params = params.withGraph(params.m(), params.efConstruction(), ef);
    }

    private void ensureCapacity(int adding) {
        HnswIndex<String, float[], Entry, Float> g = graph;
        int needed = g.size() + adding;
        if (needed <= g.getMaxItemCount()) {
            return;
        }
        structure.writeLock().lock();
        try {
            g.resize(Math.max(needed, g.getMaxItemCount() * 2));
        } finally {
            structure.writeLock().unlock();
        }
    }

    /** A search hit. */
    public record Hit(Entry entry, float distance) {
    }

    /**
     * k nearest by HNSW with per-query ef ({@code ef} <= 0 = the index default). With a filter, never fewer than
     * k results when k matching items exist: exact scan when the matching set is small, else HNSW with ef
     * widened by the filter's selectivity and doubled until k matches are found, exact scan as the last resort.
     */
    public List<Hit> search(float[] query, int k, int ef, MetadataFilter filter, int exactScanMax) {
        int efq = ef > 0 ? ef : params.efSearch();
        if (filter == null) {
            return hnsw(query, Math.max(k, efq), k, null);
        }
        List<Entry> matching = new ArrayList<>();
        int matchCount = 0;
        for (Entry e : items.values()) {
            if (filter.test(e)) {
                matchCount++;
                if (matching.size() <= exactScanMax) {
                    matching.add(e);
                }
            }
        }
        if (matchCount == 0) {
            return List.of();
        }
        if (matchCount <= exactScanMax) {
            return exact(query, k, matching, null);
        }
        int n = items.size();
        int want = Math.min(k, matchCount);
        long widened = (long) Math.max(k, efq) * Math.max(1, (long) Math.ceil((double) n / matchCount)) * 2;
        int candidates = (int) Math.min(n, widened);
        while (true) {
            List<Hit> hits = hnsw(query, candidates, k, filter);
            if (hits.size() >= want) {
                return hits;
            }
            if (candidates >= n) {
                break;
            }
            candidates = (int) Math.min(n, (long) candidates * 2);
        }
        return exact(query, k, items.values(), filter);
    }

    private List<Hit> hnsw(float[] query, int candidates, int k, MetadataFilter filter) {
        List<SearchResult<Entry, Float>> raw;
        structure.readLock().lock();
        try {
            raw = graph.findNearest(query, candidates);
        } finally {
            structure.readLock().unlock();
        }
        List<Hit> out = new ArrayList<>(Math.min(k, raw.size()));
        for (SearchResult<Entry, Float> r : raw) {
            Entry e = r.item();
            // The graph may briefly hold an entry the map already replaced; the map is the truth.
            if (items.get(e.id()) != e) {
                continue;
            }
            if (filter != null && !filter.test(e)) {
                continue;
            }
            out.add(new Hit(e, r.distance()));
        }
        out.sort(Comparator.comparingDouble(Hit::distance));
        return out.size() > k ? new ArrayList<>(out.subList(0, k)) : out;
    }

    /** Brute-force k nearest over all items (the reference for recall). */
    public List<Hit> exactSearch(float[] query, int k, MetadataFilter filter) {
        return exact(query, k, items.values(), filter);
    }

    private List<Hit> exact(float[] query, int k, Collection<Entry> pool, MetadataFilter filter) {
        Distance d = params.distance();
        PriorityQueue<Hit> heap = new PriorityQueue<>(k + 1, Comparator.comparingDouble(Hit::distance).reversed());
        for (Entry e : pool) {
            if (filter != null && !filter.test(e)) {
                continue;
            }
            float dist = d.distance(query, e.vector());
            if (heap.size() < k) {
                heap.add(new Hit(e, dist));
            } else if (dist < heap.peek().distance()) {
                heap.poll();
                heap.add(new Hit(e, dist));
            }
        }
        List<Hit> out = new ArrayList<>(heap);
        out.sort(Comparator.comparingDouble(Hit::distance));
        return out;
    }
}

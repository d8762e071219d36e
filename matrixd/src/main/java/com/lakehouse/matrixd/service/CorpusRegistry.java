package com.lakehouse.matrixd.service;

import com.lakehouse.contracts.error.ApiException;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The registered corpora, in memory, written through to the {@link CorpusStore} on every change. Several
 * replicas share one store: each writes only the corpus it changes, and learns of the others' changes by
 * {@link #refresh()}, which the daemon runs on a fixed interval from config (so a corpus registered on one
 * replica is searchable on every replica within that bound). Reads never touch the store.
 */
public class CorpusRegistry {
    private final CorpusStore store;
    private volatile Map<String, Corpus> corpora;

    public CorpusRegistry(CorpusStore store) {
        this.store = store;
    }

    /** Loads the registry from the store when not loaded yet (blocking); a failure is thrown to the caller. */
    public synchronized void load() {
        if (corpora == null) {
            corpora = Collections.unmodifiableMap(new LinkedHashMap<>(store.loadRegistry().orElse(Map.of())));
        }
    }

    /**
     * Re-reads the store and takes in what other replicas registered (blocking; a failure keeps the current view
     * and is thrown to the caller). The store holds every write this replica acknowledged, so nothing is lost.
     */
    public synchronized void refresh() {
        corpora = Collections.unmodifiableMap(new LinkedHashMap<>(store.loadRegistry().orElse(Map.of())));
    }

    public boolean loaded() {
        return corpora != null;
    }

    /** The current corpora (empty map before load). */
    public Map<String, Corpus> all() {
        Map<String, Corpus> c = corpora;
        if (c == null) {
            throw ApiException.unavailable("registry_unavailable",
                    "the corpus registry could not be read from S3 yet; retry shortly");
        }
        return c;
    }

    public Optional<Corpus> find(String name) {
        return Optional.ofNullable(all().get(name));
    }

    /** The corpus, or a 404 problem naming it. */
    public Corpus require(String name) {
        return find(name).orElseThrow(() -> ApiException.notFound("corpus_not_found",
                "unknown corpus '" + name + "'; register it with PUT /v1/matrix/corpora/" + name));
    }

    /** Adds or replaces one corpus and persists it before it becomes visible. */
    public synchronized Corpus put(Corpus corpus) {
        load();
        Map<String, Corpus> next = new LinkedHashMap<>(corpora);
        next.put(corpus.name(), corpus);
        store.saveCorpus(corpus);
        corpora = Collections.unmodifiableMap(next);
        return corpus;
    }
}

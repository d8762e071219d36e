package com.lakehouse.matrixd.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** Every knob of matrixd ({@code lakehouse.matrixd.*}). Peer base URLs come from {@code lakehouse.fleet.*}. */
@ConfigMapping(prefix = "lakehouse.matrixd")
public interface MatrixdConfig {

    /** Results returned by a search when the request gives no {@code k}. */
    @WithDefault("10")
    int defaultK();

    /** Largest {@code k}, {@code per_corpus_k} and {@code playbook_top_k} a request may ask for (else 400). */
    @WithDefault("500")
    int maxK();

    /**
     * When a search filters (metadata_filter) or gates (gated corpus and a query role), each corpus is asked for
     * per_corpus_k times this many hits (capped at max-k), so filtering still leaves per_corpus_k to merge.
     */
    @WithDefault("4")
    int filterOverfetch();

    /** Most corpora one search may name (else 400). */
    @WithDefault("16")
    int maxCorporaPerSearch();

    /** Distance of a new corpus' vectord index when its definition gives none: cosine, euclidean or dot. */
    @WithDefault("cosine")
    String defaultDistance();

    /** Texts per call to embedd while indexing. */
    @WithDefault("64")
    int embedBatchSize();

    /**
     * Batches a catalog ingest keeps in flight (each one embed call of {@code embed-batch-size} texts, then one
     * vectord add), overlapped with each other and with the next catalog page; 0 = twice the CPUs. Also bounds
     * the ingest's memory (that many batches plus one page).
     */
    @WithDefault("0")
    int ingestConcurrency();

    /** Items per call to vectord's add while indexing. */
    @WithDefault("256")
    int addBatchSize();

    /** Most documents one {@code POST .../documents} or playbooks bulk call may carry (else 422). */
    @WithDefault("5000")
    int maxDocumentsPerRequest();

    /** Rows fetched per page from catalogd during an ingest job. */
    @WithDefault("500")
    int ingestPageSize();

    /** Ingest jobs running at once. */
    @WithDefault("2")
    int jobThreads();

    /** Finished jobs kept for polling. */
    @WithDefault("64")
    int jobsRetained();

    /**
     * How often the corpus registry is re-read from S3, so corpora registered on another replica become
     * searchable here within this bound (one S3 list and one read per corpus each time).
     */
    @WithDefault("5s")
    java.time.Duration registryRefresh();

    /** The cache of query embeddings a search reuses (see QueryVectors). */
    QueryCache queryCache();

    interface QueryCache {
        /** Bytes of query vectors kept (a 384-d vector with its text is about 1.7 KB). 0 turns the cache off. */
        @WithDefault("8388608")
        long maxBytes();

        /** How long a cached query vector is used before embedd is asked again. */
        @WithDefault("10m")
        Duration ttl();
    }

    /** Playbook memory. */
    Playbook playbook();

    /** The LLM fallback of the role extractor (through chatd). */
    RoleLlm roleLlm();

    /** Calls to embedd. */
    Upstream embedd();

    /** Calls to vectord. */
    Upstream vectord();

    /** Calls to chatd. */
    ChatdUpstream chatd();

    /** Calls to catalogd (ingest). */
    Upstream catalogd();

    interface Playbook {
        /** vectord index (and registered corpus) holding recorded playbooks. */
        @WithDefault("playbook_memory")
        String corpus();

        /** Embedding model of the playbook corpus when it is created; empty = embedd's default. */
        Optional<String> model();

        /** Playbooks retrieved per search when the request gives no {@code playbook_top_k}. */
        @WithDefault("5")
        int topK();

        /** A playbook closer than this to the query boosts its answer ({@code distance * (1 - 0.5 * score)}). */
        @WithDefault("0.5")
        double maxDistance();

        /** A playbook closer than this injects its answer when the corpora did not retrieve it. */
        @WithDefault("0.20")
        double maxInjectDistance();
    }

    interface RoleLlm {
        /** Ask chatd for the role when the rules find none. */
        @WithDefault("true")
        boolean enabled();

        /** Model named in the chat call (chatd routes by it: bare name = local Ollama). */
        @WithDefault("qwen2.5:3b")
        String model();

        /** Queries whose LLM answer is cached (LRU). */
        @WithDefault("2000")
        int cacheSize();
    }

    /** Fault-tolerance numbers of one peer (the shared group: timeout, retries, circuit breaker). */
    interface Upstream extends com.lakehouse.contracts.client.UpstreamSettings {
    }

    interface ChatdUpstream {
        /** Timeout of one chat call. */
        @WithDefault("20s")
        Duration timeout();

        /** Circuit breaker: calls in the rolling window before it may open. */
        @WithDefault("10")
        int circuitBreakerVolume();

        /** Circuit breaker: how long it stays open before a trial call (searches then use rules alone). */
        @WithDefault("30s")
        Duration circuitBreakerDelay();
    }
}

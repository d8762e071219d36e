package com.lakehouse.vectord.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Every knob of vectord ({@code lakehouse.vectord.*}). Limits answer 400/422 problem+json when exceeded. */
@ConfigMapping(prefix = "lakehouse.vectord")
public interface VectordConfig {
    /**
     * Local directory for the write-ahead logs (one sub-directory per index). Must be on a disk that survives a
     * restart; the launcher and systemd unit point it under /var/lib/lakehouse.
     */
    @WithDefault("/var/lib/lakehouse/vectord")
    String dataDir();

    /** Largest {@code k} a search may ask for; above it the search answers 422 naming {@code k}. */
    @WithDefault("1000")
    int maxK();

    /** Largest per-query {@code ef} a search may ask for (422 above). */
    @WithDefault("10000")
    int maxEf();

    /** Largest dimension an index may be created with (422 above). */
    @WithDefault("4096")
    int maxDimension();

    /** Most items in one add request (422 above). */
    @WithDefault("10000")
    int maxBatchItems();

    /** Most items in one bulk-load request (422 above); bulk loads run as jobs. */
    @WithDefault("200000")
    int maxBulkItems();

    /** Most queries in one batch search (422 above). */
    @WithDefault("256")
    int maxBatchQueries();

    /** HNSW M (links per node) when a create request does not give one. */
    @WithDefault("16")
    int defaultM();

    /** HNSW efConstruction when a create request does not give one. */
    @WithDefault("200")
    int defaultEfConstruction();

    /** HNSW ef at search time when neither the index nor the query gives one. */
    @WithDefault("100")
    int defaultEfSearch();

    /** Threads used to insert big batches and to rebuild graphs on load; 0 = number of CPUs. */
    @WithDefault("0")
    int buildThreads();

    /**
     * Most add requests one group commit writes as a single WAL record (one fsync) and one graph insert; adds
     * queue while a commit is in flight and share the next one.
     */
    @WithDefault("64")
    int commitBatchRequests();

    /** Batches with at least this many items are inserted with the multi-threaded batch insert. */
    @WithDefault("256")
    int parallelAddThreshold();

    /**
     * Filtered searches whose filter matches at most this many items are answered by an exact scan of the
     * matching items (always complete); larger matching sets use HNSW with a widened ef.
     */
    @WithDefault("5000")
    int exactScanMax();

    /** How often dirty indexes are compacted into a new generation in S3. */
    @WithDefault("60s")
    Duration snapshotInterval();

    /** An index is compacted into a new generation after this many written items since the last one. */
    @WithDefault("50000")
    long snapshotAfterWrites();

    /** Write a final generation of every dirty index on a clean shutdown. */
    @WithDefault("true")
    boolean snapshotOnShutdown();

    /** Generations kept in S3 per index (older ones are deleted after a successful save); at least 2. */
    @WithDefault("3")
    int retainGenerations();

    /** Items per payload object in a v2 generation (each payload is uploaded multipart when big). */
    @WithDefault("100000")
    int payloadItems();

    /**
     * Store each generation's HNSW graph next to its items (payload {@code graph.bin}, format vectord-graph v1),
     * so a restart installs it instead of rebuilding (the build is minutes at a million vectors). Costs about
     * 0.2-0.3 KB per vector in S3 and a copy of the link lists in heap while the save runs. Off: restores rebuild.
     */
    @WithDefault("true")
    boolean persistGraph();

    /**
     * A generation stores no graph when the graph's tombstones (nodes of removed or re-vectored items, which
     * hnswlib never reclaims) exceed this fraction of the live items; the next restore then rebuilds the graph
     * and sheds them. {@code POST .../rebuild} sheds them without a restart.
     */
    @WithDefault("0.25")
    double graphMaxTombstoneRatio();

    /** Threads running long jobs (bulk load, rebuild, save). */
    @WithDefault("2")
    int jobThreads();
}

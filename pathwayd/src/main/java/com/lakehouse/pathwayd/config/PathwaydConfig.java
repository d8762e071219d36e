package com.lakehouse.pathwayd.config;

import com.lakehouse.contracts.client.UpstreamSettings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;

/** Every knob of pathwayd. */
@ConfigMapping(prefix = "lakehouse.pathwayd")
public interface PathwaydConfig {
    /** The vectord index that holds one vector per live trace. */
    @WithDefault("pathway_traces")
    String index();

    /** The embedding model asked of embedd; empty = embedd's default model. */
    Optional<String> model();

    /** Operations per S3 log segment before a new segment starts (each operation rewrites the open segment). */
    @WithDefault("256")
    int segmentSize();

    /**
     * Most operations one group commit writes with a single S3 put of the log. Concurrent writes queue while a
     * put is in flight and share the next one; each is acknowledged only once its put returned.
     */
    @WithDefault("256")
    int commitBatch();

    /**
     * Most traces indexed with one embed call and one vectord add (concurrent writes share them). At most
     * embedd's {@code limits.max-batch} (256).
     */
    @WithDefault("64")
    int indexBatch();

    /**
     * true: a write is embedded and indexed in vectord before its 200 ({@code indexed: true}, searchable at
     * once). false: the 200 comes as soon as the write is durable in the S3 log ({@code indexed: false}) and a
     * background indexer embeds and indexes queued traces in batches (searchable a moment later; durability is
     * the same, the log is the truth either way).
     */
    @WithDefault("true")
    boolean indexBeforeAck();

    /** Largest {@code k} a search may ask for. */
    @WithDefault("100")
    int maxK();

    /** How many more candidates than {@code k} are fetched from vectord before the live/role/tag filters apply. */
    @WithDefault("4")
    int overfetch();

    /** Largest number of steps in a trace's content. */
    @WithDefault("200")
    int maxSteps();

    /** embedd, called to embed traces and queries. */
    UpstreamSettings embedd();

    /** vectord, holding the trace vectors. */
    UpstreamSettings vectord();
}

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

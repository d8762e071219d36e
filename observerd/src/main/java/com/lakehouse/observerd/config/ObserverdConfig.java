package com.lakehouse.observerd.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Every knob of observerd ({@code lakehouse.observerd.*}). */
@ConfigMapping(prefix = "lakehouse.observerd")
public interface ObserverdConfig {
    /** Operations held in the in-memory ring (the truth while running); a full ring drops its oldest, counted. */
    @WithDefault("100000")
    int ringCapacity();

    /** Local spool directory: accepted operations are appended here (JSONL) before the 2xx answer. */
    @WithDefault("data/observerd/spool")
    String spoolDir();

    /** fsync the spool after every accepted batch (off only for throwaway stacks). */
    @WithDefault("true")
    boolean fsync();

    /** How often sealed spool segments are shipped to S3 ({@code observer/ops/yyyy/mm/dd/<segment>.jsonl}). */
    @WithDefault("10s")
    Duration shipInterval();

    /** The active spool segment is sealed early once it holds this many operations. */
    @WithDefault("50000")
    int segmentMaxEvents();

    /** Most operations accepted in one {@code POST /v1/observer/events} (more: 422 naming {@code events}). */
    @WithDefault("5000")
    int maxBatch();

    /** On start, S3 segments of this many most recent days (UTC) are reloaded into the ring. */
    @WithDefault("7")
    int reloadDays();

    /** How many recent scenario operations (source or tag {@code scenario}) the stats show. */
    @WithDefault("20")
    int recentScenarioOps();

    /** Largest {@code limit} of {@code GET /v1/observer/ops}. */
    @WithDefault("1000")
    int maxPageSize();

    /** The workflow runner. */
    Workflow workflow();

    interface Workflow {
        /** Timeout of one step's HTTP call; a step past it fails (and its dependants are skipped). */
        @WithDefault("30s")
        Duration stepTimeout();

        /** Most nodes in one workflow (more: 422 naming {@code nodes}). */
        @WithDefault("100")
        int maxNodes();
    }
}

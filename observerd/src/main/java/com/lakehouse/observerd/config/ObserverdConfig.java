package com.lakehouse.observerd.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Every knob of observerd ({@code lakehouse.observerd.*}). */
@ConfigMapping(prefix = "lakehouse.observerd")
public interface ObserverdConfig {
    /**
     * Share of the heap ({@code Runtime.maxMemory()}) the newest operations held in memory may cost; past it the
     * oldest leave memory (counted) and are paged from the spool / S3. The budget is the smaller of this and
     * {@link #ringMaxBytes()}, so the same settings fit a 128 MB and an 8 GB heap.
     */
    @WithDefault("0.25")
    double ringHeapFraction();

    /** Upper bound of the in-memory budget in bytes, whatever the heap ({@code 64M}, {@code 1G}, ...). */
    @WithDefault("256M")
    io.quarkus.runtime.configuration.MemorySize ringMaxBytes();

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

    /** ... or once it holds this many bytes, so every segment is cheap to upload and to page through. */
    @WithDefault("4M")
    io.quarkus.runtime.configuration.MemorySize segmentMaxBytes();

    /** Most operations accepted in one {@code POST /v1/observer/events} (more: 422 naming {@code events}). */
    @WithDefault("5000")
    int maxBatch();

    /**
     * The history window: S3 segments of this many most recent days (UTC). Start-up fills memory from its newest
     * end; {@code GET /v1/observer/ops} pages into it by cursor.
     */
    @WithDefault("7")
    int reloadDays();

    /** Most JSON bytes of operations on one {@code /ops} page; a page ends early there (with a cursor). */
    @WithDefault("4M")
    io.quarkus.runtime.configuration.MemorySize pageMaxBytes();

    /** Most history segments one {@code GET /v1/observer/ops} reads before it answers with a cursor to go on. */
    @WithDefault("64")
    int pageScanSegments();

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

package com.lakehouse.distilld.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;

/** Every knob of distilld ({@code lakehouse.distilld.*}). */
@ConfigMapping(prefix = "lakehouse.distilld")
public interface DistilldConfig {
    /** Threads running distill jobs (materialize, score, export, audits); 1 keeps jobs strictly in order. */
    @WithDefault("1")
    int jobThreads();

    /** Finished jobs kept for polling at {@code GET /v1/distill/jobs/{id}}. */
    @WithDefault("64")
    int jobsRetained();

    /** Where replayd writes its replay rows (replay_run.v1) in the bucket; read by the scorer and audit-full P7. */
    @WithDefault("replay/replay_runs.jsonl")
    String replayRunsKey();

    /**
     * The git commit recorded in audit baselines. Defaults to the fleet-wide {@code lakehouse.git-commit}
     * ({@code LAKEHOUSE_GIT_COMMIT}), which every deploy path sets: the launcher from {@code git describe}, the
     * images from their GIT_COMMIT build argument, the systemd units from {@code /opt/lakehouse/build.env};
     * {@code "unknown"} when none did.
     */
    @WithDefault("${lakehouse.git-commit:unknown}")
    String gitCommit();

    /** Relative drift of a baseline metric against the previous baseline past which the audit warns. */
    @WithDefault("0.20")
    double driftThreshold();

    /**
     * Where exports write their temporary files (sorted runs spilled to disk, output files before upload); each
     * export uses a fresh sub-directory and deletes it afterwards. Needs room for about twice the size of the
     * evidence and scored files. Unset: {@code <java.io.tmpdir>/distilld}.
     */
    Optional<String> workDir();

    /**
     * Heap in bytes an export may hold for sorting and grouping runs (split among the sorters that fill at the
     * same time); past it, sorted batches spill to {@link #workDir()}. The export's memory is this plus about one
     * run per open stream, whatever the number of runs.
     */
    @WithDefault("16777216")
    long exportBufferBytes();
}

package com.lakehouse.replayd.config;

import com.lakehouse.contracts.client.UpstreamSettings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Every knob of replayd. */
@ConfigMapping(prefix = "lakehouse.replayd")
public interface ReplaydConfig {
    /** Model for exemplar replays (the local, cheap one). */
    @WithDefault("qwen3:4b")
    String model();

    /** Model for the one escalation an exemplar replay may make when it failed and escalation is allowed. */
    @WithDefault("strong")
    String strongModel();

    /** Requests per second a job sends when the request names no rate (never starves live traffic). */
    @WithDefault("5")
    double defaultRateLimit();

    /** Highest rate a job may ask for. */
    @WithDefault("50")
    double maxRateLimit();

    /** Most recorded operations one job may select. */
    @WithDefault("10000")
    int maxLimit();

    /** Exemplars: candidates taken by token overlap before the accepted/partial split. */
    @WithDefault("8")
    int exemplarCandidates();

    /** Exemplars: accepted rows put in the prompt. */
    @WithDefault("3")
    int exemplarAccepted();

    /** Exemplars: partially accepted rows put in the prompt as warnings. */
    @WithDefault("2")
    int exemplarPartial();

    /** An exemplar replay's answer shorter than this many characters fails. */
    @WithDefault("40")
    int minOutputChars();

    /** Regression: retrieved-id overlap at k below this is a regression. */
    @WithDefault("0.6")
    double minOverlap();

    /** Regression: output cosine similarity (through embedd) below this is a regression. */
    @WithDefault("0.8")
    double minSimilarity();

    /** Where replay rows (replay_run.v1) are appended; distilld's scorer and audit-full P7 read them. */
    @WithDefault("replay/replay_runs.jsonl")
    String runsKey();

    /** Where regressions are quarantined with their diff. */
    @WithDefault("replay/quarantine/regressions.jsonl")
    String quarantineKey();

    /** distilld's RAG export, the exemplar source. */
    @WithDefault("distill/exports/rag/playbooks.jsonl")
    String ragKey();

    /** The gateway, through which every replayed request goes. */
    UpstreamSettings gateway();

    /** observerd, read for the recorded operations. */
    UpstreamSettings observerd();
}

package com.lakehouse.replayd.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;

/** replayd's data: what a job replays and what each replay produced (a {@code replay_run.v1} row). */
public final class Replay {
    private Replay() {
    }

    public enum Mode {
        EXEMPLAR, REGRESSION;

        public String wire() {
            return name().toLowerCase();
        }
    }

    /** Which recorded operations a job replays. */
    public record Selection(String source, List<String> taskIds, Instant since, Instant until, int limit) {
    }

    /** One row of replay_runs.jsonl. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Run(String runId, String taskId, String mode, String verdict, Instant replayedAt,
                      String originalRunId, String endpoint, String jobId, Long latencyMs, JsonNode diff,
                      String error, String requestId, String model, Integer exemplars) {
    }

    /** A verdict and what it is based on. */
    public record Outcome(String verdict, JsonNode diff, String error, String model, Integer exemplars) {
    }
}

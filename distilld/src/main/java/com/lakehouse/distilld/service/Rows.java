package com.lakehouse.distilld.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/** The learning loop's JSONL rows (schemas in common-contracts {@code schemas/*.v1.json}); field order is the wire order. */
public final class Rows {
    private Rows() {
    }

    public record Provenance(String sourceFile, long lineOffset, String sigHash, String recordedAt) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Outcome(Boolean success, String error, Long latencyMs, String endpoint, String source) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Evidence(String runId, String taskId, String timestamp, String schemaVersion, String sourceClass,
                           String modelRole, JsonNode input, JsonNode output, JsonNode validation, Outcome outcome,
                           Provenance provenance, List<String> tags) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record SubScores(Double schemaValid, Double validationPassed, Double groundedInRoster,
                            Double replaySucceeded, Double observerVerdict) {
    }

    public record Scored(String runId, String taskId, String timestamp, String sourceClass, String scorerVersion,
                         String category, double score, List<String> reasons, SubScores subScores, boolean sftNever,
                         List<String> findingCodes, Provenance provenance) {
    }

    public record SftSample(String id, String runId, String taskId, String sourceClass, String template,
                            String instruction, String response, String category, boolean partial,
                            String scorerVersion, double score, Provenance provenance) {
    }

    public record RagRow(String id, String title, String content, List<String> tags, String sourceRunId,
                         double successScore, String sourceCategory) {
    }

    public record PreferencePair(String id, String taskId, String prompt, String chosen, String rejected, String reason,
                                 String chosenRunId, String rejectedRunId, String createdAt) {
    }

    public record SourceProvenance(String sourceFile, Long lineOffset) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Quarantine(String exporter, String reason, JsonNode sourceRecord, List<String> errors,
                             String recordedAt, SourceProvenance sourceProvenance) {
    }

    public record AuditBaseline(String recordedAt, String gitCommit, Map<String, Long> metrics,
                                Map<String, Double> drift, List<String> warnings) {
    }
}

package com.lakehouse.validatord.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * The answer of a validation, the same shape for 200 (valid) and 422 (invalid): {@code valid}, the task
 * {@code kind}, every finding (errors and warnings), the truth rules that matched, the redacted artifact when a
 * redact rule fired, and on failure the Go fleet's {@code error} object.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ValidationReport(GoError error, boolean valid, String kind, List<Finding> findings,
                               List<TruthEngine.Matched> rulesMatched, JsonNode redactedArtifact, Boolean blocked,
                               String rosterVersion) {

    /** Go-compatible error: {@code {kind: Schema, field, reason}} or {@code {kind: Completeness|Consistency|Policy, reason}}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record GoError(String kind, String field, String reason) {
    }

    private static final List<String> ORDER = List.of(Finding.SCHEMA, Finding.COMPLETENESS, Finding.CONSISTENCY, Finding.POLICY);

    public static ValidationReport of(String kind, List<Finding> findings, TruthEngine.Outcome truth, String rosterVersion) {
        GoError error = null;
        for (String k : ORDER) {
            for (Finding f : findings) {
                if (f.isError() && k.equals(f.kind())) {
                    error = new GoError(k, Finding.SCHEMA.equals(k) ? f.field() : null, f.message());
                    break;
                }
            }
            if (error != null) {
                break;
            }
        }
        return new ValidationReport(error, error == null, kind, List.copyOf(findings),
                truth == null ? List.of() : truth.matched(), truth == null ? null : truth.redactedArtifact(),
                truth != null && truth.blocked() ? Boolean.TRUE : null, rosterVersion);
    }

    /** Error findings' codes, for observed operations and feedback prompts. */
    public List<Finding> errors() {
        return findings.stream().filter(Finding::isError).toList();
    }
}

package com.lakehouse.validatord.service;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** validatord's meters on a plain registry: what exists at start and what each call counts. */
class ValidatorMetricsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ValidatorMetrics metrics = new ValidatorMetrics(registry);

    private double count(String name, String... tags) {
        return registry.get(name).tags(tags).counter().count();
    }

    @Test
    void kindsOutcomesAndStatusesExistAtZeroFromTheStart() {
        for (String kind : ValidationService.KINDS) {
            for (String outcome : ValidatorMetrics.VALIDATION_OUTCOMES) {
                assertEquals(0, count("validator.validations", "kind", kind, "outcome", outcome));
            }
            for (String status : ValidatorMetrics.ATTEMPT_STATUSES) {
                assertEquals(0, count("validator.iterate.attempts", "kind", kind, "status", status));
            }
            for (String outcome : ValidatorMetrics.RUN_OUTCOMES) {
                assertEquals(0, count("validator.iterate.runs", "kind", kind, "outcome", outcome));
            }
        }
        assertNull(registry.find("validator.findings").counter(), "finding codes appear with their first finding");
    }

    @Test
    void aValidationCountsItsOutcomeAndEachFindingByCodeAndSeverity() {
        metrics.validated(ValidationReport.of("email", List.of(
                Finding.error("ssn_detected", Finding.POLICY, "body", "an SSN"),
                Finding.warning("sms_too_long", Finding.COMPLETENESS, "body", "long")), null, null));
        metrics.validated(ValidationReport.of("email", List.of(
                Finding.error("ssn_detected", Finding.POLICY, "body", "an SSN")), null, null));
        metrics.validated(ValidationReport.of("fill", List.of(), null, null));
        assertEquals(2, count("validator.validations", "kind", "email", "outcome", "invalid"));
        assertEquals(0, count("validator.validations", "kind", "email", "outcome", "valid"));
        assertEquals(1, count("validator.validations", "kind", "fill", "outcome", "valid"));
        assertEquals(2, count("validator.findings", "code", "ssn_detected", "severity", "error"));
        assertEquals(1, count("validator.findings", "code", "sms_too_long", "severity", "warning"));
    }

    @Test
    void aBlockedReportIsCountedAsBlocked() {
        TruthEngine.Outcome blocked = new TruthEngine.Outcome(List.of(),
                List.of(Finding.error("blocked_term", Finding.POLICY, "body", "blocked")), null, true);
        metrics.validated(ValidationReport.of("playbook", blocked.findings(), blocked, null));
        assertEquals(1, count("validator.validations", "kind", "playbook", "outcome", "blocked"));
        assertEquals(0, count("validator.validations", "kind", "playbook", "outcome", "invalid"));
    }

    @Test
    void iterateAttemptsAndRunsAreCounted() {
        metrics.attempted("fill", "no_json");
        metrics.attempted("fill", "valid");
        metrics.iterated("fill", "valid");
        assertEquals(1, count("validator.iterate.attempts", "kind", "fill", "status", "no_json"));
        assertEquals(1, count("validator.iterate.attempts", "kind", "fill", "status", "valid"));
        assertEquals(1, count("validator.iterate.runs", "kind", "fill", "outcome", "valid"));
        assertEquals(0, count("validator.iterate.runs", "kind", "fill", "outcome", "exhausted"));
    }
}

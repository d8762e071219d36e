package com.lakehouse.distilld.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** distilld's meters on a plain registry: what exists at start and what jobs, writes and quarantines count. */
class DistillMetricsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final DistillMetrics metrics = new DistillMetrics(registry);

    private long jobs(String kind, String outcome) {
        return registry.get("distill.jobs").tags("kind", kind, "outcome", outcome).timer().count();
    }

    private double count(String name, String... tags) {
        return registry.get(name).tags(tags).counter().count();
    }

    @Test
    void jobKindsAndStagesExistAtZeroFromTheStart() {
        for (String kind : DistillMetrics.JOB_KINDS) {
            assertEquals(0, jobs(kind, "succeeded"));
            assertEquals(0, jobs(kind, "failed"));
        }
        for (String stage : DistillMetrics.STAGES) {
            assertEquals(0, count("distill.records.written", "stage", stage));
        }
        assertNull(registry.find("distill.records.quarantined").counter(), "reasons appear with their first row");
    }

    @Test
    void jobsAreTimedByOutcomeAndFailuresRethrown() {
        assertEquals("done", metrics.job("score", () -> "done"));
        IllegalStateException boom = new IllegalStateException("S3 is down");
        assertEquals(boom, assertThrows(IllegalStateException.class, () -> metrics.job("export", () -> {
            throw boom;
        })));
        assertEquals(1, jobs("score", "succeeded"));
        assertEquals(0, jobs("score", "failed"));
        assertEquals(1, jobs("export", "failed"));
        assertEquals(0, jobs("export", "succeeded"));
    }

    @Test
    void writtenRowsAndQuarantinedRowsByStageAndReason() {
        metrics.written("preference", 3);
        metrics.written("preference", 2);
        assertEquals(5, count("distill.records.written", "stage", "preference"));
        assertEquals(0, count("distill.records.written", "stage", "sft"));
        List<JsonNode> rows = List.of(
                Canon.JSON.valueToTree(new Rows.Quarantine("sft", "pii_detected", null, List.of(), "2026-01-01T00:00:00Z", null)),
                Canon.JSON.valueToTree(new Rows.Quarantine("sft", "pii_detected", null, List.of(), "2026-01-01T00:00:00Z", null)),
                Canon.JSON.valueToTree(new Rows.Quarantine("sft", "unsafe_sft_category", null, List.of(), "2026-01-01T00:00:00Z", null)));
        metrics.quarantined(rows);
        assertEquals(2, count("distill.records.quarantined", "stage", "sft", "reason", "pii_detected"));
        assertEquals(1, count("distill.records.quarantined", "stage", "sft", "reason", "unsafe_sft_category"));
    }
}

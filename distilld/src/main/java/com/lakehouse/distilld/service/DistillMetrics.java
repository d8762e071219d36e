package com.lakehouse.distilld.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.function.Supplier;

/**
 * distilld's domain meters. Job kinds and stages are known up front, so those series are registered at start
 * ({@link Startup}) and exist at zero before the first job; quarantine reasons are many and per stage, so
 * {@code distill.records.quarantined} appears with the first quarantined row of each stage and reason.
 *
 * <ul>
 *   <li>{@code distill.jobs{kind,outcome}} (timer): jobs by kind (materialize, score, export, audit, audit_full)
 *       and outcome (succeeded, failed);</li>
 *   <li>{@code distill.records.written{stage}}: rows each run wrote, stage evidence, scored, sft, rag, preference
 *       (preference rows are chosen/rejected pairs). Exports rewrite their files whole, so an export run counts
 *       every row it wrote, not only new ones;</li>
 *   <li>{@code distill.records.quarantined{stage,reason}}: rows a run refused, by the quarantine row's exporter
 *       (materializer, scorer, loader, sft, rag, preference) and reason (pii_detected, unsafe_sft_category, ...).</li>
 * </ul>
 */
@Singleton
@Startup
public class DistillMetrics {
    public static final List<String> JOB_KINDS = List.of("materialize", "score", "export", "audit", "audit_full");
    public static final List<String> STAGES = List.of("evidence", "scored", "sft", "rag", "preference");

    private final MeterRegistry registry;

    @Inject
    public DistillMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (String kind : JOB_KINDS) {
            jobs(kind, "succeeded");
            jobs(kind, "failed");
        }
        STAGES.forEach(this::written);
    }

    /** Runs one job's work, timing it under its kind and outcome; failures are rethrown. */
    public <T> T job(String kind, Supplier<T> work) {
        long start = System.nanoTime();
        String outcome = "failed";
        try {
            T out = work.get();
            outcome = "succeeded";
            return out;
        } finally {
            jobs(kind, outcome).record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    /** {@code n} rows written to a stage (one of {@link #STAGES}). */
    public void written(String stage, long n) {
        written(stage).increment(n);
    }

    /** Quarantine rows as stored ({@code quarantine_row.v1}: exporter, reason, ...). */
    public void quarantined(List<JsonNode> rows) {
        rows.forEach(this::quarantined);
    }

    /** One quarantine row as stored. */
    public void quarantined(JsonNode r) {
        Counter.builder("distill.records.quarantined").tag("stage", r.path("exporter").asText("unknown"))
                .tag("reason", r.path("reason").asText("unknown"))
                .description("rows quarantined by stage and reason").register(registry).increment();
    }

    private Timer jobs(String kind, String outcome) {
        return Timer.builder("distill.jobs").tag("kind", kind).tag("outcome", outcome)
                .description("distill jobs by kind and outcome").register(registry);
    }

    private Counter written(String stage) {
        return Counter.builder("distill.records.written").tag("stage", stage)
                .description("rows written by stage").register(registry);
    }
}

package com.lakehouse.validatord.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.util.List;

/**
 * validatord's domain meters. Kinds, outcomes and attempt statuses are known up front, so those series are
 * registered at start ({@link Startup}) and exist at zero before the first validation; finding codes are open-ended
 * (truth rules bring their own), so {@code validator.findings} appears with the first finding of each code.
 *
 * <ul>
 *   <li>{@code validator.validations{kind,outcome}}: every validation (POST /v1/validate and each iterate attempt
 *       that produced JSON), outcome {@code valid}, {@code invalid} or {@code blocked} (a truth rule blocked it);</li>
 *   <li>{@code validator.findings{code,severity}}: every finding of those validations, severity error or warning;</li>
 *   <li>{@code validator.iterate.attempts{kind,status}}: iterate attempts, status valid, invalid, blocked, no_json;</li>
 *   <li>{@code validator.iterate.runs{kind,outcome}}: iterate loops, outcome valid (an attempt passed), blocked,
 *       exhausted (max_iterations without a valid answer) or chat_failed (chatd could not answer).</li>
 * </ul>
 */
@Singleton
@Startup
public class ValidatorMetrics {
    public static final List<String> VALIDATION_OUTCOMES = List.of("valid", "invalid", "blocked");
    public static final List<String> ATTEMPT_STATUSES = List.of("valid", "invalid", "blocked", "no_json");
    public static final List<String> RUN_OUTCOMES = List.of("valid", "blocked", "exhausted", "chat_failed");

    private final MeterRegistry registry;

    @Inject
    public ValidatorMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (String kind : ValidationService.KINDS) {
            VALIDATION_OUTCOMES.forEach(o -> validations(kind, o));
            ATTEMPT_STATUSES.forEach(s -> attempts(kind, s));
            RUN_OUTCOMES.forEach(o -> runs(kind, o));
        }
    }

    /** One finished validation: its outcome and each of its findings. */
    public void validated(ValidationReport report) {
        validations(report.kind(), outcome(report)).increment();
        for (Finding f : report.findings()) {
            Counter.builder("validator.findings").tag("code", f.code()).tag("severity", f.severity())
                    .description("validator and truth-rule findings by code").register(registry).increment();
        }
    }

    /** One iterate attempt with the status its history lists. */
    public void attempted(String kind, String status) {
        attempts(kind, status).increment();
    }

    /** One iterate loop ended; outcome is one of {@link #RUN_OUTCOMES}. */
    public void iterated(String kind, String outcome) {
        runs(kind, outcome).increment();
    }

    static String outcome(ValidationReport report) {
        return report.valid() ? "valid" : Boolean.TRUE.equals(report.blocked()) ? "blocked" : "invalid";
    }

    private Counter validations(String kind, String outcome) {
        return Counter.builder("validator.validations").tag("kind", kind).tag("outcome", outcome)
                .description("validations by task kind and outcome").register(registry);
    }

    private Counter attempts(String kind, String status) {
        return Counter.builder("validator.iterate.attempts").tag("kind", kind).tag("status", status)
                .description("iterate attempts by status").register(registry);
    }

    private Counter runs(String kind, String outcome) {
        return Counter.builder("validator.iterate.runs").tag("kind", kind).tag("outcome", outcome)
                .description("iterate loops by how they ended").register(registry);
    }
}

package com.lakehouse.matrixd.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.Map;

/**
 * matrixd's domain meters. Every label value is known up front, so every series is registered here at start and
 * exists (at zero) before the first search; a dashboard never has to wait for traffic to find them.
 *
 * <ul>
 *   <li>{@code matrix.search{outcome}} (timer): searches by outcome, {@code ok}, {@code rejected} (bad input or an
 *       unknown corpus, 4xx) or {@code failed} (an upstream or internal error);</li>
 *   <li>{@code matrix.gate.dropped{reason}}: what the cross-role gate removed, {@code role_mismatch} (a document of
 *       another role in a gated corpus) and {@code playbook_role_mismatch} (a playbook recorded for another role);</li>
 *   <li>{@code matrix.search.filtered{reason}}: hits removed before the gate, {@code metadata_filter} and
 *       {@code excluded} (the caller's exclude_ids);</li>
 *   <li>{@code matrix.playbooks.recorded}: playbooks written to the playbook memory;</li>
 *   <li>{@code matrix.corpora} (gauge): registered corpora; NaN until the registry has been read from S3.</li>
 * </ul>
 * Document counts per corpus are not here: the registry does not know them (vectord's index sizes do).
 */
public final class MatrixMetrics {
    public static final String OK = "ok";
    public static final String REJECTED = "rejected";
    public static final String FAILED = "failed";

    private final Map<String, Timer> searches;
    private final Counter roleMismatch;
    private final Counter playbookRoleMismatch;
    private final Counter metadataFilter;
    private final Counter excluded;
    private final Counter playbooksRecorded;

    public MatrixMetrics(MeterRegistry registry, CorpusRegistry corpora) {
        searches = Map.of(OK, searchTimer(registry, OK), REJECTED, searchTimer(registry, REJECTED),
                FAILED, searchTimer(registry, FAILED));
        roleMismatch = gateCounter(registry, "role_mismatch");
        playbookRoleMismatch = gateCounter(registry, "playbook_role_mismatch");
        metadataFilter = filterCounter(registry, "metadata_filter");
        excluded = filterCounter(registry, "excluded");
        playbooksRecorded = Counter.builder("matrix.playbooks.recorded")
                .description("playbooks written to the playbook memory").register(registry);
        Gauge.builder("matrix.corpora", corpora, r -> r.loaded() ? r.all().size() : Double.NaN)
                .description("registered corpora (NaN until the registry is read from S3)").register(registry);
    }

    private static Timer searchTimer(MeterRegistry registry, String outcome) {
        return Timer.builder("matrix.search").tag("outcome", outcome)
                .description("multi-corpus searches by outcome").register(registry);
    }

    private static Counter gateCounter(MeterRegistry registry, String reason) {
        return Counter.builder("matrix.gate.dropped").tag("reason", reason)
                .description("candidates the cross-role gate dropped").register(registry);
    }

    private static Counter filterCounter(MeterRegistry registry, String reason) {
        return Counter.builder("matrix.search.filtered").tag("reason", reason)
                .description("hits removed by the metadata filter or exclude_ids").register(registry);
    }

    /** One search finished with {@link #OK}, {@link #REJECTED} or {@link #FAILED}. */
    public void searched(String outcome, Duration took) {
        searches.get(outcome).record(took);
    }

    /** The drop counts of one merged search (the same numbers its response reports). */
    public void dropped(int gateDropped, int playbooksRejected, int filterDropped, int excludedIds) {
        roleMismatch.increment(gateDropped);
        playbookRoleMismatch.increment(playbooksRejected);
        metadataFilter.increment(filterDropped);
        excluded.increment(excludedIds);
    }

    public void playbooksRecorded(int n) {
        playbooksRecorded.increment(n);
    }
}

package com.lakehouse.catalogd.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.List;

/**
 * catalogd's domain meters, all registered when catalogd starts. The journal and the catalog are built on first
 * use (building them reads S3), so they are attached later with {@link #watch(Journal)} and
 * {@link #watch(CatalogService)}; until then their gauges read NaN rather than a made-up zero.
 *
 * <ul>
 *   <li>{@code catalog.journal.length} (gauge): events in the mutation journal (its last seq);</li>
 *   <li>{@code catalog.journal.pending.segments} (gauge): journal segments in the local spool not yet shipped to
 *       S3 (above 0 means S3 writes are failing);</li>
 *   <li>{@code catalog.datasets{state}} (gauge): datasets, state live or tombstoned (NaN until the catalog is
 *       first read);</li>
 *   <li>{@code catalog.mutations{entity,action}}: journaled mutations, the four kinds catalogd writes: dataset
 *       insert (created), dataset_version insert (version published), dataset delete (tombstoned), dataset update
 *       (revived by a new ingest).</li>
 * </ul>
 */
public final class CatalogMetrics {
    /** entity, action: every mutation catalogd journals. */
    public static final List<List<String>> MUTATIONS = List.of(List.of("dataset", "insert"),
            List.of("dataset_version", "insert"), List.of("dataset", "delete"), List.of("dataset", "update"));

    private final MeterRegistry registry;
    private volatile Journal journal;
    private volatile CatalogService catalog;

    public CatalogMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("catalog.journal.length", this, m -> m.journal == null ? Double.NaN : m.journal.length())
                .description("events in the mutation journal").register(registry);
        Gauge.builder("catalog.journal.pending.segments", this,
                        m -> m.journal == null ? Double.NaN : m.journal.pendingSegments())
                .description("journal segments not yet shipped to S3").register(registry);
        for (boolean tombstoned : new boolean[]{false, true}) {
            Gauge.builder("catalog.datasets", this, m -> m.datasets(tombstoned)).tag("state", tombstoned ? "tombstoned" : "live")
                    .description("datasets in the catalog").register(registry);
        }
        MUTATIONS.forEach(m -> mutations(m.get(0), m.get(1)));
    }

    public void watch(Journal j) {
        this.journal = j;
    }

    public void watch(CatalogService c) {
        this.catalog = c;
    }

    /** One journaled mutation (the journal's append listener). */
    public void mutated(Journal.Draft d) {
        mutations(d.entityType(), d.action()).increment();
    }

    private double datasets(boolean tombstoned) {
        CatalogService c = catalog;
        if (c == null) {
            return Double.NaN;
        }
        var n = c.count(tombstoned);
        return n.isPresent() ? n.getAsLong() : Double.NaN;
    }

    private Counter mutations(String entity, String action) {
        return Counter.builder("catalog.mutations").tag("entity", entity).tag("action", action)
                .description("journaled catalog mutations").register(registry);
    }
}

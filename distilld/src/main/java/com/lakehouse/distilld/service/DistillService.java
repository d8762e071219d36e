package com.lakehouse.distilld.service;

import com.lakehouse.contracts.jobs.Job;
import com.lakehouse.contracts.jobs.JobRegistry;
import com.lakehouse.contracts.s3.ObjectStore;
import com.lakehouse.distilld.config.DistilldConfig;
import com.lakehouse.distilld.store.Blobs;
import com.lakehouse.distilld.store.S3Blobs;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The jobs behind distilld's routes, over the stack's S3 bucket. */
@ApplicationScoped
public class DistillService {
    @Inject
    DistilldConfig config;
    @Inject
    ObjectStore store;
    @Inject
    com.lakehouse.contracts.redact.Redactor redactor;
    @Inject
    DistillMetrics metrics;

    private JobRegistry registry;

    @Produces
    @Singleton
    JobRegistry jobs() {
        registry = new JobRegistry("distilld", config.jobThreads(), config.jobsRetained());
        return registry;
    }

    void onStop(@Observes ShutdownEvent ev) {
        if (registry != null) {
            registry.close();
        }
    }

    Blobs blobs() {
        return new S3Blobs(store, redactor);
    }

    public Object materialize(Job job, String fromDay, String toDay) {
        return metrics.job("materialize", () -> {
            Blobs b = blobs();
            Materializer m = new Materializer(b);
            var segments = m.segments(fromDay, toDay);
            job.message("materializing " + segments.size() + " observer segments");
            long total = Math.max(1, segments.size());
            var r = m.run(segments, true, n -> job.progress(n, total), null);
            job.progress(total, total);
            metrics.written("evidence", r.evidenceRows());
            countQuarantine(b, "materializer", r.quarantined());
            return r;
        });
    }

    public Object score(Job job) {
        return metrics.job("score", () -> {
            job.message("scoring evidence with " + Scorer.VERSION);
            Blobs b = blobs();
            long total = Math.max(1, b.list(Materializer.EVIDENCE_PREFIX).size());
            var r = new Scorer(b).run(config.replayRunsKey(), n -> job.progress(n, total));
            job.progress(total, total);
            metrics.written("scored", r.scored());
            countQuarantine(b, "scorer", r.quarantined());
            return r;
        });
    }

    public Object export(Job job, String kind, boolean includePartial) {
        return metrics.job("export", () -> {
            job.message("exporting " + kind + (includePartial ? " (with partial SFT samples)" : ""));
            Blobs b = blobs();
            var r = new Exports(b, config.workDir().map(java.nio.file.Path::of).orElse(Exports.DEFAULT_WORK_DIR),
                    config.exportBufferBytes())
                    .run(kind, includePartial, n -> job.progress(n, 4));
            job.progress(4, 4);
            r.rows().forEach(metrics::written);
            r.quarantined().forEach((exporter, n) -> countQuarantine(b, exporter, n));
            return r;
        });
    }

    /**
     * Counts a stage's quarantine rows by reason. The stages write their quarantine file whole on every run, so the
     * file just written holds exactly this run's rows; reading it back (streamed, row by row) keeps the stages
     * free of metrics code.
     */
    private void countQuarantine(Blobs b, String exporter, long rows) {
        if (rows > 0) {
            Exports.forEachNode(b, Exports.QUARANTINE_PREFIX + exporter + ".jsonl", metrics::quarantined);
        }
    }

    public Object audit(Job job) {
        return metrics.job("audit", () -> auditBaseline(job));
    }

    private Object auditBaseline(Job job) {
        job.progress(0, 1);
        Rows.AuditBaseline b = new Auditor(blobs()).baseline(config.gitCommit(), config.driftThreshold(), Instant.now());
        if (!b.warnings().isEmpty()) {
            job.message("drift past " + Math.round(config.driftThreshold() * 100) + "%: " + String.join("; ", b.warnings()));
            org.jboss.logging.Logger.getLogger(DistillService.class).warnf("audit drift: %s", b.warnings());
        }
        job.progress(1, 1);
        return b;
    }

    public Object auditFull(Job job) {
        return metrics.job("audit_full", () -> auditAll(job));
    }

    private Object auditAll(Job job) {
        Map<String, Object> out = new LinkedHashMap<>();
        job.progress(0, 8);
        Auditor.FullReport r = new Auditor(blobs()).full(config.replayRunsKey(), Instant.now(), phase -> {
            job.message(phase);
            job.progress(job.done() + 1, 8);
        });
        job.progress(8, 8);
        out.put("report", Auditor.FULL_KEY);
        out.put("status", r.status());
        out.put("phases", r.phases());
        return out;
    }
}

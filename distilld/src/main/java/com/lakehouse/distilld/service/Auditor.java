package com.lakehouse.distilld.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.lakehouse.distilld.store.Blobs;
import com.lakehouse.distilld.store.DirBlobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/** Audit baselines and audit-full (phases P0-P7) over what distilld stored. */
public final class Auditor {
    public static final String BASELINES_KEY = "distill/audit/audit_baselines.jsonl";
    public static final String FULL_KEY = "distill/audit/audit_full.json";

    public record Phase(String phase, String name, String status, Map<String, Object> details) {
    }

    public record FullReport(String recordedAt, String scorerVersion, String status, List<Phase> phases) {
    }

    private final Blobs blobs;

    public Auditor(Blobs blobs) {
        this.blobs = blobs;
    }

    private long lines(String key) {
        return blobs.get(key).map(b -> {
            long n = 0;
            for (byte x : b) {
                if (x == '\n') {
                    n++;
                }
            }
            return n;
        }).orElse(0L);
    }

    /** The baseline metrics of what is stored now. */
    public Map<String, Long> metrics() {
        Map<String, Long> m = new LinkedHashMap<>();
        long ev = 0;
        for (String k : blobs.list(Materializer.EVIDENCE_PREFIX)) {
            ev += k.endsWith(".jsonl") ? lines(k) : 0;
        }
        m.put("evidence_rows", ev);
        m.put("evidence_skips", lines(Exports.QUARANTINE_PREFIX + "materializer.jsonl"));
        Map<String, Long> cats = new HashMap<>();
        for (String k : blobs.list(Scorer.SCORED_PREFIX)) {
            if (k.endsWith(".jsonl")) {
                for (JsonNode n : Exports.readNodes(blobs, k)) {
                    cats.merge(n.path("category").asText(), 1L, Long::sum);
                }
            }
        }
        for (String c : List.of("accepted", "partially_accepted", "rejected", "needs_human_review")) {
            m.put(c, cats.getOrDefault(c, 0L));
        }
        m.put("rag_rows", lines(Exports.RAG_KEY));
        m.put("sft_rows", lines(Exports.SFT_KEY));
        m.put("preference_rows", lines(Exports.PREFERENCE_KEY));
        long q = 0;
        for (String k : blobs.list(Exports.QUARANTINE_PREFIX)) {
            q += lines(k);
        }
        m.put("quarantined", q);
        return m;
    }

    /** Appends a baseline {recorded_at, git_commit, metrics, drift, warnings}; warns past the drift threshold. */
    public Rows.AuditBaseline baseline(String gitCommit, double threshold, Instant now) {
        Map<String, Long> m = metrics();
        byte[] old = blobs.get(BASELINES_KEY).orElse(new byte[0]);
        List<JsonNode> previous = new ArrayList<>();
        Jsonl.read(BASELINES_KEY, old, l -> {
            if (l.ok()) {
                previous.add(l.node());
            }
        });
        Map<String, Double> drift = new TreeMap<>();
        List<String> warnings = new ArrayList<>();
        if (!previous.isEmpty()) {
            JsonNode last = previous.get(previous.size() - 1).path("metrics");
            for (var e : m.entrySet()) {
                long before = last.path(e.getKey()).asLong(0);
                double d = before == 0 ? (e.getValue() == 0 ? 0.0 : 1.0) : (double) (e.getValue() - before) / before;
                d = Math.round(d * 10000) / 10000.0;
                drift.put(e.getKey(), d);
                if (Math.abs(d) > threshold) {
                    warnings.add(e.getKey() + " drifted " + Math.round(d * 100) + "% (" + before + " -> " + e.getValue() + ")");
                }
            }
        }
        Rows.AuditBaseline b = new Rows.AuditBaseline(now.toString(), gitCommit, m, drift, warnings);
        byte[] row = Canon.jsonl(List.of(b));
        byte[] all = new byte[old.length + row.length];
        System.arraycopy(old, 0, all, 0, old.length);
        System.arraycopy(row, 0, all, old.length, row.length);
        blobs.put(BASELINES_KEY, all);
        return b;
    }

    /** audit-full: runs every phase, writes the report to {@link #FULL_KEY}; a phase failing never stops the others. */
    public FullReport full(String replayKey, Instant now, Consumer<String> progress) {
        List<Phase> phases = new ArrayList<>();
        phase(phases, "P0", "inventory", progress, this::p0);
        phase(phases, "P1", "schema tests", progress, this::p1);
        phase(phases, "P2", "materializer dry-run", progress, this::p2);
        phase(phases, "P3", "score distribution", progress, this::p3);
        phase(phases, "P4", "export safety", progress, d -> p4(blobs, d));
        phase(phases, "P5", "run receipts", progress, this::p5);
        phase(phases, "P6", "acceptance invariants", progress, this::p6);
        phase(phases, "P7", "replay", progress, d -> p7(replayKey, d));
        String status = phases.stream().anyMatch(p -> "fail".equals(p.status())) ? "fail"
                : phases.stream().anyMatch(p -> "warn".equals(p.status())) ? "warn" : "pass";
        FullReport r = new FullReport(now.toString(), Scorer.VERSION, status, phases);
        try {
            blobs.put(FULL_KEY, Canon.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(r));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return r;
    }

    private interface PhaseBody {
        String run(Map<String, Object> details) throws Exception;
    }

    private static void phase(List<Phase> out, String id, String name, Consumer<String> progress, PhaseBody body) {
        progress.accept(id + " " + name);
        Map<String, Object> d = new LinkedHashMap<>();
        String status;
        try {
            status = body.run(d);
        } catch (Exception e) {
            status = "fail";
            d.put("error", e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
        out.add(new Phase(id, name, status, d));
    }

    private String p0(Map<String, Object> d) {
        for (String p : List.of("observer/ops/", Materializer.EVIDENCE_PREFIX, Scorer.SCORED_PREFIX, Exports.EXPORTS_PREFIX)) {
            d.put(p, blobs.list(p).size());
        }
        d.put("metrics", metrics());
        return "pass";
    }

    /** Every stored artifact row against its schema. */
    private String p1(Map<String, Object> d) {
        Map<String, String> files = new LinkedHashMap<>();
        blobs.list(Materializer.EVIDENCE_PREFIX).forEach(k -> files.put(k, "evidence.v1"));
        blobs.list(Scorer.SCORED_PREFIX).forEach(k -> files.put(k, "scored_run.v1"));
        files.put(Exports.SFT_KEY, "sft_sample.v1");
        files.put(Exports.RAG_KEY, "rag_row.v1");
        files.put(Exports.PREFERENCE_KEY, "preference_pair.v1");
        blobs.list(Exports.QUARANTINE_PREFIX).forEach(k -> files.put(k, "quarantine_row.v1"));
        files.put(BASELINES_KEY, "audit_baseline.v1");
        long rows = 0;
        List<String> violations = new ArrayList<>();
        for (var e : files.entrySet()) {
            for (JsonNode n : Exports.readNodes(blobs, e.getKey())) {
                rows++;
                List<String> p = SchemaCheck.problems(e.getValue(), n);
                if (!p.isEmpty() && violations.size() < 20) {
                    violations.add(e.getKey() + ": " + p);
                }
            }
        }
        d.put("rows_checked", rows);
        d.put("violations", violations);
        return violations.isEmpty() ? "pass" : "fail";
    }

    /** Re-materializes every stored segment without writing and compares with the stored evidence. */
    private String p2(Map<String, Object> d) {
        Materializer m = new Materializer(blobs);
        Map<String, List<Rows.Evidence>> dry = new TreeMap<>();
        Materializer.Result r = m.run(m.segments(null, null), false, x -> { }, dry);
        List<String> differ = new ArrayList<>();
        for (var e : dry.entrySet()) {
            String stored = blobs.get(e.getKey()).map(Canon::sha256).orElse("missing");
            if (!stored.equals(Canon.sha256(Canon.jsonl(e.getValue())))) {
                differ.add(e.getKey());
            }
        }
        d.put("segments", r.segments());
        d.put("lines", r.lines());
        d.put("evidence_rows", r.evidenceRows());
        d.put("would_quarantine", r.quarantined());
        d.put("files_differing", differ);
        return differ.isEmpty() ? "pass" : "warn";
    }

    /** Category distribution, and every stored score reproduced from its evidence (the scorer is deterministic). */
    private String p3(Map<String, Object> d) {
        Map<String, Rows.Evidence> ev = new HashMap<>();
        List<Rows.Quarantine> ignored = new ArrayList<>();
        for (String k : blobs.list(Materializer.EVIDENCE_PREFIX)) {
            Jsonl.read(k, blobs.get(k).orElse(new byte[0]), l -> {
                Rows.Evidence e = Loader.evidence(l, "loader", ignored);
                if (e != null) {
                    ev.put(e.runId(), e);
                }
            });
        }
        Map<String, Long> cats = new TreeMap<>();
        long mismatches = 0;
        long total = 0;
        Map<String, Boolean> replay = Scorer.replayVerdicts(blobs, null);
        for (String k : blobs.list(Scorer.SCORED_PREFIX)) {
            for (JsonNode n : Exports.readNodes(blobs, k)) {
                total++;
                cats.merge(n.path("category").asText(), 1L, Long::sum);
                Rows.Evidence e = ev.get(n.path("run_id").asText());
                if (e != null && n.path("sub_scores").path("replay_succeeded").isNull()) {
                    Rows.Scored again = Scorer.score(e, replay.get(e.runId()));
                    if (!again.category().equals(n.path("category").asText()) || again.score() != n.path("score").asDouble()) {
                        mismatches++;
                    }
                }
            }
        }
        Map<String, Double> pct = new TreeMap<>();
        for (var c : cats.entrySet()) {
            pct.put(c.getKey(), total == 0 ? 0 : Math.round(10000.0 * c.getValue() / total) / 100.0);
        }
        d.put("scored", total);
        d.put("categories", cats);
        d.put("percent", pct);
        d.put("rescore_mismatches", mismatches);
        return mismatches == 0 ? "pass" : "fail";
    }

    /** No SFT leak, no rejected RAG row, no self or identical pairs, no missing provenance. */
    static String p4(Blobs blobs, Map<String, Object> d) {
        Map<String, JsonNode> scored = new HashMap<>();
        for (String k : blobs.list(Scorer.SCORED_PREFIX)) {
            for (JsonNode n : Exports.readNodes(blobs, k)) {
                scored.put(n.path("run_id").asText(), n);
            }
        }
        List<String> problems = new ArrayList<>();
        for (JsonNode s : Exports.readNodes(blobs, Exports.SFT_KEY)) {
            JsonNode sc = scored.get(s.path("run_id").asText());
            if (sc == null || sc.path("sft_never").asBoolean(true)
                    || !List.of("accepted", "partially_accepted").contains(sc.path("category").asText())) {
                problems.add("SFT leak: " + s.path("run_id").asText());
            }
            for (String f : List.of("source_file", "sig_hash", "recorded_at")) {
                if (s.path("provenance").path(f).asText("").isEmpty()) {
                    problems.add("SFT row without provenance." + f + ": " + s.path("id").asText());
                }
            }
            if (Exports.SSN.matcher(s.path("response").asText() + s.path("instruction").asText()).find()) {
                problems.add("SFT row with an SSN shape: " + s.path("id").asText());
            }
        }
        for (JsonNode r : Exports.readNodes(blobs, Exports.RAG_KEY)) {
            JsonNode sc = scored.get(r.path("source_run_id").asText());
            String cat = sc == null ? "missing" : sc.path("category").asText();
            if (!List.of("accepted", "partially_accepted").contains(cat) || r.path("source_run_id").asText("").isEmpty()) {
                problems.add("RAG row from a " + cat + " run: " + r.path("id").asText());
            }
        }
        for (JsonNode p : Exports.readNodes(blobs, Exports.PREFERENCE_KEY)) {
            if (p.path("chosen_run_id").asText().equals(p.path("rejected_run_id").asText())) {
                problems.add("self pair " + p.path("id").asText());
            }
            if (p.path("chosen").asText().equals(p.path("rejected").asText())) {
                problems.add("identical pair " + p.path("id").asText());
            }
            JsonNode c = scored.get(p.path("chosen_run_id").asText());
            JsonNode r = scored.get(p.path("rejected_run_id").asText());
            if (c == null || r == null || !c.path("task_id").asText().equals(r.path("task_id").asText())) {
                problems.add("pair across tasks or unknown runs " + p.path("id").asText());
            }
        }
        d.put("problems", problems.size() > 50 ? problems.subList(0, 50) : problems);
        d.put("problem_count", problems.size());
        return problems.isEmpty() ? "pass" : "fail";
    }

    /** Receipts: sha256 of every export file, checked against the manifest the export wrote. */
    private String p5(Map<String, Object> d) {
        JsonNode manifest = blobs.get(Exports.MANIFEST_KEY).map(b -> {
            try {
                return Canon.JSON.readTree(b);
            } catch (IOException e) {
                return null;
            }
        }).orElse(null);
        if (manifest == null) {
            d.put("detail", "no export manifest yet: run an export first");
            return "warn";
        }
        Map<String, String> receipts = new TreeMap<>();
        List<String> mismatched = new ArrayList<>();
        manifest.path("sha256").fields().forEachRemaining(e -> {
            String now = blobs.get(e.getKey()).map(Canon::sha256).orElse("missing");
            receipts.put(e.getKey(), now);
            if (!now.equals(e.getValue().asText())) {
                mismatched.add(e.getKey());
            }
        });
        d.put("run_hash", Canon.sha256(String.join("\n", receipts.values())));
        d.put("receipts", receipts);
        d.put("mismatched", mismatched);
        return mismatched.isEmpty() ? "pass" : "fail";
    }

    /** The whole loop twice over the seeded fixtures in scratch directories: invariants hold and hashes reproduce. */
    private String p6(Map<String, Object> d) throws IOException {
        Path a = Files.createTempDirectory("distill-p6a");
        Path b = Files.createTempDirectory("distill-p6b");
        try {
            Invariants.Outcome first = Invariants.check(new DirBlobs(a));
            Invariants.Outcome second = Invariants.check(new DirBlobs(b));
            d.put("invariants", first.results());
            d.put("invariant_count", first.results().size());
            d.put("run_hash_first", first.runHash());
            d.put("run_hash_second", second.runHash());
            boolean ok = first.failed().isEmpty() && second.failed().isEmpty() && first.runHash().equals(second.runHash());
            d.put("failed", first.failed());
            return ok ? "pass" : "fail";
        } finally {
            delete(a);
            delete(b);
        }
    }

    private String p7(String replayKey, Map<String, Object> d) {
        var bytes = replayKey == null ? java.util.Optional.<byte[]>empty() : blobs.get(replayKey);
        if (bytes.isEmpty()) {
            d.put("detail", "no replay runs at " + replayKey + ": replayd has not written any yet");
            return "skipped";
        }
        Map<String, Long> verdicts = new TreeMap<>();
        List<String> violations = new ArrayList<>();
        Jsonl.read(replayKey, bytes.get(), l -> {
            if (!l.ok()) {
                violations.add(l.error());
                return;
            }
            verdicts.merge(l.node().path("verdict").asText("?"), 1L, Long::sum);
            List<String> p = SchemaCheck.problems("replay_run.v1", l.node());
            if (!p.isEmpty() && violations.size() < 20) {
                violations.add("line " + l.number() + ": " + p);
            }
        });
        d.put("verdicts", verdicts);
        d.put("violations", violations);
        return violations.isEmpty() ? "pass" : "warn";
    }

    static void delete(Path dir) {
        try (var s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // scratch space only
        }
    }
}

package com.lakehouse.distilld.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.lakehouse.distilld.store.Blobs;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/** audit-full P6: the acceptance invariants of the learning loop, checked over the seeded fixtures. */
public final class Invariants {
    public record Outcome(Map<String, String> results, List<String> failed, String runHash) {
    }

    private Invariants() {
    }

    /** Writes the fixtures into an empty store, runs materialize, score and every export, and checks. */
    public static Outcome check(Blobs blobs) {
        long lines = Fixtures.write(blobs, 400, 7, 100);
        Materializer m = new Materializer(blobs);
        Materializer.Result mr = m.run(m.segments(null, null), true, x -> { }, null);
        byte[] evidenceFirst = concat(blobs, Materializer.EVIDENCE_PREFIX);
        m.run(m.segments(null, null), true, x -> { }, null);
        byte[] evidenceAgain = concat(blobs, Materializer.EVIDENCE_PREFIX);
        Scorer.Result sr = new Scorer(blobs).run(null, x -> { });
        Exports ex = new Exports(blobs);
        Exports.Result first = ex.run("all", false, x -> { });
        byte[] sftFirst = blobs.get(Exports.SFT_KEY).orElseThrow();
        Exports.Result second = ex.run("all", false, x -> { });

        List<JsonNode> evidence = nodes(blobs, Materializer.EVIDENCE_PREFIX);
        List<JsonNode> scored = nodes(blobs, Scorer.SCORED_PREFIX);
        Map<String, JsonNode> byRun = new LinkedHashMap<>();
        scored.forEach(s -> byRun.put(s.path("run_id").asText(), s));
        List<JsonNode> sft = Exports.readNodes(blobs, Exports.SFT_KEY);
        List<JsonNode> rag = Exports.readNodes(blobs, Exports.RAG_KEY);
        List<JsonNode> pref = Exports.readNodes(blobs, Exports.PREFERENCE_KEY);
        List<JsonNode> sftQ = Exports.readNodes(blobs, Exports.QUARANTINE_PREFIX + "sft.jsonl");
        List<JsonNode> allQ = nodes(blobs, Exports.QUARANTINE_PREFIX);
        Set<String> cats = new HashSet<>();
        scored.forEach(s -> cats.add(s.path("category").asText()));
        Set<String> classes = new HashSet<>();
        evidence.forEach(e -> classes.add(e.path("source_class").asText()));

        Map<String, String> results = new LinkedHashMap<>();
        List<String> failed = new ArrayList<>();
        Map<String, BooleanSupplier> checks = new LinkedHashMap<>();
        checks.put("I01 every fixture line is evidence or quarantined", () -> mr.evidenceRows() + mr.quarantined() == lines);
        checks.put("I02 evidence rows match evidence.v1", () -> valid("evidence.v1", evidence));
        checks.put("I03 every evidence row has a sha256 sig_hash", () -> evidence.stream()
                .allMatch(e -> e.path("provenance").path("sig_hash").asText().matches("[0-9a-f]{64}")));
        checks.put("I04 line offsets are 1-based line numbers", () -> evidence.stream()
                .allMatch(e -> e.path("provenance").path("line_offset").asLong() >= 1));
        checks.put("I05 materializing twice is idempotent", () -> java.util.Arrays.equals(evidenceFirst, evidenceAgain));
        checks.put("I06 one scored run per evidence row", () -> sr.scored() == evidence.size());
        checks.put("I07 scored runs match scored_run.v1", () -> valid("scored_run.v1", scored));
        checks.put("I08 all four categories occur", () -> cats.containsAll(List.of("accepted", "partially_accepted", "rejected", "needs_human_review")));
        checks.put("I09 one scorer version", () -> scored.stream().allMatch(s -> Scorer.VERSION.equals(s.path("scorer_version").asText())));
        checks.put("I10 rejected and needs_human_review are SFT-never", () -> scored.stream()
                .filter(s -> List.of("rejected", "needs_human_review").contains(s.path("category").asText()))
                .allMatch(s -> s.path("sft_never").asBoolean()));
        checks.put("I11 no SFT-never run in the SFT export", () -> sft.stream()
                .noneMatch(s -> byRun.get(s.path("run_id").asText()).path("sft_never").asBoolean()));
        checks.put("I12 no SFT row from a run with an SFT-never finding", () -> sft.stream().noneMatch(s -> {
            JsonNode codes = byRun.get(s.path("run_id").asText()).path("finding_codes");
            for (JsonNode c : codes) {
                if (Scorer.SFT_NEVER_CODES.contains(c.asText())) {
                    return true;
                }
            }
            return false;
        }));
        checks.put("I13 no SSN shape in SFT text", () -> sft.stream()
                .noneMatch(s -> Exports.SSN.matcher(s.path("instruction").asText() + s.path("response").asText()).find()));
        checks.put("I14 SFT samples match sft_sample.v1", () -> valid("sft_sample.v1", sft));
        checks.put("I15 no partial sample without include_partial", () -> sft.stream().noneMatch(s -> s.path("partial").asBoolean()));
        checks.put("I16 all eight source classes occur", () -> classes.containsAll(SourceClasses.ALL));
        checks.put("I17 no rejected or human-review RAG row", () -> rag.stream()
                .allMatch(r -> List.of("accepted", "partially_accepted").contains(r.path("source_category").asText())));
        checks.put("I18 RAG rows match rag_row.v1", () -> valid("rag_row.v1", rag));
        checks.put("I19 preference pairs exist and match preference_pair.v1", () -> !pref.isEmpty() && valid("preference_pair.v1", pref));
        checks.put("I20 no self-paired preference", () -> pref.stream()
                .noneMatch(p -> p.path("chosen_run_id").asText().equals(p.path("rejected_run_id").asText())));
        checks.put("I21 no identical chosen and rejected text", () -> pref.stream()
                .noneMatch(p -> p.path("chosen").asText().equals(p.path("rejected").asText())));
        checks.put("I22 pairs stay within one task", () -> pref.stream().allMatch(p -> byRun.get(p.path("chosen_run_id").asText())
                .path("task_id").asText().equals(byRun.get(p.path("rejected_run_id").asText()).path("task_id").asText())));
        checks.put("I23 identical retries are quarantined as invalid pairings", () -> Exports.readNodes(blobs,
                Exports.QUARANTINE_PREFIX + "preference.jsonl").stream()
                .anyMatch(q -> "invalid_preference_pairing".equals(q.path("reason").asText())));
        checks.put("I24 the SFT firewall quarantined unsafe and PII runs", () -> sftQ.stream().anyMatch(q -> "unsafe_sft_category"
                .equals(q.path("reason").asText())) && sftQ.stream().anyMatch(q -> "pii_detected".equals(q.path("reason").asText())));
        checks.put("I25 quarantine rows match quarantine_row.v1", () -> valid("quarantine_row.v1", allQ));
        checks.put("I26 exporting twice gives identical bytes", () -> first.sha256().equals(second.sha256())
                && java.util.Arrays.equals(sftFirst, blobs.get(Exports.SFT_KEY).orElseThrow()));
        checks.put("I27 SFT ids are unique", () -> sft.stream().map(s -> s.path("id").asText()).distinct().count() == sft.size());
        checks.put("I28 export safety (P4) passes", () -> "pass".equals(Auditor.p4(blobs, new LinkedHashMap<>())));
        for (var c : checks.entrySet()) {
            boolean ok;
            try {
                ok = c.getValue().getAsBoolean();
            } catch (RuntimeException e) {
                ok = false;
            }
            results.put(c.getKey(), ok ? "pass" : "fail");
            if (!ok) {
                failed.add(c.getKey());
            }
        }
        String runHash = Canon.sha256(first.sha256().toString() + "|" + Canon.sha256(concat(blobs, Scorer.SCORED_PREFIX))
                + "|" + Canon.sha256(evidenceFirst));
        return new Outcome(results, failed, runHash);
    }

    private static boolean valid(String schema, List<JsonNode> rows) {
        return rows.stream().allMatch(r -> SchemaCheck.problems(schema, r).isEmpty());
    }

    private static List<JsonNode> nodes(Blobs blobs, String prefix) {
        List<JsonNode> out = new ArrayList<>();
        for (String k : blobs.list(prefix)) {
            if (k.endsWith(".jsonl")) {
                out.addAll(Exports.readNodes(blobs, k));
            }
        }
        return out;
    }

    private static byte[] concat(Blobs blobs, String prefix) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (String k : blobs.list(prefix)) {
            blobs.get(k).ifPresent(out::writeBytes);
        }
        return out.toByteArray();
    }
}

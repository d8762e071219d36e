package com.lakehouse.distilld.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.lakehouse.distilld.store.Blobs;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongConsumer;
import java.util.regex.Pattern;

/**
 * Scored runs + evidence -> SFT, RAG and preference exports, byte-identical for the same input (rows sorted by
 * their deterministic ids; times come from the data, never the clock). The SFT-never firewall: a run that is
 * rejected, needs_human_review, carries an SFT-never validator finding, or whose text shows an SSN shape never
 * reaches the SFT file; it lands in {@code exports/quarantine/sft.jsonl} with the reason.
 */
public final class Exports {
    public static final String EXPORTS_PREFIX = "distill/exports/";
    public static final String QUARANTINE_PREFIX = EXPORTS_PREFIX + "quarantine/";
    public static final String SFT_KEY = EXPORTS_PREFIX + "sft/instruction_response.jsonl";
    public static final String RAG_KEY = EXPORTS_PREFIX + "rag/playbooks.jsonl";
    public static final String PREFERENCE_KEY = EXPORTS_PREFIX + "preference/chosen_rejected.jsonl";
    public static final String MANIFEST_KEY = EXPORTS_PREFIX + "manifest.json";
    static final Pattern SSN = Pattern.compile("(?<!\\d)\\d{3}-\\d{2}-\\d{4}(?!\\d)");
    private static final Set<String> PII_CODES = Set.of("ssn_detected", "pay_disclosed");

    public record Result(Map<String, Long> rows, Map<String, Long> quarantined, Map<String, String> sha256) {
    }

    /** A scored run with its evidence. */
    record Run(Rows.Scored scored, Rows.Evidence evidence) {
        String response() {
            return Canon.text(evidence.output());
        }
    }

    private final Blobs blobs;

    public Exports(Blobs blobs) {
        this.blobs = blobs;
    }

    /** kind: sft | rag | preference | all; {@code progress} gets the stage done (0-3 of 4: load, sft, rag, preference). */
    public Result run(String kind, boolean includePartial, LongConsumer progress) {
        List<Rows.Quarantine> loaderQ = new ArrayList<>();
        progress.accept(0);
        List<Run> runs = load(loaderQ, progress);
        progress.accept(1);
        Map<String, Long> rows = new TreeMap<>();
        Map<String, Long> quarantined = new TreeMap<>();
        Map<String, String> sha = new TreeMap<>();
        write("loader", null, loaderQ, rows, quarantined, sha, null, null);
        boolean all = "all".equals(kind);
        if (all || "sft".equals(kind)) {
            List<Rows.Quarantine> q = new ArrayList<>();
            write("sft", SFT_KEY, sft(runs, includePartial, q), rows, quarantined, sha, q, null);
        }
        progress.accept(2);
        if (all || "rag".equals(kind)) {
            List<Rows.Quarantine> q = new ArrayList<>();
            write("rag", RAG_KEY, rag(runs, q), rows, quarantined, sha, q, null);
        }
        progress.accept(3);
        if (all || "preference".equals(kind)) {
            List<Rows.Quarantine> q = new ArrayList<>();
            write("preference", PREFERENCE_KEY, preference(runs, q), rows, quarantined, sha, q, null);
        }
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("scorer_version", Scorer.VERSION);
        manifest.put("runs", runs.size());
        manifest.put("rows", rows);
        manifest.put("quarantined", quarantined);
        manifest.put("sha256", sha);
        try {
            blobs.put(MANIFEST_KEY, Canon.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
        } catch (Exception e) {
            throw new IllegalStateException("could not write the export manifest", e);
        }
        return new Result(rows, quarantined, sha);
    }

    private void write(String exporter, String key, List<?> out, Map<String, Long> rows, Map<String, Long> quarantined,
                       Map<String, String> sha, List<Rows.Quarantine> q, Object unused) {
        if (key != null) {
            byte[] bytes = Canon.jsonl(out);
            blobs.put(key, bytes);
            rows.put(exporter, (long) out.size());
            sha.put(key, Canon.sha256(bytes));
        }
        List<Rows.Quarantine> qs = q != null ? q : (List<Rows.Quarantine>) out;
        byte[] qb = Canon.jsonl(qs);
        blobs.put(QUARANTINE_PREFIX + exporter + ".jsonl", qb);
        quarantined.put(exporter, (long) qs.size());
        sha.put(QUARANTINE_PREFIX + exporter + ".jsonl", Canon.sha256(qb));
    }

    /** Every scored run joined to its evidence, sorted by run id; unreadable lines quarantined by the loader. */
    List<Run> load(List<Rows.Quarantine> q, LongConsumer progress) {
        Map<String, Rows.Evidence> evidence = new HashMap<>();
        for (String key : blobs.list(Materializer.EVIDENCE_PREFIX)) {
            if (key.endsWith(".jsonl")) {
                Jsonl.read(key, blobs.get(key).orElse(new byte[0]), l -> {
                    Rows.Evidence e = Loader.evidence(l, "loader", q);
                    if (e != null) {
                        evidence.put(e.runId(), e);
                    }
                });
            }
        }
        Map<String, Run> runs = new TreeMap<>();
        for (String key : blobs.list(Scorer.SCORED_PREFIX)) {
            if (key.endsWith(".jsonl")) {
                Jsonl.read(key, blobs.get(key).orElse(new byte[0]), l -> {
                    Rows.Scored s = Loader.scored(l, "loader", q);
                    if (s == null) {
                        return;
                    }
                    Rows.Evidence e = evidence.get(s.runId());
                    if (e == null) {
                        q.add(new Rows.Quarantine("loader", "missing_provenance", Canon.JSON.valueToTree(s),
                                List.of("line " + l.number() + ": no evidence for scored run " + s.runId()),
                                s.timestamp() == null ? "1970-01-01T00:00:00Z" : s.timestamp(),
                                new Rows.SourceProvenance(key, l.number())));
                        return;
                    }
                    runs.put(s.runId(), new Run(s, e));
                });
            }
        }
        return new ArrayList<>(runs.values());
    }

    static String id(String prefix, String... parts) {
        return prefix + Canon.sha256(String.join("|", parts)).substring(0, 24);
    }

    private static Rows.SourceProvenance sp(Run r) {
        Rows.Provenance p = r.evidence().provenance();
        return new Rows.SourceProvenance(p.sourceFile(), p.lineOffset());
    }

    private static Rows.Quarantine q(String exporter, String reason, Run r, String error) {
        return new Rows.Quarantine(exporter, reason, Canon.JSON.valueToTree(r.scored()), List.of(error),
                r.scored().timestamp(), sp(r));
    }

    List<Rows.SftSample> sft(List<Run> runs, boolean includePartial, List<Rows.Quarantine> q) {
        Map<String, Rows.SftSample> out = new TreeMap<>();
        for (Run r : runs) {
            Rows.Scored s = r.scored();
            Set<String> codes = new TreeSet<>(s.findingCodes() == null ? List.of() : s.findingCodes());
            Set<String> pii = new TreeSet<>(codes);
            pii.retainAll(PII_CODES);
            Set<String> unsafe = new TreeSet<>(codes);
            unsafe.retainAll(Scorer.SFT_NEVER_CODES);
            String instruction = SourceClasses.instruction(r.evidence().sourceClass(), r.evidence().input());
            String response = r.response();
            if (!pii.isEmpty()) {
                q.add(q("sft", "pii_detected", r, "validator finding " + pii + ": SFT-never"));
            } else if (!"accepted".equals(s.category()) && !"partially_accepted".equals(s.category())) {
                q.add(q("sft", "unsafe_sft_category", r, "category " + s.category() + " is SFT-never"));
            } else if (!unsafe.isEmpty() || s.sftNever()) {
                q.add(q("sft", "unsafe_sft_category", r, "validator finding " + unsafe + " (or scorer flag): SFT-never"));
            } else if ("partially_accepted".equals(s.category()) && !includePartial) {
                q.add(q("sft", "category_disallowed", r, "partially_accepted runs are exported only with include_partial"));
            } else if (SSN.matcher(instruction).find() || SSN.matcher(response).find()) {
                q.add(q("sft", "pii_detected", r, "an SSN-shaped number in the instruction or response"));
            } else if (response.isBlank()) {
                q.add(q("sft", "empty_content", r, "the response is empty"));
            } else {
                String id = id("sft-", s.runId(), s.scorerVersion());
                if (out.containsKey(id)) {
                    q.add(q("sft", "duplicate_id", r, "sample id " + id + " already exported"));
                    continue;
                }
                out.put(id, new Rows.SftSample(id, s.runId(), s.taskId(), r.evidence().sourceClass(),
                        r.evidence().sourceClass() + ".v1", instruction, response, s.category(),
                        "partially_accepted".equals(s.category()), s.scorerVersion(), s.score(), r.evidence().provenance()));
            }
        }
        return new ArrayList<>(out.values());
    }

    List<Rows.RagRow> rag(List<Run> runs, List<Rows.Quarantine> q) {
        Map<String, Rows.RagRow> out = new TreeMap<>();
        for (Run r : runs) {
            Rows.Scored s = r.scored();
            String input = SourceClasses.inputText(r.evidence().input());
            String response = r.response();
            Set<String> pii = new TreeSet<>(s.findingCodes() == null ? List.of() : s.findingCodes());
            pii.retainAll(PII_CODES);
            if (!"accepted".equals(s.category()) && !"partially_accepted".equals(s.category())) {
                q.add(q("rag", "unsafe_rag_category", r, "category " + s.category() + " never reaches RAG"));
            } else if (!pii.isEmpty() || SSN.matcher(input).find() || SSN.matcher(response).find()) {
                q.add(q("rag", "pii_detected", r, "personal data in the content " + pii));
            } else if (response.isBlank()) {
                q.add(q("rag", "empty_content", r, "nothing to retrieve: the answer is empty"));
            } else {
                String id = id("rag-", s.runId());
                if (out.containsKey(id)) {
                    q.add(q("rag", "duplicate_id", r, "row id " + id + " already exported"));
                    continue;
                }
                String summary = input.replaceAll("\\s+", " ").strip();
                if (summary.length() > 80) {
                    summary = summary.substring(0, 80);
                }
                String title = r.evidence().sourceClass().replace('_', ' ') + ": " + (summary.isEmpty() ? s.runId() : summary);
                Set<String> tags = new TreeSet<>();
                tags.add(r.evidence().sourceClass());
                tags.add(s.category());
                if (r.evidence().tags() != null) {
                    tags.addAll(r.evidence().tags());
                }
                out.put(id, new Rows.RagRow(id, title, "Task:\n" + input + "\n\nAnswer:\n" + response,
                        List.copyOf(tags), s.runId(), s.score(), s.category()));
            }
        }
        return new ArrayList<>(out.values());
    }

    /**
     * Pairs within one task: every rejected run against the best chosen run of the same task (accepted before
     * partial, higher score, then smaller run id), never a run with itself and never identical texts.
     */
    List<Rows.PreferencePair> preference(List<Run> runs, List<Rows.Quarantine> q) {
        Map<String, List<Run>> byTask = new TreeMap<>();
        for (Run r : runs) {
            byTask.computeIfAbsent(r.scored().taskId(), t -> new ArrayList<>()).add(r);
        }
        Map<String, Rows.PreferencePair> out = new TreeMap<>();
        Comparator<Run> best = Comparator.<Run>comparingInt(r -> "accepted".equals(r.scored().category()) ? 0 : 1)
                .thenComparing(r -> -r.scored().score()).thenComparing(r -> r.scored().runId());
        for (var e : byTask.entrySet()) {
            List<Run> group = e.getValue();
            if (group.size() < 2) {
                continue;
            }
            List<Run> chosenPool = group.stream().filter(r -> !r.scored().sftNever()
                    && ("accepted".equals(r.scored().category()) || "partially_accepted".equals(r.scored().category())))
                    .sorted(best).toList();
            List<Run> rejected = group.stream().filter(r -> "rejected".equals(r.scored().category())).toList();
            if (chosenPool.isEmpty()) {
                continue;
            }
            Run c = chosenPool.get(0);
            Set<String> used = new HashSet<>();
            for (Run r : rejected) {
                String chosenText = c.response();
                String rejectedText = r.response();
                if (c.scored().runId().equals(r.scored().runId())) {
                    q.add(q("preference", "self_pairing", r, "run " + r.scored().runId() + " cannot be paired with itself"));
                } else if (chosenText.isBlank() || rejectedText.isBlank()) {
                    q.add(q("preference", "empty_content", r, "chosen or rejected text is empty"));
                } else if (chosenText.equals(rejectedText)) {
                    q.add(q("preference", "invalid_preference_pairing", r,
                            "identical text for chosen " + c.scored().runId() + " and rejected " + r.scored().runId()));
                } else if (SSN.matcher(chosenText).find() || SSN.matcher(rejectedText).find()
                        || hasPii(c) || hasPii(r)) {
                    q.add(q("preference", "pii_detected", r, "personal data in the chosen or rejected text"));
                } else {
                    String id = id("pref-", c.scored().runId(), r.scored().runId());
                    if (!used.add(id) || out.containsKey(id)) {
                        q.add(q("preference", "duplicate_id", r, "pair " + id + " already exported"));
                        continue;
                    }
                    String created = c.scored().timestamp().compareTo(r.scored().timestamp()) >= 0
                            ? c.scored().timestamp() : r.scored().timestamp();
                    out.put(id, new Rows.PreferencePair(id, e.getKey(),
                            SourceClasses.instruction(r.evidence().sourceClass(), r.evidence().input()),
                            chosenText, rejectedText,
                            c.scored().category() + " run (score " + c.scored().score() + ") over a rejected one: "
                                    + String.join("; ", r.scored().reasons()),
                            c.scored().runId(), r.scored().runId(), created));
                }
            }
        }
        return new ArrayList<>(out.values());
    }

    private static boolean hasPii(Run r) {
        List<String> codes = r.scored().findingCodes();
        return codes != null && codes.stream().anyMatch(PII_CODES::contains);
    }

    /** Reads a JSONL file of any row type into nodes (for audits and tests). */
    public static List<JsonNode> readNodes(Blobs blobs, String key) {
        List<JsonNode> out = new ArrayList<>();
        blobs.get(key).ifPresent(b -> Jsonl.read(key, b, l -> {
            if (l.ok()) {
                out.add(l.node());
            }
        }));
        return out;
    }
}

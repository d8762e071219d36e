package com.lakehouse.distilld.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.lakehouse.distilld.store.Blobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
import java.util.function.Consumer;
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

    /** Default work directory for temporary sort runs and output files. */
    public static final Path DEFAULT_WORK_DIR = Path.of(System.getProperty("java.io.tmpdir"), "distilld");
    /** Default heap budget for sorting and grouping (see {@code lakehouse.distilld.export-buffer-bytes}). */
    public static final long DEFAULT_BUFFER_BYTES = 16L * 1024 * 1024;
    /** Sorters filling at the same time; each gets this share of the budget. */
    private static final int SORTERS = 4;

    private final Blobs blobs;
    private final Path workDir;
    private final long bufferBytes;

    public Exports(Blobs blobs) {
        this(blobs, DEFAULT_WORK_DIR, DEFAULT_BUFFER_BYTES);
    }

    /**
     * @param workDir     where the export's temporary files go (a fresh directory per run, deleted after)
     * @param bufferBytes heap the export may hold for sorting and grouping; past it, sorted runs spill to workDir
     */
    public Exports(Blobs blobs, Path workDir, long bufferBytes) {
        this.blobs = blobs;
        this.workDir = workDir;
        this.bufferBytes = bufferBytes;
    }

    /**
     * kind: sft | rag | preference | all; {@code progress} gets the stage done (0-3 of 4: load, sft and rag,
     * preference). Streams: evidence and scored files are read line by line, sorted by run id through
     * {@link SpillSorter}s, merge-joined, and every output goes through a temporary file; memory is bounded by
     * {@code bufferBytes} plus one run per stream, whatever the number of runs.
     */
    public Result run(String kind, boolean includePartial, LongConsumer progress) {
        Path dir;
        try {
            Files.createDirectories(workDir);
            dir = Files.createTempDirectory(workDir, "export-");
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a work directory under " + workDir, e);
        }
        try {
            return run(dir, kind, includePartial, progress);
        } finally {
            deleteTree(dir);
        }
    }

    private Result run(Path dir, String kind, boolean includePartial, LongConsumer progress) {
        boolean all = "all".equals(kind);
        boolean doSft = all || "sft".equals(kind);
        boolean doRag = all || "rag".equals(kind);
        boolean doPref = all || "preference".equals(kind);
        long share = Math.max(64 * 1024, bufferBytes / SORTERS);
        Map<String, Long> rows = new TreeMap<>();
        Map<String, Long> quarantined = new TreeMap<>();
        Map<String, String> sha = new TreeMap<>();
        long runs = 0;
        progress.accept(0);
        try (SpillSorter evidence = new SpillSorter(dir, "evidence", share);
             SpillSorter scored = new SpillSorter(dir, "scored", share);
             SpillSorter scoredQ = new SpillSorter(dir, "loader-q", share);
             JsonlOut loaderQ = new JsonlOut(dir, "loader-q")) {
            long[] seq = {0};
            for (String key : blobs.list(Materializer.EVIDENCE_PREFIX)) {
                if (key.endsWith(".jsonl")) {
                    read(key, l -> {
                        List<Rows.Quarantine> q = new ArrayList<>(1);
                        Rows.Evidence e = Loader.evidence(l, "loader", q);
                        q.forEach(loaderQ::write);
                        if (e != null) {
                            evidence.add(e.runId(), "", seq[0]++, l.raw(), null);
                        }
                    });
                }
            }
            // scored-phase loader rows keep the order of the scored lines (seq), even those found at the join
            long[] sseq = {0};
            for (String key : blobs.list(Scorer.SCORED_PREFIX)) {
                if (key.endsWith(".jsonl")) {
                    read(key, l -> {
                        long n = sseq[0]++;
                        List<Rows.Quarantine> q = new ArrayList<>(1);
                        Rows.Scored s = Loader.scored(l, "loader", q);
                        for (Rows.Quarantine r : q) {
                            scoredQ.add("", "", n, json(r), null);
                        }
                        if (s != null) {
                            scored.add(s.runId(), "", n, l.raw(), key + "\n" + l.number());
                        }
                    });
                }
            }
            progress.accept(1);
            try (JsonlOut sftQ = new JsonlOut(dir, "sft-q"); JsonlOut ragQ = new JsonlOut(dir, "rag-q");
                 SpillSorter sftRows = new SpillSorter(dir, "sft", share);
                 SpillSorter ragRows = new SpillSorter(dir, "rag", share);
                 SpillSorter byTask = new SpillSorter(dir, "by-task", share)) {
                runs = join(evidence, scored, scoredQ, run -> {
                    long n = run.seq();
                    if (doSft) {
                        sft(run.run(), includePartial, sftQ::write, row -> sftRows.add(row.id(), "", n, json(row), null));
                    }
                    if (doRag) {
                        rag(run.run(), ragQ::write, row -> ragRows.add(row.id(), "", n, json(row), null));
                    }
                    if (doPref) {
                        taskEntry(run, byTask);
                    }
                });
                evidence.close();
                scored.close();
                try (SpillSorter.Reader r = scoredQ.reader()) {
                    while (r.hasNext()) {
                        loaderQ.writeRaw(r.next().a());
                    }
                }
                finish("loader", null, null, loaderQ, rows, quarantined, sha);
                if (doSft) {
                    try (JsonlOut out = new JsonlOut(dir, "sft")) {
                        writeSorted(sftRows, out, sftQ, "sft");
                        finish("sft", SFT_KEY, out, sftQ, rows, quarantined, sha);
                    }
                }
                if (doRag) {
                    try (JsonlOut out = new JsonlOut(dir, "rag")) {
                        writeSorted(ragRows, out, ragQ, "rag");
                        finish("rag", RAG_KEY, out, ragQ, rows, quarantined, sha);
                    }
                }
                progress.accept(2);
                if (doPref) {
                    try (JsonlOut out = new JsonlOut(dir, "preference"); JsonlOut prefQ = new JsonlOut(dir, "preference-q");
                         SpillSorter pairs = new SpillSorter(dir, "pairs", share)) {
                        preference(byTask, prefQ::write, p -> pairs.add(p.id(), "", pairs.count(), json(p), null));
                        byTask.close();
                        writeSorted(pairs, out, prefQ, "preference");
                        finish("preference", PREFERENCE_KEY, out, prefQ, rows, quarantined, sha);
                    }
                }
                progress.accept(3);
            }
        }
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("scorer_version", Scorer.VERSION);
        manifest.put("runs", runs);
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

    private void read(String key, java.util.function.Consumer<Jsonl.Line> sink) {
        blobs.open(key).ifPresent(in -> Jsonl.read(key, in, sink));
    }

    private void finish(String exporter, String key, JsonlOut out, JsonlOut q, Map<String, Long> rows,
                        Map<String, Long> quarantined, Map<String, String> sha) {
        if (key != null) {
            sha.put(key, out.upload(blobs, key));
            rows.put(exporter, out.rows());
        }
        String qk = QUARANTINE_PREFIX + exporter + ".jsonl";
        sha.put(qk, q.upload(blobs, qk));
        quarantined.put(exporter, q.rows());
    }

    /**
     * Rows sorted by id into {@code out}; a repeated id (only possible on a 96-bit id prefix collision between two
     * different runs) keeps the first run's row and quarantines the later one, after the exporter's other rows.
     */
    private static void writeSorted(SpillSorter sorted, JsonlOut out, JsonlOut q, String exporter) {
        try (SpillSorter.Reader r = sorted.reader()) {
            String last = null;
            while (r.hasNext()) {
                SpillSorter.Entry e = r.next();
                if (e.key().equals(last)) {
                    JsonNode row = node(e.a());
                    q.write(new Rows.Quarantine(exporter, "duplicate_id", row,
                            List.of("row id " + e.key() + " already exported"), "1970-01-01T00:00:00Z", null));
                    continue;
                }
                last = e.key();
                out.writeRaw(e.a());
            }
        }
        sorted.close();
    }

    /** A joined run with the raw lines it came from (re-read when grouping for preference pairs) and its rank. */
    record Joined(Run run, long seq, String scoredRaw, String evidenceRaw) {
    }

    /**
     * Merge-join of evidence and scored runs, both sorted by run id: the last evidence line of a run id and the last
     * scored line win (as a map keyed by run id did); a scored run without evidence is quarantined as
     * {@code missing_provenance} at its scored line's place. Returns the number of joined runs.
     */
    private static long join(SpillSorter evidence, SpillSorter scored, SpillSorter scoredQ,
                             java.util.function.Consumer<Joined> sink) {
        long runs = 0;
        try (SpillSorter.Reader ev = evidence.reader(); SpillSorter.Reader sc = scored.reader()) {
            while (sc.hasNext()) {
                String id = sc.peek().key();
                String evRaw = null;
                while (ev.hasNext() && ev.peek().key().compareTo(id) < 0) {
                    ev.next();
                }
                while (ev.hasNext() && ev.peek().key().equals(id)) {
                    evRaw = ev.next().a();
                }
                SpillSorter.Entry last = null;
                while (sc.hasNext() && sc.peek().key().equals(id)) {
                    SpillSorter.Entry s = sc.next();
                    if (evRaw == null) {
                        Rows.Scored r = scoredRow(s.a());
                        int nl = s.b().lastIndexOf('\n');
                        long line = Long.parseLong(s.b().substring(nl + 1));
                        scoredQ.add("", "", s.seq(), json(new Rows.Quarantine("loader", "missing_provenance",
                                Canon.JSON.valueToTree(r), List.of("line " + line + ": no evidence for scored run " + r.runId()),
                                r.timestamp() == null ? "1970-01-01T00:00:00Z" : r.timestamp(),
                                new Rows.SourceProvenance(s.b().substring(0, nl), line))), null);
                    } else {
                        last = s;
                    }
                }
                if (last != null) {
                    sink.accept(new Joined(new Run(scoredRow(last.a()), evidenceRow(evRaw)), runs++, last.a(), evRaw));
                }
            }
        }
        return runs;
    }

    private static JsonNode node(String raw) {
        try {
            return Canon.JSON.readTree(raw);
        } catch (IOException e) {
            throw new UncheckedIOException("a sorted row no longer parses", e);
        }
    }

    private static Rows.Scored scoredRow(String raw) {
        try {
            return Canon.JSON.treeToValue(node(raw), Rows.Scored.class);
        } catch (IOException e) {
            throw new UncheckedIOException("a scored row no longer parses", e);
        }
    }

    private static Rows.Evidence evidenceRow(String raw) {
        try {
            return Canon.JSON.treeToValue(node(raw), Rows.Evidence.class);
        } catch (IOException e) {
            throw new UncheckedIOException("an evidence row no longer parses", e);
        }
    }

    private static String json(Object row) {
        try {
            return Canon.JSON.writeValueAsString(row);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) {
        try (var s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort: the next export uses a fresh directory
                }
            });
        } catch (IOException e) {
            // already gone
        }
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

    /** One run through the SFT firewall: a sample to {@code out} or a quarantine row to {@code q}. */
    static void sft(Run r, boolean includePartial, Consumer<Rows.Quarantine> q, Consumer<Rows.SftSample> out) {
        Rows.Scored s = r.scored();
        Set<String> codes = new TreeSet<>(s.findingCodes() == null ? List.of() : s.findingCodes());
        Set<String> pii = new TreeSet<>(codes);
        pii.retainAll(PII_CODES);
        Set<String> unsafe = new TreeSet<>(codes);
        unsafe.retainAll(Scorer.SFT_NEVER_CODES);
        String instruction = SourceClasses.instruction(r.evidence().sourceClass(), r.evidence().input());
        String response = r.response();
        if (!pii.isEmpty()) {
            q.accept(q("sft", "pii_detected", r, "validator finding " + pii + ": SFT-never"));
        } else if (!"accepted".equals(s.category()) && !"partially_accepted".equals(s.category())) {
            q.accept(q("sft", "unsafe_sft_category", r, "category " + s.category() + " is SFT-never"));
        } else if (!unsafe.isEmpty() || s.sftNever()) {
            q.accept(q("sft", "unsafe_sft_category", r, "validator finding " + unsafe + " (or scorer flag): SFT-never"));
        } else if ("partially_accepted".equals(s.category()) && !includePartial) {
            q.accept(q("sft", "category_disallowed", r, "partially_accepted runs are exported only with include_partial"));
        } else if (SSN.matcher(instruction).find() || SSN.matcher(response).find()) {
            q.accept(q("sft", "pii_detected", r, "an SSN-shaped number in the instruction or response"));
        } else if (response.isBlank()) {
            q.accept(q("sft", "empty_content", r, "the response is empty"));
        } else {
            String id = id("sft-", s.runId(), s.scorerVersion());
            out.accept(new Rows.SftSample(id, s.runId(), s.taskId(), r.evidence().sourceClass(),
                    r.evidence().sourceClass() + ".v1", instruction, response, s.category(),
                    "partially_accepted".equals(s.category()), s.scorerVersion(), s.score(), r.evidence().provenance()));
        }
    }

    /** One run for RAG: a row to {@code out} or a quarantine row to {@code q}. */
    static void rag(Run r, Consumer<Rows.Quarantine> q, Consumer<Rows.RagRow> out) {
        Rows.Scored s = r.scored();
        String input = SourceClasses.inputText(r.evidence().input());
        String response = r.response();
        Set<String> pii = new TreeSet<>(s.findingCodes() == null ? List.of() : s.findingCodes());
        pii.retainAll(PII_CODES);
        if (!"accepted".equals(s.category()) && !"partially_accepted".equals(s.category())) {
            q.accept(q("rag", "unsafe_rag_category", r, "category " + s.category() + " never reaches RAG"));
        } else if (!pii.isEmpty() || SSN.matcher(input).find() || SSN.matcher(response).find()) {
            q.accept(q("rag", "pii_detected", r, "personal data in the content " + pii));
        } else if (response.isBlank()) {
            q.accept(q("rag", "empty_content", r, "nothing to retrieve: the answer is empty"));
        } else {
            String id = id("rag-", s.runId());
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
            out.accept(new Rows.RagRow(id, title, "Task:\n" + input + "\n\nAnswer:\n" + response,
                    List.copyOf(tags), s.runId(), s.score(), s.category()));
        }
    }

    /**
     * A joined run's place in its task group, sorted by (task_id, sub): chosen candidates first ("0", accepted
     * before partial, higher score, smaller run id: the order that makes the first one the task's best), then
     * rejected runs ("1", by run id). Other runs never take part in a pair. A run without task_id has no group.
     */
    private static void taskEntry(Joined j, SpillSorter byTask) {
        Rows.Scored s = j.run().scored();
        if (s.taskId() == null) {
            return;
        }
        String cat = s.category();
        if (!s.sftNever() && ("accepted".equals(cat) || "partially_accepted".equals(cat))) {
            byTask.add(s.taskId(), "0" + ("accepted".equals(cat) ? "0" : "1") + sortable(-s.score()) + s.runId(),
                    j.seq(), j.scoredRaw(), j.evidenceRaw());
        } else if ("rejected".equals(cat)) {
            byTask.add(s.taskId(), "1" + s.runId(), j.seq(), j.scoredRaw(), j.evidenceRaw());
        }
    }

    /** 16 hex digits whose string order is {@link Double#compare}'s order. */
    static String sortable(double d) {
        long bits = Double.doubleToLongBits(d);
        bits ^= (bits >> 63) | Long.MIN_VALUE;
        return String.format("%016x", bits);
    }

    /**
     * Pairs within one task: every rejected run against the best chosen run of the same task (accepted before
     * partial, higher score, then smaller run id), never a run with itself and never identical texts. Reads the
     * task groups in order and holds one chosen run at a time.
     */
    static void preference(SpillSorter byTask, Consumer<Rows.Quarantine> q, Consumer<Rows.PreferencePair> out) {
        try (SpillSorter.Reader it = byTask.reader()) {
            String task = null;
            Run c = null;
            while (it.hasNext()) {
                SpillSorter.Entry e = it.next();
                if (!e.key().equals(task)) {
                    task = e.key();
                    c = e.sub().startsWith("0") ? new Run(scoredRow(e.a()), evidenceRow(e.b())) : null;
                    continue;
                }
                if (c == null || !e.sub().startsWith("1")) {
                    continue;  // no chosen run in this task, or a chosen candidate behind the best one
                }
                pair(task, c, new Run(scoredRow(e.a()), evidenceRow(e.b())), q, out);
            }
        }
    }

    private static void pair(String task, Run c, Run r, Consumer<Rows.Quarantine> q, Consumer<Rows.PreferencePair> out) {
        String chosenText = c.response();
        String rejectedText = r.response();
        if (c.scored().runId().equals(r.scored().runId())) {
            q.accept(q("preference", "self_pairing", r, "run " + r.scored().runId() + " cannot be paired with itself"));
        } else if (chosenText.isBlank() || rejectedText.isBlank()) {
            q.accept(q("preference", "empty_content", r, "chosen or rejected text is empty"));
        } else if (chosenText.equals(rejectedText)) {
            q.accept(q("preference", "invalid_preference_pairing", r,
                    "identical text for chosen " + c.scored().runId() + " and rejected " + r.scored().runId()));
        } else if (SSN.matcher(chosenText).find() || SSN.matcher(rejectedText).find() || hasPii(c) || hasPii(r)) {
            q.accept(q("preference", "pii_detected", r, "personal data in the chosen or rejected text"));
        } else {
            String id = id("pref-", c.scored().runId(), r.scored().runId());
            String created = c.scored().timestamp().compareTo(r.scored().timestamp()) >= 0
                    ? c.scored().timestamp() : r.scored().timestamp();
            out.accept(new Rows.PreferencePair(id, task,
                    SourceClasses.instruction(r.evidence().sourceClass(), r.evidence().input()),
                    chosenText, rejectedText,
                    c.scored().category() + " run (score " + c.scored().score() + ") over a rejected one: "
                            + String.join("; ", r.scored().reasons()),
                    c.scored().runId(), r.scored().runId(), created));
        }
    }

    private static boolean hasPii(Run r) {
        List<String> codes = r.scored().findingCodes();
        return codes != null && codes.stream().anyMatch(PII_CODES::contains);
    }

    /** Reads a JSONL file of any row type into nodes (for audits and tests). */
    public static List<JsonNode> readNodes(Blobs blobs, String key) {
        List<JsonNode> out = new ArrayList<>();
        forEachNode(blobs, key, out::add);
        return out;
    }

    /** Streams the readable rows of a JSONL file (for counting without holding the file). */
    public static void forEachNode(Blobs blobs, String key, Consumer<JsonNode> sink) {
        blobs.open(key).ifPresent(in -> Jsonl.read(key, in, l -> {
            if (l.ok()) {
                sink.accept(l.node());
            }
        }));
    }
}

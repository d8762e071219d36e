package com.lakehouse.distilld.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.lakehouse.distilld.store.Blobs;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongConsumer;

/**
 * Evidence -> scored runs by deterministic rules (no model calls), versioned by {@link #VERSION}. Sub-scores are
 * 1, 0 or null (unknown): schema_valid, validation_passed, grounded_in_roster, replay_succeeded, observer_verdict.
 * Category, first rule that holds: rejected (observer failure, validator said invalid, empty output);
 * needs_human_review (an SFT-never finding: ssn_detected, pay_disclosed, phantom_id; or no verdict at all);
 * partially_accepted (replay failed, never validated, or validator warnings); else accepted.
 */
public final class Scorer {
    public static final String VERSION = "rules-1.0.0";
    public static final String SCORED_PREFIX = "distill/scored/";
    /** Validator finding codes that make a run SFT-never whatever its category. */
    public static final Set<String> SFT_NEVER_CODES = Set.of("ssn_detected", "pay_disclosed", "phantom_id");

    public record Result(long evidenceRows, long scored, Map<String, Long> categories, long quarantined,
                         List<String> scoredFiles) {
    }

    private final Blobs blobs;

    public Scorer(Blobs blobs) {
        this.blobs = blobs;
    }

    /** Scores every stored evidence file; {@code progress} gets the number of evidence files done. */
    public Result run(String replayKey, LongConsumer progress) {
        Map<String, Boolean> replay = replayVerdicts(blobs, replayKey);
        Map<String, List<Rows.Scored>> byDay = new TreeMap<>();
        List<Rows.Quarantine> quarantine = new ArrayList<>();
        Map<String, Long> cats = new TreeMap<>();
        long[] n = {0};
        long files0 = 0;
        for (String key : blobs.list(Materializer.EVIDENCE_PREFIX)) {
            if (!key.endsWith(".jsonl")) {
                continue;
            }
            String day = key.substring(Materializer.EVIDENCE_PREFIX.length(), key.lastIndexOf('/'));
            List<Rows.Scored> out = byDay.computeIfAbsent(day, d -> new ArrayList<>());
            progress.accept(files0++);
            Jsonl.read(key, blobs.get(key).orElse(new byte[0]), line -> {
                n[0]++;
                Rows.Evidence ev = Loader.evidence(line, "scorer", quarantine);
                if (ev == null) {
                    return;
                }
                Rows.Scored s = score(ev, replay.get(ev.runId()));
                cats.merge(s.category(), 1L, Long::sum);
                out.add(s);
            });
        }
        List<String> files = new ArrayList<>();
        long scored = 0;
        for (var e : byDay.entrySet()) {
            List<Rows.Scored> rows = e.getValue();
            rows.sort(java.util.Comparator.comparing(Rows.Scored::runId));
            String k = SCORED_PREFIX + e.getKey() + "/scored.jsonl";
            blobs.put(k, Canon.jsonl(rows));
            files.add(k);
            scored += rows.size();
        }
        blobs.put(Exports.QUARANTINE_PREFIX + "scorer.jsonl", Canon.jsonl(quarantine));
        return new Result(n[0], scored, cats, quarantine.size(), files);
    }

    /** replayd verdicts that count as replay_succeeded = 1 (regression: same, improved; exemplar: pass, escalated_pass). */
    static final Set<String> PASSING_REPLAY = Set.of("same", "improved", "pass", "escalated_pass");

    /** Replay verdicts by original run id from replayd's rows (a passing verdict = true; regressed, fail, error = false). */
    static Map<String, Boolean> replayVerdicts(Blobs blobs, String key) {
        Map<String, Boolean> out = new HashMap<>();
        if (key == null) {
            return out;
        }
        blobs.get(key).ifPresent(bytes -> Jsonl.read(key, bytes, l -> {
            if (!l.ok()) {
                return;
            }
            String run = Materializer.str(l.node(), "original_run_id");
            if (run == null) {
                run = Materializer.str(l.node(), "run_id");
            }
            String verdict = Materializer.str(l.node(), "verdict");
            if (run != null && verdict != null) {
                out.put(run, PASSING_REPLAY.contains(verdict));
            }
        }));
        return out;
    }

    public static Rows.Scored score(Rows.Evidence ev, Boolean replayPassed) {
        JsonNode out = ev.output();
        boolean hasOutput = out != null && !out.isNull() && !out.isMissingNode()
                && !(out.isTextual() && out.asText().isBlank()) && !(out.isContainerNode() && out.isEmpty());
        Double schemaValid = hasOutput ? 1.0 : 0.0;
        JsonNode v = ev.validation();
        Set<String> codes = new TreeSet<>();
        Set<String> errorCodes = new TreeSet<>();
        Double validationPassed = null;
        Double grounded = null;
        if (v != null && v.isObject()) {
            JsonNode f = v.get("findings");
            if (f != null && f.isArray()) {
                for (JsonNode x : f) {
                    String c = x.path("code").asText("");
                    if (!c.isEmpty()) {
                        codes.add(c);
                        if ("error".equalsIgnoreCase(x.path("severity").asText(""))) {
                            errorCodes.add(c);
                        }
                    }
                }
            }
            JsonNode valid = v.get("valid");
            validationPassed = valid != null && valid.isBoolean() ? (valid.asBoolean() ? 1.0 : 0.0)
                    : (errorCodes.isEmpty() ? 1.0 : 0.0);
            grounded = codes.contains("phantom_id") ? 0.0 : 1.0;
        }
        Double replayScore = replayPassed == null ? null : (replayPassed ? 1.0 : 0.0);
        Boolean success = ev.outcome() == null ? null : ev.outcome().success();
        Double observer = success == null ? null : (success ? 1.0 : 0.0);
        Rows.SubScores sub = new Rows.SubScores(schemaValid, validationPassed, grounded, replayScore, observer);

        Set<String> unsafe = new TreeSet<>(codes);
        unsafe.retainAll(SFT_NEVER_CODES);
        Set<String> warnings = new TreeSet<>(codes);
        warnings.removeAll(SFT_NEVER_CODES);
        List<String> reasons = new ArrayList<>();
        String category;
        if (Double.valueOf(0.0).equals(observer)) {
            reasons.add("observer: the operation failed" + (ev.outcome().error() != null ? " (" + ev.outcome().error() + ")" : ""));
        }
        if (Double.valueOf(0.0).equals(validationPassed)) {
            reasons.add("validator: artifact invalid" + (codes.isEmpty() ? "" : " " + codes));
        }
        if (!hasOutput) {
            reasons.add("schema: empty or missing output");
        }
        if (!reasons.isEmpty()) {
            category = "rejected";
            if (!unsafe.isEmpty()) {
                reasons.add("SFT-never finding " + unsafe);
            }
        } else if (!unsafe.isEmpty()) {
            category = "needs_human_review";
            reasons.add("SFT-never finding " + unsafe);
        } else if (observer == null && validationPassed == null && replayScore == null) {
            category = "needs_human_review";
            reasons.add("no verdict: neither observer, validator nor replay judged this run");
        } else {
            if (Double.valueOf(0.0).equals(replayScore)) {
                reasons.add("replay: failed against today's fleet");
            }
            if (validationPassed == null) {
                reasons.add("validator: never validated");
            }
            if (!warnings.isEmpty()) {
                reasons.add("validator warnings " + warnings);
            }
            if (reasons.isEmpty()) {
                category = "accepted";
                reasons.add("all checks passed");
            } else {
                category = "partially_accepted";
            }
        }
        double sum = 0;
        int known = 0;
        for (Double d : new Double[]{schemaValid, validationPassed, grounded, replayScore, observer}) {
            if (d != null) {
                sum += d;
                known++;
            }
        }
        double score = known == 0 ? 0 : BigDecimal.valueOf(sum / known).setScale(4, RoundingMode.HALF_UP).doubleValue();
        boolean sftNever = "rejected".equals(category) || "needs_human_review".equals(category) || !unsafe.isEmpty();
        return new Rows.Scored(ev.runId(), ev.taskId(), ev.timestamp(), ev.sourceClass(), VERSION, category, score,
                reasons, sub, sftNever, List.copyOf(codes), ev.provenance());
    }
}

package com.lakehouse.distilld.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.lakehouse.distilld.store.Blobs;
import com.lakehouse.distilld.store.DirBlobs;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** The learning loop end to end over a real directory store. */
class DistillPipelineTest {
    static Blobs fresh() throws Exception {
        return new DirBlobs(Files.createTempDirectory("distill"));
    }

    static void pipeline(Blobs b, boolean partial) {
        Materializer m = new Materializer(b);
        m.run(m.segments(null, null), true, x -> { }, null);
        new Scorer(b).run(null, x -> { });
        new Exports(b).run("all", partial, x -> { });
    }

    static List<JsonNode> all(Blobs b, String prefix) {
        List<JsonNode> out = new ArrayList<>();
        for (String k : b.list(prefix)) {
            out.addAll(Exports.readNodes(b, k));
        }
        return out;
    }

    @Test
    void plantedSftNeverRecordsNeverReachTheSftExport() throws Exception {
        Blobs b = fresh();
        Fixtures.write(b, 600, 11, 150);
        pipeline(b, true);
        Set<String> planted = new HashSet<>();
        for (JsonNode s : all(b, Scorer.SCORED_PREFIX)) {
            boolean unsafeFinding = false;
            for (JsonNode c : s.path("finding_codes")) {
                unsafeFinding |= Set.of("ssn_detected", "pay_disclosed", "phantom_id").contains(c.asText());
            }
            if (unsafeFinding || List.of("rejected", "needs_human_review").contains(s.path("category").asText())) {
                planted.add(s.path("run_id").asText());
            }
        }
        assertTrue(planted.size() > 50, "the fixtures plant SFT-never runs: " + planted.size());
        List<JsonNode> sft = Exports.readNodes(b, Exports.SFT_KEY);
        assertTrue(sft.size() > 100, "good runs are exported: " + sft.size());
        for (JsonNode s : sft) {
            assertFalse(planted.contains(s.path("run_id").asText()), "leaked " + s);
            assertFalse(Exports.SSN.matcher(s.toString()).find(), "SSN shape in " + s);
        }
        // the unflagged SSN in a chat answer (not flagged by a validator) is caught by the firewall's own scan
        assertTrue(Exports.readNodes(b, Exports.QUARANTINE_PREFIX + "sft.jsonl").stream()
                .anyMatch(q -> q.path("reason").asText().equals("pii_detected") && q.path("source_record").path("category").asText().equals("partially_accepted")));
        assertTrue(sft.stream().anyMatch(s -> s.path("partial").asBoolean()), "partial samples are flagged when asked for");
    }

    @Test
    void exportingTwiceGivesIdenticalBytesAcrossStores() throws Exception {
        Blobs a = fresh();
        Blobs c = fresh();
        Fixtures.write(a, 300, 5, 70);
        Fixtures.write(c, 300, 5, 70);
        pipeline(a, false);
        byte[] sft1 = a.get(Exports.SFT_KEY).orElseThrow();
        byte[] pref1 = a.get(Exports.PREFERENCE_KEY).orElseThrow();
        new Exports(a).run("all", false, x -> { });
        pipeline(c, false);
        for (String k : List.of(Exports.SFT_KEY, Exports.RAG_KEY, Exports.PREFERENCE_KEY, Exports.MANIFEST_KEY,
                Exports.QUARANTINE_PREFIX + "sft.jsonl", Exports.QUARANTINE_PREFIX + "preference.jsonl")) {
            assertArrayEquals(a.get(k).orElseThrow(), c.get(k).orElseThrow(), k);
        }
        assertArrayEquals(sft1, a.get(Exports.SFT_KEY).orElseThrow());
        assertArrayEquals(pref1, a.get(Exports.PREFERENCE_KEY).orElseThrow());
        assertTrue(sft1.length > 0 && pref1.length > 0);
    }

    @Test
    void corruptAndTruncatedLinesAreQuarantinedWithTheirLineNumber() throws Exception {
        Blobs b = fresh();
        String good1 = "{\"op_id\":\"g1\",\"timestamp\":\"2026-11-25T10:00:00Z\",\"source\":\"chatd\",\"endpoint\":\"/v1/chat\",\"success\":true,\"result\":{\"text\":\"hi\"}}";
        String noEndpoint = "{\"op_id\":\"g2\",\"timestamp\":\"2026-11-25T10:00:01Z\",\"source\":\"chatd\"}";
        String good3 = good1.replace("g1", "g3");
        String truncated = "{\"op_id\":\"g4\",\"timestamp\":\"2026-11-2";
        b.put("observer/ops/2026/11/25/seg-1.jsonl",
                (good1 + "\n{not json at all\n" + noEndpoint + "\n" + good3 + "\n" + truncated).getBytes(StandardCharsets.UTF_8));
        Materializer m = new Materializer(b);
        Materializer.Result r = m.run(m.segments(null, null), true, x -> { }, null);
        assertEquals(2, r.evidenceRows());
        assertEquals(3, r.quarantined());
        List<JsonNode> q = Exports.readNodes(b, Exports.QUARANTINE_PREFIX + "materializer.jsonl");
        assertEquals(List.of(2L, 3L, 5L), q.stream().map(x -> x.path("source_provenance").path("line_offset").asLong()).toList());
        assertTrue(q.get(0).path("errors").get(0).asText().startsWith("line 2:"));
        assertTrue(q.get(2).path("errors").get(0).asText().contains("truncated"));
        assertEquals("schema_violation", q.get(1).path("reason").asText());
        assertEquals(List.of("g1", "g3"), Exports.readNodes(b, "distill/evidence/2026/11/25/evidence.jsonl").stream()
                .map(e -> e.path("run_id").asText()).toList());
        // a corrupt evidence line does not kill scoring either
        byte[] ev = b.get("distill/evidence/2026/11/25/evidence.jsonl").orElseThrow();
        b.put("distill/evidence/2026/11/25/evidence.jsonl", (new String(ev, StandardCharsets.UTF_8) + "{broken\n").getBytes(StandardCharsets.UTF_8));
        Scorer.Result s = new Scorer(b).run(null, x -> { });
        assertEquals(2, s.scored());
        assertEquals(3L, Exports.readNodes(b, Exports.QUARANTINE_PREFIX + "scorer.jsonl").get(0).path("source_provenance").path("line_offset").asLong());
    }

    @Test
    void rewritingADayFileQuarantinesEveryOldLineItCannotMapAndKeepsTheLine() throws Exception {
        Blobs b = fresh();
        String day = "distill/evidence/2026/11/25/evidence.jsonl";
        b.put("observer/ops/2026/11/25/seg-1.jsonl", (op("k1", "K", true, "W-1 ok", null) + "\n").getBytes(StandardCharsets.UTF_8));
        Materializer m = new Materializer(b);
        m.run(m.segments(null, null), true, x -> { }, null);
        String kept = new String(b.get(day).orElseThrow(), StandardCharsets.UTF_8);
        // the day file gets three lines that are not evidence: not JSON, no run_id, a field of the wrong shape
        b.put(day, (kept + "{torn\n{\"task_id\":\"T\"}\n{\"run_id\":\"bad\",\"tags\":{\"a\":1}}\n").getBytes(StandardCharsets.UTF_8));
        b.put("observer/ops/2026/11/25/seg-2.jsonl", (op("k2", "K", true, "W-2 ok", null) + "\n").getBytes(StandardCharsets.UTF_8));
        Materializer.Result r = m.run(m.segments(null, null), true, x -> { }, null);
        assertEquals(3, r.quarantined());
        String rewritten = new String(b.get(day).orElseThrow(), StandardCharsets.UTF_8);
        List<String> rewrittenLines = rewritten.lines().toList();
        assertEquals(5, rewrittenLines.size(), rewritten);
        assertTrue(rewrittenLines.get(0).contains("\"run_id\":\"k1\"") && rewrittenLines.get(1).contains("\"run_id\":\"k2\""), rewritten);
        assertEquals(List.of("{torn", "{\"task_id\":\"T\"}", "{\"run_id\":\"bad\",\"tags\":{\"a\":1}}"),
                rewrittenLines.subList(2, 5), "the lines it cannot map are kept, byte for byte");
        List<JsonNode> q = Exports.readNodes(b, Exports.QUARANTINE_PREFIX + "materializer.jsonl");
        assertEquals(List.of(2L, 3L, 4L), q.stream().map(x -> x.path("source_provenance").path("line_offset").asLong()).toList());
        assertTrue(q.stream().allMatch(x -> x.path("source_provenance").path("source_file").asText().equals(day)
                && x.path("reason").asText().equals("schema_violation")), q.toString());
        assertTrue(q.get(0).path("errors").get(0).asText().startsWith("evidence line 2: unreadable JSON"), q.toString());
        assertTrue(q.get(1).path("errors").get(0).asText().contains("run_id is missing"), q.toString());
        assertTrue(q.get(2).path("errors").get(0).asText().contains("does not map to evidence.v1"), q.toString());
        assertEquals("{torn", q.get(0).path("source_record").asText());
        // the next run gives the same day file and quarantines the same three lines again (they are still there)
        Materializer.Result again = m.run(m.segments(null, null), true, x -> { }, null);
        assertEquals(3, again.quarantined());
        assertEquals(rewritten, new String(b.get(day).orElseThrow(), StandardCharsets.UTF_8));
    }

    static String op(String id, String task, boolean valid, String text, String code) {
        String findings = code == null ? "[]" : "[{\"code\":\"" + code + "\",\"kind\":\"Policy\",\"field\":\"workers\",\"message\":\"m\",\"severity\":\"error\"}]";
        return "{\"op_id\":\"" + id + "\",\"timestamp\":\"2026-11-25T10:00:0" + id.length() + "Z\",\"source\":\"validatord\","
                + "\"endpoint\":\"/v1/iterate\",\"kind\":\"fill\",\"task_id\":\"" + task + "\",\"request\":{\"prompt\":\"fill 2 welders\"},"
                + "\"result\":{\"artifact\":{\"text\":\"" + text + "\"},\"validation\":{\"valid\":" + valid + ",\"findings\":" + findings + "}},"
                + "\"success\":true}";
    }

    @Test
    void preferencePairsStayInOneTaskNeverSelfOrIdentical() throws Exception {
        Blobs b = fresh();
        String lines = String.join("\n",
                op("a1", "A", false, "W-999 phantom", "phantom_id"), op("a2", "A", true, "W-101 real", null),
                op("b1", "B", false, "same text", "schema"), op("b2", "B", true, "same text", null),
                op("c1", "C", true, "only good", null), op("c2", "C", true, "also good", null),
                op("d1", "D", false, "bad in D", "schema"), op("e1", "E", true, "good in E", null),
                op("f1", "F", false, "bad in F", "schema"), op("f2", "F", true, "flagged in F", "ssn_detected")) + "\n";
        b.put("observer/ops/2026/11/25/seg-p.jsonl", lines.getBytes(StandardCharsets.UTF_8));
        pipeline(b, false);
        List<JsonNode> pairs = Exports.readNodes(b, Exports.PREFERENCE_KEY);
        assertEquals(1, pairs.size(), pairs.toString());
        JsonNode p = pairs.get(0);
        assertEquals("a2", p.path("chosen_run_id").asText());
        assertEquals("a1", p.path("rejected_run_id").asText());
        assertEquals("A", p.path("task_id").asText());
        assertEquals("2026-11-25T10:00:02Z", p.path("created_at").asText());
        List<JsonNode> q = Exports.readNodes(b, Exports.QUARANTINE_PREFIX + "preference.jsonl");
        assertTrue(q.stream().anyMatch(x -> x.path("reason").asText().equals("invalid_preference_pairing")
                && x.path("source_record").path("run_id").asText().equals("b1")));
        // f2 is valid but carries ssn_detected: it is never a chosen answer, so F has no pair
        assertTrue(pairs.stream().noneMatch(x -> x.path("chosen_run_id").asText().equals("f2")));
    }

    @Test
    void producedFilesMatchTheirContractSchemas() throws Exception {
        Blobs b = fresh();
        Fixtures.write(b, 200, 3, 200);
        pipeline(b, true);
        new Auditor(b).baseline("abc123", 0.2, Instant.parse("2026-11-25T12:00:00Z"));
        Map<String, String> schemas = new java.util.LinkedHashMap<>();
        schemas.put("observer/ops/", "observed_op.v1");
        schemas.put(Materializer.EVIDENCE_PREFIX, "evidence.v1");
        schemas.put(Scorer.SCORED_PREFIX, "scored_run.v1");
        schemas.put(Exports.SFT_KEY, "sft_sample.v1");
        schemas.put(Exports.RAG_KEY, "rag_row.v1");
        schemas.put(Exports.PREFERENCE_KEY, "preference_pair.v1");
        schemas.put(Exports.QUARANTINE_PREFIX, "quarantine_row.v1");
        schemas.put(Auditor.BASELINES_KEY, "audit_baseline.v1");
        for (var e : schemas.entrySet()) {
            List<JsonNode> rows = all(b, e.getKey());
            assertFalse(rows.isEmpty(), e.getKey());
            for (JsonNode r : rows) {
                assertEquals(List.of(), SchemaCheck.problems(e.getValue(), r), e.getKey() + " " + r);
            }
        }
        // a row missing a required field is caught by the same schema (the contract test can fail)
        JsonNode bad = Exports.readNodes(b, Exports.SFT_KEY).get(0).deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) bad).remove("provenance");
        assertFalse(SchemaCheck.problems("sft_sample.v1", bad).isEmpty());
        JsonNode replay = Canon.JSON.readTree("{\"run_id\":\"r1\",\"task_id\":\"t1\",\"mode\":\"regression\",\"verdict\":\"same\",\"replayed_at\":\"2026-11-25T10:00:00Z\"}");
        assertEquals(List.of(), SchemaCheck.problems("replay_run.v1", replay));
    }

    @Test
    void auditBaselineWarnsPastTwentyPercentDrift() throws Exception {
        Blobs b = fresh();
        Fixtures.write(b, 200, 3, 200);
        pipeline(b, false);
        Auditor a = new Auditor(b);
        Rows.AuditBaseline first = a.baseline("c1", 0.2, Instant.parse("2026-11-25T12:00:00Z"));
        assertTrue(first.warnings().isEmpty());
        assertTrue(first.metrics().get("evidence_rows") >= 200);
        Fixtures.write(b, 200, 4, 200);
        pipeline(b, false);
        Rows.AuditBaseline second = a.baseline("c2", 0.2, Instant.parse("2026-11-25T13:00:00Z"));
        assertTrue(second.warnings().stream().anyMatch(w -> w.startsWith("evidence_rows drifted")), second.warnings().toString());
        assertEquals(2, Exports.readNodes(b, Auditor.BASELINES_KEY).size());
    }

    @Test
    void acceptanceInvariantsHoldAndReproduce() throws Exception {
        Invariants.Outcome one = Invariants.check(fresh());
        Invariants.Outcome two = Invariants.check(fresh());
        assertTrue(one.results().size() >= 22);
        assertEquals(List.of(), one.failed());
        assertEquals(one.runHash(), two.runHash());
    }

    @Test
    void replaydVerdictsFeedTheReplaySubScore() throws Exception {
        Blobs b = fresh();
        b.put("observer/ops/2026/11/25/seg-r.jsonl", (op("r1", "R", true, "W-1 ok", null) + "\n"
                + op("r2", "R", true, "W-2 ok", null) + "\n").getBytes(StandardCharsets.UTF_8));
        b.put("replay/replay_runs.jsonl", ("{\"run_id\":\"x1\",\"task_id\":\"R\",\"mode\":\"regression\",\"verdict\":\"regressed\","
                + "\"replayed_at\":\"2026-11-25T11:00:00Z\",\"original_run_id\":\"r1\"}\n"
                + "{\"run_id\":\"x2\",\"task_id\":\"R\",\"mode\":\"regression\",\"verdict\":\"same\","
                + "\"replayed_at\":\"2026-11-25T11:00:00Z\",\"original_run_id\":\"r2\"}\n").getBytes(StandardCharsets.UTF_8));
        Materializer m = new Materializer(b);
        m.run(m.segments(null, null), true, x -> { }, null);
        new Scorer(b).run("replay/replay_runs.jsonl", x -> { });
        List<JsonNode> s = all(b, Scorer.SCORED_PREFIX);
        assertEquals(0.0, s.get(0).path("sub_scores").path("replay_succeeded").asDouble(-1));
        assertEquals("partially_accepted", s.get(0).path("category").asText());
        assertEquals(1.0, s.get(1).path("sub_scores").path("replay_succeeded").asDouble(-1));
        assertEquals("accepted", s.get(1).path("category").asText());
    }
}

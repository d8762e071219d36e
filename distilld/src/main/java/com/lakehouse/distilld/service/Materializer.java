package com.lakehouse.distilld.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.lakehouse.distilld.store.Blobs;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongConsumer;

/**
 * Observed runs -> evidence. Reads observerd's segments ({@code observer/ops/yyyy/mm/dd/*.jsonl}), makes one
 * evidence record per run with provenance {source_file, line_offset, sig_hash, recorded_at}, and merges them by
 * run id into {@code distill/evidence/YYYY/MM/DD/evidence.jsonl} (sorted by run id), so materializing the same
 * runs again changes nothing. Bad lines go to {@code distill/exports/quarantine/materializer.jsonl}, and so does
 * every line of an existing day file that cannot be mapped back to evidence when the file is rewritten (the line
 * itself stays in the day file): the materializer never drops a line.
 */
public final class Materializer {
    public static final String OPS_PREFIX = "observer/ops/";
    public static final String EVIDENCE_PREFIX = "distill/evidence/";
    public static final String SCHEMA_VERSION = "evidence.v1";
    /**
     * Quarantine reason of an earlier evidence line that does not map to {@link #SCHEMA_VERSION} (one of the
     * quarantine_row.v1 reasons); its error says "evidence line N" and why.
     */
    static final String UNMAPPABLE_EVIDENCE = "schema_violation";
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);

    public record Result(int segments, long lines, long evidenceRows, long skipped, long quarantined,
                         List<String> evidenceFiles) {
    }

    private final Blobs blobs;

    public Materializer(Blobs blobs) {
        this.blobs = blobs;
    }

    /** Segment keys whose day directory is within [fromDay, toDay] (yyyy/MM/dd strings, null = open). */
    public List<String> segments(String fromDay, String toDay) {
        List<String> out = new ArrayList<>();
        for (String k : blobs.list(OPS_PREFIX)) {
            if (!k.endsWith(".jsonl")) {
                continue;
            }
            String rest = k.substring(OPS_PREFIX.length());
            String day = rest.length() >= 10 ? rest.substring(0, 10) : "";
            if ((fromDay == null || day.compareTo(fromDay) >= 0) && (toDay == null || day.compareTo(toDay) <= 0)) {
                out.add(k);
            }
        }
        return out;
    }

    /** Materializes ({@code progress} gets the number of segments done); with {@code write=false} only counts (the audit's dry run) and returns the evidence it would write. */
    public Result run(List<String> segmentKeys, boolean write, LongConsumer progress, Map<String, List<Rows.Evidence>> sink) {
        Map<String, Map<String, Rows.Evidence>> byDay = new TreeMap<>();
        List<Rows.Quarantine> quarantine = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        long[] lines = {0};
        long[] skipped = {0};
        long segDone = 0;
        for (String key : segmentKeys) {
            progress.accept(segDone++);
            byte[] bytes = blobs.get(key).orElse(null);
            if (bytes == null) {
                continue;
            }
            String segDay = segmentDay(key);
            Jsonl.read(key, bytes, line -> {
                lines[0]++;
                Rows.SourceProvenance sp = new Rows.SourceProvenance(key, line.number());
                if (!line.ok()) {
                    quarantine.add(new Rows.Quarantine("materializer", "schema_violation", Jsonl.rawRecord(line.raw()),
                            List.of(line.error()), segDay, sp));
                    return;
                }
                JsonNode op = line.node();
                String runId = str(op, "op_id");
                String recordedAt = instant(str(op, "timestamp"));
                if (runId == null) {
                    quarantine.add(new Rows.Quarantine("materializer", "missing_source_run_id", op,
                            List.of("line " + line.number() + ": op_id is missing"), recordedAt == null ? segDay : recordedAt, sp));
                    return;
                }
                List<String> errs = new ArrayList<>();
                if (str(op, "endpoint") == null) {
                    errs.add("line " + line.number() + ": endpoint is missing");
                }
                if (recordedAt == null) {
                    errs.add("line " + line.number() + ": timestamp is missing or not ISO-8601");
                }
                if (!errs.isEmpty()) {
                    quarantine.add(new Rows.Quarantine("materializer", "schema_violation", op, errs,
                            recordedAt == null ? segDay : recordedAt, sp));
                    return;
                }
                if (!seen.add(runId)) {
                    skipped[0]++;
                    quarantine.add(new Rows.Quarantine("materializer", "duplicate_id", op,
                            List.of("line " + line.number() + ": run " + runId + " was already materialized from an earlier line"),
                            recordedAt, sp));
                    return;
                }
                Rows.Evidence ev = evidence(op, runId, recordedAt, key, line.number(), Canon.sha256(line.raw()));
                byDay.computeIfAbsent(DAY.format(Instant.parse(recordedAt)), d -> new TreeMap<>()).put(runId, ev);
            });
        }
        List<String> files = new ArrayList<>();
        long rows = 0;
        for (var day : byDay.entrySet()) {
            String fileKey = EVIDENCE_PREFIX + day.getKey() + "/evidence.jsonl";
            files.add(fileKey);
            Map<String, Rows.Evidence> merged = new TreeMap<>();
            List<String> unmappable = new ArrayList<>();
            if (write) {
                // merge with what an earlier run wrote for the same day: idempotent per run id. An old line that
                // cannot be mapped back to evidence is never dropped: it stays in the day file, byte for byte
                // after the rows, and goes to this run's quarantine with why (every run, like any bad line).
                String dayAt = day.getKey().replace('/', '-') + "T00:00:00Z";
                blobs.get(fileKey).ifPresent(old -> Jsonl.read(fileKey, old, l -> {
                    Rows.SourceProvenance sp = new Rows.SourceProvenance(fileKey, l.number());
                    int before = quarantine.size();
                    mapOld(l, merged, quarantine, dayAt, sp);
                    if (quarantine.size() > before) {
                        unmappable.add(l.raw());
                    }
                }));
            }
            merged.putAll(day.getValue());
            rows += day.getValue().size();
            if (write) {
                byte[] body = Canon.jsonl(merged.values());
                if (!unmappable.isEmpty()) {
                    StringBuilder tail = new StringBuilder();
                    unmappable.forEach(raw -> tail.append(raw).append('\n'));
                    byte[] t = utf8(tail.toString());
                    byte[] all = java.util.Arrays.copyOf(body, body.length + t.length);
                    System.arraycopy(t, 0, all, body.length, t.length);
                    body = all;
                }
                blobs.put(fileKey, body);
            }
            if (sink != null) {
                sink.put(fileKey, new ArrayList<>(merged.values()));
            }
        }
        if (write) {
            blobs.put(Exports.QUARANTINE_PREFIX + "materializer.jsonl", Canon.jsonl(quarantine));
        }
        return new Result(segmentKeys.size(), lines[0], rows, skipped[0], quarantine.size(), files);
    }

    /** One line of an existing day file back into {@code merged}, or a quarantine row saying why it cannot be. */
    private static void mapOld(Jsonl.Line l, Map<String, Rows.Evidence> merged, List<Rows.Quarantine> quarantine,
                               String dayAt, Rows.SourceProvenance sp) {
        if (!l.ok()) {
            quarantine.add(new Rows.Quarantine("materializer", UNMAPPABLE_EVIDENCE, Jsonl.rawRecord(l.raw()),
                    List.of("evidence " + l.error()), dayAt, sp));
            return;
        }
        try {
            Rows.Evidence e = Canon.JSON.treeToValue(l.node(), Rows.Evidence.class);
            if (e.runId() == null) {
                quarantine.add(new Rows.Quarantine("materializer", UNMAPPABLE_EVIDENCE, l.node(),
                        List.of("evidence line " + l.number() + ": run_id is missing"), dayAt, sp));
                return;
            }
            merged.put(e.runId(), e);
        } catch (Exception ex) {
            String m = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
            int cut = m.indexOf('\n');
            quarantine.add(new Rows.Quarantine("materializer", UNMAPPABLE_EVIDENCE, l.node(),
                    List.of("evidence line " + l.number() + ": does not map to " + SCHEMA_VERSION + ": "
                            + (cut > 0 ? m.substring(0, cut) : m)), dayAt, sp));
        }
    }

    static Rows.Evidence evidence(JsonNode op, String runId, String recordedAt, String file, long line, String sig) {
        String endpoint = str(op, "endpoint");
        String kind = str(op, "kind");
        String model = str(op, "model");
        String source = str(op, "source");
        String taskId = str(op, "task_id") != null ? str(op, "task_id")
                : (str(op, "request_id") != null ? str(op, "request_id") : runId);
        JsonNode result = op.get("result");
        JsonNode output = result;
        JsonNode validation = null;
        if (result != null && result.isObject()) {
            if (result.has("artifact")) {
                output = result.get("artifact");
            }
            if (result.has("validation") && result.get("validation").isObject()) {
                validation = result.get("validation");
            }
        }
        String cls = SourceClasses.classify(endpoint, kind);
        JsonNode success = op.get("success");
        JsonNode latency = op.get("latency_ms");
        Rows.Outcome outcome = new Rows.Outcome(success != null && success.isBoolean() ? success.asBoolean() : null,
                str(op, "error"), latency != null && latency.canConvertToLong() ? latency.asLong() : null, endpoint, source);
        List<String> tags = new ArrayList<>();
        if (op.get("tags") != null && op.get("tags").isArray()) {
            op.get("tags").forEach(t -> tags.add(t.asText()));
        }
        return new Rows.Evidence(runId, taskId, recordedAt, SCHEMA_VERSION, cls, SourceClasses.modelRole(cls, model, source),
                nullIfMissing(op.get("request")), nullIfMissing(output), validation, outcome,
                new Rows.Provenance(file, line, sig, recordedAt), tags);
    }

    private static JsonNode nullIfMissing(JsonNode n) {
        return n == null || n.isMissingNode() ? com.fasterxml.jackson.databind.node.NullNode.instance : n;
    }

    static String str(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() || !v.isValueNode() || v.asText().isBlank() ? null : v.asText();
    }

    static String instant(String s) {
        if (s == null) {
            return null;
        }
        try {
            return Instant.parse(s).toString();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The segment's day as an instant (from its key), for rows whose own time is unknown. */
    static String segmentDay(String key) {
        String rest = key.startsWith(OPS_PREFIX) ? key.substring(OPS_PREFIX.length()) : key;
        if (rest.length() >= 10 && rest.substring(0, 10).matches("\\d{4}/\\d{2}/\\d{2}")) {
            return rest.substring(0, 10).replace('/', '-') + "T00:00:00Z";
        }
        return "1970-01-01T00:00:00Z";
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

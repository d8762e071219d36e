package com.lakehouse.distilld.service;

import java.util.ArrayList;
import java.util.List;

/** Turns JSONL lines back into rows; anything unreadable becomes a quarantine row with its line number. */
final class Loader {
    private Loader() {
    }

    static Rows.Evidence evidence(Jsonl.Line line, String exporter, List<Rows.Quarantine> quarantine) {
        Rows.SourceProvenance sp = new Rows.SourceProvenance(line.file(), line.number());
        if (!line.ok()) {
            quarantine.add(new Rows.Quarantine(exporter, "schema_violation", Jsonl.rawRecord(line.raw()),
                    List.of(line.error()), Materializer.segmentDay(line.file().replace(Materializer.EVIDENCE_PREFIX, "")), sp));
            return null;
        }
        Rows.Evidence ev;
        try {
            ev = Canon.JSON.treeToValue(line.node(), Rows.Evidence.class);
        } catch (Exception e) {
            quarantine.add(new Rows.Quarantine(exporter, "schema_violation", line.node(),
                    List.of("line " + line.number() + ": not an evidence record: " + firstLine(e.getMessage())),
                    "1970-01-01T00:00:00Z", sp));
            return null;
        }
        List<String> errs = new ArrayList<>();
        String reason = null;
        if (ev.runId() == null || ev.runId().isBlank()) {
            reason = "missing_source_run_id";
            errs.add("line " + line.number() + ": run_id is missing");
        } else if (ev.provenance() == null || ev.provenance().sourceFile() == null || ev.provenance().sigHash() == null
                || ev.provenance().recordedAt() == null) {
            reason = "missing_provenance";
            errs.add("line " + line.number() + ": provenance {source_file, line_offset, sig_hash, recorded_at} is incomplete");
        } else if (ev.timestamp() == null || Materializer.instant(ev.timestamp()) == null || ev.sourceClass() == null
                || !SourceClasses.ALL.contains(ev.sourceClass()) || ev.taskId() == null) {
            reason = "schema_violation";
            errs.add("line " + line.number() + ": timestamp, task_id or source_class missing or invalid");
        }
        if (reason != null) {
            String at = ev.timestamp() != null && Materializer.instant(ev.timestamp()) != null ? ev.timestamp() : "1970-01-01T00:00:00Z";
            quarantine.add(new Rows.Quarantine(exporter, reason, line.node(), errs, at, sp));
            return null;
        }
        return ev;
    }

    static Rows.Scored scored(Jsonl.Line line, String exporter, List<Rows.Quarantine> quarantine) {
        Rows.SourceProvenance sp = new Rows.SourceProvenance(line.file(), line.number());
        if (!line.ok()) {
            quarantine.add(new Rows.Quarantine(exporter, "schema_violation", Jsonl.rawRecord(line.raw()),
                    List.of(line.error()), "1970-01-01T00:00:00Z", sp));
            return null;
        }
        try {
            Rows.Scored s = Canon.JSON.treeToValue(line.node(), Rows.Scored.class);
            if (s.runId() == null || s.category() == null) {
                quarantine.add(new Rows.Quarantine(exporter, s.runId() == null ? "missing_source_run_id" : "schema_violation",
                        line.node(), List.of("line " + line.number() + ": run_id or category missing"), "1970-01-01T00:00:00Z", sp));
                return null;
            }
            return s;
        } catch (Exception e) {
            quarantine.add(new Rows.Quarantine(exporter, "schema_violation", line.node(),
                    List.of("line " + line.number() + ": not a scored run: " + firstLine(e.getMessage())), "1970-01-01T00:00:00Z", sp));
            return null;
        }
    }

    private static String firstLine(String m) {
        if (m == null) {
            return "";
        }
        int i = m.indexOf('\n');
        return i > 0 ? m.substring(0, i) : m;
    }
}

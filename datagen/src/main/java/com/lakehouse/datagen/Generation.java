package com.lakehouse.datagen;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes one data set: workers, job orders and playbooks as tables, playbooks and runs as JSONL. */
public final class Generation {
    public record Sizes(int workers, int jobs, int playbooks, int runs) {
        public Sizes {
            check("workers", workers, 1);
            check("jobs", jobs, 0);
            check("playbooks", playbooks, 0);
            check("runs", runs, 0);
        }

        private static void check(String name, int v, int min) {
            if (v < min) {
                throw new IllegalArgumentException("--" + name + " must be at least " + min + " (got " + v + ")");
            }
        }
    }

    private Generation() {
    }

    /** Writes the files and returns file name -> rows. Fails before writing anything when the directory is unusable. */
    public static Map<String, Long> write(Path out, long seed, Sizes sizes, TableWriter.Format format) throws IOException {
        Files.createDirectories(out);
        if (!Files.isWritable(out)) {
            throw new IOException("output directory is not writable: " + out);
        }
        StaffingGenerator gen = new StaffingGenerator(seed, sizes.workers());
        Map<String, Long> written = new LinkedHashMap<>();
        String ext = format.extension;
        written.put("workers." + ext, table(out.resolve("workers." + ext), format, StaffingGenerator.WORKER_COLUMNS,
                sizes.workers(), gen::worker));
        written.put("job_orders." + ext, table(out.resolve("job_orders." + ext), format, StaffingGenerator.JOB_COLUMNS,
                sizes.jobs(), gen::jobOrder));
        written.put("playbooks." + ext, table(out.resolve("playbooks." + ext), format, StaffingGenerator.PLAYBOOK_COLUMNS,
                sizes.playbooks(), gen::playbook));
        if (format != TableWriter.Format.JSONL) {
            // The playbook memory wants tags as a list: always also as JSONL.
            written.put("playbooks.jsonl", table(out.resolve("playbooks.jsonl"), TableWriter.Format.JSONL,
                    StaffingGenerator.PLAYBOOK_COLUMNS, sizes.playbooks(), gen::playbook));
        }
        try (TableWriter w = new TableWriter(out.resolve("runs.jsonl"), TableWriter.Format.JSONL, List.of())) {
            for (int n = 0; n < sizes.runs(); n++) {
                for (Map<String, Object> op : gen.runs(n)) {
                    w.write(op);
                }
            }
            w.commit();
            written.put("runs.jsonl", w.rows());
        }
        return written;
    }

    interface RowSource {
        Map<String, Object> row(int i);
    }

    private static long table(Path file, TableWriter.Format format, List<StaffingGenerator.Column> columns, int count,
                              RowSource rows) throws IOException {
        try (TableWriter w = new TableWriter(file, format, columns)) {
            for (int i = 0; i < count; i++) {
                w.write(rows.row(i));
            }
            w.commit();
            return w.rows();
        }
    }
}

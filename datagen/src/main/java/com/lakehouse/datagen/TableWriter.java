package com.lakehouse.datagen;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Streams rows to JSONL, CSV or Parquet. Every file is written under a temporary name and renamed into place
 * only when complete, so a failed run never leaves a half-written file behind. Parquet goes through DuckDB
 * (a CSV spooled next to the target, then COPY ... (FORMAT parquet) with the declared column types).
 */
public final class TableWriter implements AutoCloseable {
    public enum Format {
        JSONL("jsonl"), CSV("csv"), PARQUET("parquet");

        final String extension;

        Format(String extension) {
            this.extension = extension;
        }

        public static Format parse(String s) {
            for (Format f : values()) {
                if (f.extension.equalsIgnoreCase(s)) {
                    return f;
                }
            }
            throw new IllegalArgumentException("unknown format '" + s + "' (use jsonl, csv or parquet)");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT);

    private final Path target;
    private final Path temp;
    private final Path csvSpool;
    private final Format format;
    private final List<StaffingGenerator.Column> columns;
    private final BufferedWriter out;
    private boolean committed;
    private long rows;

    public TableWriter(Path target, Format format, List<StaffingGenerator.Column> columns) throws IOException {
        this.target = target;
        this.format = format;
        this.columns = columns;
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        this.temp = dir.resolve("." + target.getFileName() + ".tmp");
        this.csvSpool = format == Format.PARQUET ? dir.resolve("." + target.getFileName() + ".csv.tmp") : null;
        OutputStream os = Files.newOutputStream(format == Format.PARQUET ? csvSpool : temp);
        this.out = new BufferedWriter(new OutputStreamWriter(os, StandardCharsets.UTF_8), 1 << 16);
        if (format != Format.JSONL) {
            out.write(columns.stream().map(StaffingGenerator.Column::name).collect(Collectors.joining(",")));
            out.write('\n');
        }
    }

    public void write(Map<String, Object> row) throws IOException {
        if (format == Format.JSONL) {
            out.write(JSON.writeValueAsString(row));
        } else {
            for (int i = 0; i < columns.size(); i++) {
                if (i > 0) {
                    out.write(',');
                }
                out.write(csvField(row.get(columns.get(i).name())));
            }
        }
        out.write('\n');
        rows++;
    }

    public long rows() {
        return rows;
    }

    /** Finishes the file and moves it into place. */
    public void commit() throws IOException {
        out.close();
        if (format == Format.PARQUET) {
            toParquet();
            Files.deleteIfExists(csvSpool);
        }
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        committed = true;
    }

    private void toParquet() throws IOException {
        String cols = columns.stream().map(c -> "'" + c.name() + "': '" + c.type() + "'").collect(Collectors.joining(", "));
        String sql = "COPY (SELECT * FROM read_csv('" + sqlPath(csvSpool) + "', header = true, delim = ',', quote = '\"',"
                + " escape = '\"', columns = {" + cols + "})) TO '" + sqlPath(temp) + "' (FORMAT parquet, COMPRESSION zstd)";
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("SET threads TO 2");
            s.execute("SET memory_limit = '512MB'");
            s.execute("SET preserve_insertion_order = true");
            s.execute(sql);
        } catch (SQLException e) {
            throw new IOException("writing Parquet failed: " + e.getMessage(), e);
        }
    }

    private static String sqlPath(Path p) {
        return p.toAbsolutePath().toString().replace("'", "''");
    }

    static String csvField(Object v) {
        if (v == null) {
            return "";
        }
        String s;
        if (v instanceof Collection<?> c) {
            s = c.stream().map(String::valueOf).collect(Collectors.joining(";"));
        } else if (v instanceof Double d) {
            s = d == Math.rint(d) && Math.abs(d) < 1e15 ? String.format(Locale.ROOT, "%.1f", d) : Double.toString(d);
        } else {
            s = String.valueOf(v);
        }
        if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }

    @Override
    public void close() throws IOException {
        if (!committed) {
            try {
                out.close();
            } finally {
                Files.deleteIfExists(temp);
                if (csvSpool != null) {
                    Files.deleteIfExists(csvSpool);
                }
            }
        }
    }
}

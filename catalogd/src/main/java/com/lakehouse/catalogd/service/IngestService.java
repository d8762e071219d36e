package com.lakehouse.catalogd.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.lakehouse.catalogd.store.CatalogModel.Column;
import com.lakehouse.contracts.error.ApiException;
import com.lakehouse.contracts.jobs.Job;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns a CSV, JSONL or Parquet file into one Parquet file with DuckDB, validating it first: CSV rows with the
 * wrong column count or a value that does not cast to the given (or sniffed) type, JSONL lines that are not JSON
 * objects or whose values do not fit the given schema. Bad input is reported with line numbers and nothing is
 * published.
 */
public class IngestService {
    public enum Format {
        CSV, JSONL, PARQUET;

        public static Format parse(String field, String s) {
            return switch (s == null ? "" : s.trim().toLowerCase(Locale.ROOT)) {
                case "csv" -> CSV;
                case "jsonl", "ndjson", "json" -> JSONL;
                case "parquet" -> PARQUET;
                default -> throw ApiException.badField(field, "format must be csv, jsonl or parquet");
            };
        }

        /** The format a Content-Type names, or null. */
        public static Format fromContentType(String ct) {
            if (ct == null) {
                return null;
            }
            String t = ct.toLowerCase(Locale.ROOT);
            if (t.startsWith("text/csv")) {
                return CSV;
            }
            if (t.startsWith("application/x-ndjson") || t.startsWith("application/jsonl")
                    || t.startsWith("application/jsonlines")) {
                return JSONL;
            }
            if (t.startsWith("application/vnd.apache.parquet") || t.startsWith("application/x-parquet")) {
                return PARQUET;
            }
            return null;
        }
    }

    /** One bad line: {@code line} is 1-based in the input file (the CSV header is line 1); 0 when not line-bound. */
    public record LineError(long line, String reason) {
    }

    /** The input is bad: nothing was published. */
    public static class BadInputException extends RuntimeException {
        private final List<LineError> errors;

        public BadInputException(List<LineError> errors) {
            super(errors.isEmpty() ? "bad input" : (errors.getFirst().line() > 0 ? "line " + errors.getFirst().line() + ": " : "")
                    + errors.getFirst().reason());
            this.errors = List.copyOf(errors);
        }

        public List<LineError> errors() {
            return errors;
        }
    }

    public record Converted(Path parquet, long bytes, String sha256, long rows, List<Column> schema) {
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern LINE_IN_MESSAGE = Pattern.compile("(?i)line:?\\s*(\\d+)");

    private final Path workDir;
    private final String memoryLimit;
    private final int threads;
    private final int maxErrors;

    public IngestService(Path workDir, String memoryLimit, int threads, int maxErrors) {
        this.workDir = workDir;
        this.memoryLimit = memoryLimit;
        this.threads = threads;
        this.maxErrors = Math.max(1, maxErrors);
        try {
            Files.createDirectories(workDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path workDir() {
        return workDir;
    }

    /** Copies a request body to a temp file, refusing (413) past {@code maxBytes} and (400) when empty. */
    public Path spool(InputStream in, long maxBytes) {
        Path file = workDir.resolve("upload-" + UUID.randomUUID());
        long total = 0;
        try (InputStream src = in; OutputStream out = Files.newOutputStream(file)) {
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = src.read(buf)) > 0) {
                total += n;
                if (total > maxBytes) {
                    throw new ApiException(413, "body_too_large", "ingest body is larger than " + maxBytes + " bytes", "body");
                }
                out.write(buf, 0, n);
            }
        } catch (IOException e) {
            deleteQuietly(file);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            deleteQuietly(file);
            throw e;
        }
        if (total == 0) {
            deleteQuietly(file);
            throw ApiException.badField("body", "ingest body is empty");
        }
        return file;
    }

    /** Validates and converts; the caller deletes {@link Converted#parquet()} when done. */
    public Converted convert(Path input, Format format, List<Column> schema, Job job) {
        Path out = workDir.resolve("out-" + UUID.randomUUID() + ".parquet");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
            try (Statement s = c.createStatement()) {
                s.execute("SET memory_limit=" + Schemas.literal(memoryLimit));
                s.execute("SET threads=" + threads);
                s.execute("SET temp_directory=" + Schemas.literal(workDir.resolve("duckdb-tmp").toAbsolutePath().toString()));
                s.execute("SET autoinstall_known_extensions=false");
            }
            String source = switch (format) {
                case CSV -> csvSource(c, input, schema, job);
                case JSONL -> jsonlSource(input, schema, job);
                case PARQUET -> parquetSource(c, input, schema);
            };
            message(job, "writing parquet");
            try (Statement s = c.createStatement()) {
                s.execute("COPY (" + source + ") TO " + Schemas.literal(out.toAbsolutePath().toString())
                        + " (FORMAT parquet, COMPRESSION zstd)");
            } catch (SQLException e) {
                throw new BadInputException(List.of(fromDuckDb(e)));
            }
            if (format == Format.CSV) {
                checkRejects(c);
            }
            long rows;
            List<Column> cols = new ArrayList<>();
            String parquet = "read_parquet(" + Schemas.literal(out.toAbsolutePath().toString()) + ")";
            try (Statement s = c.createStatement()) {
                try (ResultSet r = s.executeQuery("SELECT count(*) FROM " + parquet)) {
                    r.next();
                    rows = r.getLong(1);
                }
                try (ResultSet r = s.executeQuery("DESCRIBE SELECT * FROM " + parquet)) {
                    while (r.next()) {
                        cols.add(new Column(r.getString("column_name"), r.getString("column_type")));
                    }
                }
            }
            message(job, "hashing");
            return new Converted(out, Files.size(out), sha256(out), rows, cols);
        } catch (SQLException e) {
            deleteQuietly(out);
            throw new BadInputException(List.of(fromDuckDb(e)));
        } catch (IOException e) {
            deleteQuietly(out);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            deleteQuietly(out);
            throw e;
        }
    }

    private String csvSource(Connection c, Path input, List<Column> schema, Job job) throws IOException {
        message(job, "validating csv");
        String opts = "header=true, store_rejects=true";
        if (schema != null) {
            List<String> header = csvHeader(input);
            if (header.size() != schema.size()) {
                throw new BadInputException(List.of(new LineError(1, "header has " + header.size()
                        + " columns but the schema has " + schema.size())));
            }
            for (int i = 0; i < header.size(); i++) {
                if (!header.get(i).trim().equalsIgnoreCase(schema.get(i).name())) {
                    throw new BadInputException(List.of(new LineError(1, "header column " + (i + 1) + " is '"
                            + header.get(i).trim() + "' but the schema names '" + schema.get(i).name() + "'")));
                }
            }
            opts += ", columns=" + Schemas.columnsStruct(schema);
        }
        return "SELECT * FROM read_csv(" + Schemas.literal(input.toAbsolutePath().toString()) + ", " + opts + ")";
    }

    private void checkRejects(Connection c) throws SQLException {
        List<LineError> errors = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT line, error_type, error_message FROM reject_errors ORDER BY line LIMIT " + maxErrors)) {
            while (r.next()) {
                errors.add(new LineError(r.getLong(1), r.getString(2).toLowerCase(Locale.ROOT).replace('_', ' ')
                        + ": " + r.getString(3)));
            }
        }
        if (!errors.isEmpty()) {
            throw new BadInputException(errors);
        }
    }

    /** The first CSV record's fields (quotes honoured; the header is one physical line). */
    static List<String> csvHeader(Path input) throws IOException {
        String line;
        try (BufferedReader r = Files.newBufferedReader(input, StandardCharsets.UTF_8)) {
            line = r.readLine();
        }
        List<String> out = new ArrayList<>();
        if (line == null) {
            return out;
        }
        if (line.startsWith("\uFEFF")) {
            line = line.substring(1);
        }
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    cur.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        out.add(cur.toString());
        return out;
    }

    private String jsonlSource(Path input, List<Column> schema, Job job) throws IOException {
        message(job, "validating jsonl");
        long total = Files.size(input);
        List<LineError> errors = new ArrayList<>();
        Map<String, String> types = schema == null ? null
                : schema.stream().collect(Collectors.toMap(Column::name, Column::type));
        long lineNo = 0;
        long done = 0;
        long objects = 0;
        try (BufferedReader r = Files.newBufferedReader(input, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null && errors.size() < maxErrors) {
                lineNo++;
                done += line.length() + 1;
                if (job != null && (lineNo & 4095) == 0) {
                    job.progress(Math.min(done, total), total);
                }
                if (line.isBlank()) {
                    continue;
                }
                JsonNode n;
                try {
                    n = MAPPER.readTree(line);
                } catch (IOException e) {
                    errors.add(new LineError(lineNo, "malformed JSON: " + firstLine(e.getMessage())));
                    continue;
                }
                if (n == null || !n.isObject()) {
                    errors.add(new LineError(lineNo, "line is not a JSON object"));
                    continue;
                }
                objects++;
                if (types != null) {
                    String bad = checkTypes(n, types);
                    if (bad != null) {
                        errors.add(new LineError(lineNo, bad));
                    }
                }
            }
        }
        if (job != null) {
            job.progress(total, total);
        }
        if (!errors.isEmpty()) {
            throw new BadInputException(errors);
        }
        if (objects == 0) {
            throw new BadInputException(List.of(new LineError(0, "no JSON objects in the input")));
        }
        String path = Schemas.literal(input.toAbsolutePath().toString());
        if (schema != null) {
            return "SELECT * FROM read_json(" + path + ", format='newline_delimited', columns="
                    + Schemas.columnsStruct(schema) + ")";
        }
        return "SELECT * FROM read_json(" + path + ", format='newline_delimited', sample_size=-1)";
    }

    private static String checkTypes(JsonNode n, Map<String, String> types) {
        var it = n.fieldNames();
        while (it.hasNext()) {
            String f = it.next();
            if (!types.containsKey(f)) {
                return "field '" + f + "' is not in the schema";
            }
        }
        for (Map.Entry<String, String> e : types.entrySet()) {
            JsonNode v = n.get(e.getKey());
            if (v == null || v.isNull()) {
                continue;
            }
            String t = e.getValue();
            boolean ok;
            if (t.equals("BIGINT")) {
                ok = v.isIntegralNumber() && v.canConvertToLong();
            } else if (t.equals("INTEGER")) {
                ok = v.isIntegralNumber() && v.canConvertToInt();
            } else if (t.equals("DOUBLE") || t.equals("FLOAT") || t.startsWith("DECIMAL")) {
                ok = v.isNumber();
            } else if (t.equals("BOOLEAN")) {
                ok = v.isBoolean();
            } else if (t.equals("DATE")) {
                ok = v.isTextual() && parses(() -> LocalDate.parse(v.asText()));
            } else if (t.equals("TIMESTAMP")) {
                ok = v.isTextual() && (parses(() -> LocalDateTime.parse(v.asText().replace(' ', 'T')))
                        || parses(() -> OffsetDateTime.parse(v.asText().replace(' ', 'T'))));
            } else {
                ok = v.isTextual();
            }
            if (!ok) {
                return "field '" + e.getKey() + "' is " + describe(v) + ", expected " + t;
            }
        }
        return null;
    }

    private static boolean parses(Runnable r) {
        try {
            r.run();
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static String describe(JsonNode v) {
        if (v.isTextual()) {
            return "the string \"" + (v.asText().length() > 40 ? v.asText().substring(0, 40) + "..." : v.asText()) + "\"";
        }
        return v.getNodeType().name().toLowerCase(Locale.ROOT) + " " + (v.isContainerNode() ? "" : v.toString());
    }

    private String parquetSource(Connection c, Path input, List<Column> schema) throws SQLException {
        String src = "read_parquet(" + Schemas.literal(input.toAbsolutePath().toString()) + ")";
        if (schema == null) {
            return "SELECT * FROM " + src;
        }
        Set<String> present;
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("DESCRIBE SELECT * FROM " + src)) {
            List<String> names = new ArrayList<>();
            while (r.next()) {
                names.add(r.getString("column_name"));
            }
            present = Set.copyOf(names);
        }
        List<String> select = new ArrayList<>();
        for (Column col : schema) {
            if (!present.contains(col.name())) {
                throw new BadInputException(List.of(new LineError(0, "column '" + col.name() + "' is not in the Parquet file")));
            }
            select.add("CAST(" + Schemas.ident(col.name()) + " AS " + col.type() + ") AS " + Schemas.ident(col.name()));
        }
        return "SELECT " + String.join(", ", select) + " FROM " + src;
    }

    private static LineError fromDuckDb(SQLException e) {
        String msg = e.getMessage() == null ? "unreadable input" : e.getMessage();
        Matcher m = LINE_IN_MESSAGE.matcher(msg);
        long line = m.find() ? Long.parseLong(m.group(1)) : 0;
        // the path of our temp file means nothing to the caller
        return new LineError(line, firstLine(msg).replaceAll("\"/[^\"]*\"", "\"input\"").replaceAll("'/[^']*'", "'input'"));
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }

    private static void message(Job job, String text) {
        if (job != null) {
            job.message(text);
        }
    }

    public static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void deleteQuietly(Path p) {
        if (p == null) {
            return;
        }
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // temp file; the work dir is scratch space
        }
    }
}

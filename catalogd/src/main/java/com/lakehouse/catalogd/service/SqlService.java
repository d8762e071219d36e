package com.lakehouse.catalogd.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.lakehouse.catalogd.store.CatalogModel.FileEntry;
import com.lakehouse.catalogd.store.CatalogModel.Manifest;
import com.lakehouse.contracts.error.ApiException;
import com.lakehouse.contracts.s3.ObjectStore;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBStruct;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * SQL over the catalog: one in-memory DuckDB database whose views, named after the datasets, read the latest
 * version's Parquet from a local cache ({@code <cache-dir>/<sha256>.parquet}, downloaded from S3 and checked).
 * The database is locked down (external access off except the cache directory, no extension autoload,
 * configuration locked) and every statement passes {@link SqlGuard} first. Each query runs on its own
 * connection with a row cap and a timer that cancels it past its time limit.
 */
public class SqlService implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SqlService.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public record ColumnInfo(String name, String type) {
    }

    public record Result(List<ColumnInfo> columns, List<Map<String, Object>> rows, int rowCount, boolean truncated,
                         long elapsedMs) {
    }

    private final CatalogService catalog;
    private final ObjectStore objects;
    private final Path cacheDir;
    private final DuckDBConnection db;
    private final Map<String, String> views = new HashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "catalogd-sql-timer");
        t.setDaemon(true);
        return t;
    });

    public SqlService(CatalogService catalog, ObjectStore objects, Path cacheDir, String memoryLimit, int threads) {
        this.catalog = catalog;
        this.objects = objects;
        this.cacheDir = cacheDir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(this.cacheDir);
            db = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:");
            try (Statement s = db.createStatement()) {
                s.execute("SET memory_limit=" + Schemas.literal(memoryLimit));
                s.execute("SET threads=" + threads);
                s.execute("SET allowed_directories=[" + Schemas.literal(this.cacheDir + "/") + "]");
                s.execute("SET enable_external_access=false");
                s.execute("SET autoinstall_known_extensions=false");
                s.execute("SET autoload_known_extensions=false");
                s.execute("SET lock_configuration=true");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open DuckDB: " + e.getMessage(), e);
        }
    }

    /** Local cached copies of a manifest's files (downloaded once, sha256 checked). */
    public List<Path> cached(Manifest m) {
        List<Path> out = new ArrayList<>();
        for (FileEntry f : m.files()) {
            Path p = cacheDir.resolve(f.sha256() + ".parquet");
            if (!Files.exists(p)) {
                synchronized (this) {
                    if (!Files.exists(p)) {
                        Path tmp = cacheDir.resolve(f.sha256() + ".download");
                        objects.download(f.key(), tmp);
                        try {
                            String got = IngestService.sha256(tmp);
                            if (!got.equals(f.sha256())) {
                                IngestService.deleteQuietly(tmp);
                                throw ApiException.unavailable("checksum_mismatch", "object " + f.key()
                                        + " does not match its manifest sha256; refusing to serve it");
                            }
                            Files.move(tmp, p, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                }
            }
            out.add(p);
        }
        return out;
    }

    private static String scan(List<Path> files) {
        StringBuilder b = new StringBuilder("read_parquet([");
        for (int i = 0; i < files.size(); i++) {
            b.append(i == 0 ? "" : ", ").append(Schemas.literal(files.get(i).toString()));
        }
        return b.append("])").toString();
    }

    /** Makes the views match the live catalog: one per non-tombstoned dataset, over its latest version. */
    public synchronized void refreshViews() {
        Map<String, String> want = new HashMap<>();
        Map<String, Manifest> manifests = new HashMap<>();
        for (CatalogService.Live l : catalog.live()) {
            String sig = l.manifest().files().stream().map(FileEntry::sha256).reduce("", String::concat);
            want.put(l.record().dataset(), sig);
            manifests.put(l.record().dataset(), l.manifest());
        }
        try (Statement s = db.createStatement()) {
            for (String name : List.copyOf(views.keySet())) {
                if (!want.containsKey(name)) {
                    s.execute("DROP VIEW IF EXISTS " + Schemas.ident(name));
                    views.remove(name);
                }
            }
            for (Map.Entry<String, String> e : want.entrySet()) {
                if (!e.getValue().equals(views.get(e.getKey()))) {
                    List<Path> files = cached(manifests.get(e.getKey()));
                    s.execute("CREATE OR REPLACE VIEW " + Schemas.ident(e.getKey()) + " AS SELECT * FROM " + scan(files));
                    views.put(e.getKey(), e.getValue());
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot refresh dataset views: " + e.getMessage(), e);
        }
    }

    /** Runs a guarded read-only statement. {@code limit} rows at most (truncated=true when there were more). */
    public Result query(String sql, List<Object> params, int limit, Duration timeout) {
        String stmt = SqlGuard.check(sql);
        refreshViews();
        long start = System.nanoTime();
        try (Connection c = db.duplicate(); PreparedStatement ps = prepare(c, stmt)) {
            bind(ps, params);
            ps.setMaxRows(limit + 1);
            AtomicBoolean timedOut = new AtomicBoolean();
            ScheduledFuture<?> cancel = timer.schedule(() -> {
                timedOut.set(true);
                try {
                    ps.cancel();
                } catch (SQLException e) {
                    LOG.debugf("cancel failed: %s", e.getMessage());
                }
            }, timeout.toMillis(), TimeUnit.MILLISECONDS);
            try {
                boolean hasRs = ps.execute();
                List<ColumnInfo> cols = new ArrayList<>();
                List<Map<String, Object>> rows = new ArrayList<>();
                boolean truncated = false;
                if (hasRs) {
                    try (ResultSet rs = ps.getResultSet()) {
                        ResultSetMetaData md = rs.getMetaData();
                        for (int i = 1; i <= md.getColumnCount(); i++) {
                            cols.add(new ColumnInfo(md.getColumnLabel(i), md.getColumnTypeName(i)));
                        }
                        while (rs.next()) {
                            if (rows.size() == limit) {
                                truncated = true;
                                break;
                            }
                            Map<String, Object> row = new LinkedHashMap<>();
                            for (int i = 1; i <= cols.size(); i++) {
                                row.put(cols.get(i - 1).name(), value(rs.getObject(i)));
                            }
                            rows.add(row);
                        }
                    }
                }
                return new Result(cols, rows, rows.size(), truncated, (System.nanoTime() - start) / 1_000_000);
            } catch (SQLException e) {
                if (timedOut.get()) {
                    throw new ApiException(408, "sql_timeout", "statement ran past its time limit of "
                            + timeout.toMillis() + " ms and was cancelled", "sql");
                }
                throw sqlError(e);
            } finally {
                cancel.cancel(false);
            }
        } catch (SQLException e) {
            throw sqlError(e);
        }
    }

    private static PreparedStatement prepare(Connection c, String stmt) throws SQLException {
        return c.prepareStatement(stmt);
    }

    private static void bind(PreparedStatement ps, List<Object> params) throws SQLException {
        if (params == null) {
            return;
        }
        for (int i = 0; i < params.size(); i++) {
            Object p = params.get(i);
            if (p != null && !(p instanceof String || p instanceof Number || p instanceof Boolean)) {
                throw ApiException.badField("params[" + i + "]", "parameters must be strings, numbers, booleans or null");
            }
            if (p instanceof BigInteger bi) {
                p = bi.longValue();
            }
            ps.setObject(i + 1, p);
        }
    }

    private static ApiException sqlError(SQLException e) {
        String msg = e.getMessage() == null ? "SQL error" : e.getMessage();
        int nl = msg.indexOf('\n');
        String first = nl < 0 ? msg : msg.substring(0, nl);
        return new ApiException(400, "sql_error", first.replaceAll("\"/[^\"]*\"", "\"file\""), "sql");
    }

    /** Streams rows [cursor, cursor+limit) of a manifest's Parquet as JSONL. Returns rows written. */
    public long streamRows(Manifest m, long cursor, int limit, OutputStream out) throws IOException {
        List<Path> files = cached(m);
        try (Connection c = db.duplicate(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT to_json(t)::VARCHAR FROM " + scan(files) + " t LIMIT " + limit
                     + " OFFSET " + cursor)) {
            long n = 0;
            while (rs.next()) {
                out.write(rs.getString(1).getBytes(StandardCharsets.UTF_8));
                out.write('\n');
                n++;
            }
            return n;
        } catch (SQLException e) {
            throw new IOException("reading rows failed: " + e.getMessage(), e);
        }
    }

    /** Streams a guarded query's rows as JSONL (for format=jsonl). */
    public void streamQuery(String sql, List<Object> params, int limit, Duration timeout, Consumer<byte[]> sink) {
        Result r = query(sql, params, limit, timeout);
        for (Map<String, Object> row : r.rows()) {
            try {
                sink.accept((MAPPER.writeValueAsString(row) + "\n").getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static Object value(Object v) throws SQLException {
        if (v == null || v instanceof String || v instanceof Boolean || v instanceof Long || v instanceof Integer
                || v instanceof Double || v instanceof BigDecimal || v instanceof BigInteger || v instanceof Short
                || v instanceof Byte) {
            return v;
        }
        if (v instanceof Float f) {
            return f.doubleValue();
        }
        if (v instanceof Array a) {
            Object[] items = (Object[]) a.getArray();
            List<Object> out = new ArrayList<>(items.length);
            for (Object o : items) {
                out.add(value(o));
            }
            return out;
        }
        if (v instanceof DuckDBStruct st) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : st.getMap().entrySet()) {
                out.put(e.getKey(), value(e.getValue()));
            }
            return out;
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.put(String.valueOf(e.getKey()), value(e.getValue()));
            }
            return out;
        }
        if (v instanceof byte[] b) {
            return Base64.getEncoder().encodeToString(b);
        }
        return v.toString();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            db.close();
        } catch (SQLException ignored) {
            // closing at shutdown
        }
    }
}

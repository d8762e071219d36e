package com.lakehouse.validatord.store;

import com.lakehouse.validatord.service.Roster;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads roster Parquet files with DuckDB (in-process, in-memory database, native memory) straight into a
 * {@link Roster.Builder}: one pass over a result set sorted by worker id number, no per-row objects kept.
 * Optional columns that are missing read as empty (availability as 1 = active, do_not_place as false); list
 * columns (other_roles, certifications) are joined with commas.
 */
public final class ParquetRosterReader {
    private static final String[] TEXT = {"first_name", "last_name", "role", "other_roles", "city", "state", "zip",
            "phone", "email", "certifications"};

    private ParquetRosterReader() {
    }

    public static Roster read(List<Path> files, String version, String memoryLimit) throws SQLException {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no roster Parquet files to read");
        }
        long t0 = System.nanoTime();
        String source = "read_parquet([" + files.stream()
                .map(p -> "'" + p.toAbsolutePath().toString().replace("'", "''") + "'")
                .collect(Collectors.joining(", ")) + "], union_by_name = true)";
        try {
            Class.forName("org.duckdb.DuckDBDriver");
        } catch (ClassNotFoundException e) {
            throw new SQLException("DuckDB JDBC driver missing", e);
        }
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            st.execute("SET memory_limit = '" + memoryLimit.replace("'", "") + "'");
            Map<String, String> types = new HashMap<>();
            try (ResultSet rs = st.executeQuery("DESCRIBE SELECT * FROM " + source)) {
                while (rs.next()) {
                    types.put(rs.getString(1).toLowerCase(Locale.ROOT), rs.getString(2).toUpperCase(Locale.ROOT));
                }
            }
            if (!types.containsKey("worker_id")) {
                throw new IllegalArgumentException("roster Parquet has no worker_id column (columns: "
                        + types.keySet() + ")");
            }
            StringBuilder sel = new StringBuilder("CAST(worker_id AS VARCHAR) AS worker_id");
            for (String col : TEXT) {
                sel.append(", ").append(text(types, col)).append(" AS ").append(col);
            }
            if (!types.containsKey("first_name") && !types.containsKey("last_name") && types.containsKey("name")) {
                // a single name column: keep it whole as the first name
                replace(sel, "NULL AS first_name", "CAST(name AS VARCHAR) AS first_name");
            }
            sel.append(", ").append(number(types, "pay_rate")).append(" AS pay_rate");
            sel.append(", ").append(types.containsKey("availability")
                    ? "TRY_CAST(availability AS DOUBLE)" : "1.0").append(" AS availability");
            sel.append(", ").append(number(types, "reliability")).append(" AS reliability");
            sel.append(", ").append(types.containsKey("do_not_place")
                    ? "COALESCE(TRY_CAST(do_not_place AS BOOLEAN), false)" : "false").append(" AS do_not_place");
            long count;
            String where = " WHERE worker_id IS NOT NULL AND trim(CAST(worker_id AS VARCHAR)) <> ''";
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + source + where)) {
                rs.next();
                count = rs.getLong(1);
            }
            if (count > Integer.MAX_VALUE / 2) {
                throw new IllegalArgumentException("roster too large: " + count + " rows");
            }
            Roster.Builder b = new Roster.Builder((int) count);
            String sql = "SELECT " + sel + " FROM " + source + where
                    + " ORDER BY TRY_CAST(regexp_extract(CAST(worker_id AS VARCHAR), '^W-([0-9]{1,18})$', 1) AS BIGINT)"
                    + " NULLS LAST";
            try (ResultSet rs = st.executeQuery(sql)) {
                while (rs.next()) {
                    double pay = rs.getDouble(12);
                    double avail = rs.getDouble(13);
                    if (rs.wasNull()) {
                        avail = 0;
                    }
                    double rel = rs.getDouble(14);
                    b.add(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10),
                            rs.getString(11), pay, avail, rel, rs.getBoolean(15));
                }
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            return b.build(version, Instant.now(), ms);
        }
    }

    private static void replace(StringBuilder sb, String what, String with) {
        int i = sb.indexOf(what);
        if (i >= 0) {
            sb.replace(i, i + what.length(), with);
        }
    }

    private static String text(Map<String, String> types, String col) {
        String t = types.get(col);
        if (t == null) {
            return "NULL";
        }
        if (t.endsWith("[]") || t.startsWith("LIST")) {
            return "array_to_string(" + col + ", ',')";
        }
        return "CAST(" + col + " AS VARCHAR)";
    }

    private static String number(Map<String, String> types, String col) {
        return types.containsKey(col) ? "TRY_CAST(" + col + " AS DOUBLE)" : "0.0";
    }
}

package com.lakehouse.validatord.store;

import com.lakehouse.validatord.service.Roster;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads roster Parquet files with DuckDB (in-process, in-memory database, native memory) into a
 * {@link Roster.Builder}. DuckDB does the per-row string work natively so that almost no strings cross JDBC:
 * the text columns are dictionary-encoded in SQL (one shared dictionary, read once), worker ids arrive as
 * number + digit count, phones as digits, emails as the low 64 bits of their MD5. Rows come sorted by id
 * number. Optional columns that are missing read as empty (availability as 1 = active, do_not_place as
 * false); list columns (other_roles, certifications) are joined with commas; a single {@code name} column
 * stands in for first and last name.
 */
public final class ParquetRosterReader {
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(ParquetRosterReader.class);
    private static final String[] TEXT = {"first_name", "last_name", "role", "other_roles", "city", "state",
            "certifications"};

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
        try (Connection c = new org.duckdb.DuckDBDriver().connect("jdbc:duckdb:", new java.util.Properties()); Statement st = c.createStatement()) {
            st.execute("SET memory_limit = '" + memoryLimit.replace("'", "") + "'");
            st.execute("SET preserve_insertion_order = false");
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
            boolean nameOnly = !types.containsKey("first_name") && !types.containsKey("last_name")
                    && types.containsKey("name");
            StringBuilder sel = new StringBuilder("trim(CAST(worker_id AS VARCHAR)) AS wid");
            for (String col : TEXT) {
                String expr = nameOnly && col.equals("first_name") ? text(types, "name") : text(types, col);
                sel.append(", coalesce(trim(").append(expr).append("), '') AS ").append(col);
            }
            sel.append(", ").append(types.containsKey("zip")
                    ? "CASE WHEN regexp_full_match(trim(CAST(zip AS VARCHAR)), '[0-9]{1,9}') THEN CAST(trim(CAST(zip AS VARCHAR)) AS INTEGER) ELSE -1 END"
                    : "-1").append(" AS zip");
            sel.append(", ").append(types.containsKey("phone")
                    ? "regexp_replace(coalesce(CAST(phone AS VARCHAR), ''), '[^0-9]', '', 'g')" : "''").append(" AS phone_digits");
            sel.append(", ").append(types.containsKey("email")
                    ? "CASE WHEN coalesce(trim(CAST(email AS VARCHAR)), '') = '' THEN CAST(0 AS UBIGINT)"
                    + " ELSE md5_number_lower(lower(trim(CAST(email AS VARCHAR)))) END"
                    : "0").append(" AS email_hash");
            sel.append(", ").append(number(types, "pay_rate", "0.0")).append(" AS pay_rate");
            sel.append(", ").append(number(types, "availability", "1.0")).append(" AS availability");
            sel.append(", ").append(number(types, "reliability", "0.0")).append(" AS reliability");
            sel.append(", ").append(types.containsKey("do_not_place")
                    ? "COALESCE(TRY_CAST(do_not_place AS BOOLEAN), false)" : "false").append(" AS do_not_place");
            st.execute("CREATE TEMP TABLE w AS SELECT " + sel + " FROM " + source
                    + " WHERE worker_id IS NOT NULL AND trim(CAST(worker_id AS VARCHAR)) <> ''");
            long tStaged = System.nanoTime();
            st.execute("CREATE TEMP TABLE d AS SELECT v, CAST(row_number() OVER (ORDER BY v) - 1 AS INTEGER) AS code"
                    + " FROM (SELECT '' AS v UNION SELECT DISTINCT unnest([" + String.join(", ", TEXT) + "]) FROM w)");
            List<String> dict = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT v FROM d ORDER BY code")) {
                while (rs.next()) {
                    dict.add(rs.getString(1));
                }
            }
            long count;
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM w")) {
                rs.next();
                count = rs.getLong(1);
            }
            if (count > Integer.MAX_VALUE / 2) {
                throw new IllegalArgumentException("roster too large: " + count + " rows");
            }
            Roster.Builder b = new Roster.Builder((int) count, dict);
            StringBuilder q = new StringBuilder("SELECT n.num, length(n.wid) - 2,"
                    + " CASE WHEN n.num IS NULL THEN n.wid END");
            StringBuilder joins = new StringBuilder();
            for (int i = 0; i < TEXT.length; i++) {
                q.append(", d").append(i).append(".code");
                joins.append(" JOIN d d").append(i).append(" ON d").append(i).append(".v = n.").append(TEXT[i]);
            }
            q.append(", n.zip, CASE WHEN length(n.phone_digits) = 11 AND n.phone_digits[1] = '1' THEN CAST(n.phone_digits[2:] AS BIGINT)"
                    + " WHEN length(n.phone_digits) BETWEEN 7 AND 15 THEN CAST(n.phone_digits AS BIGINT) ELSE 0 END,"
                    + " n.email_hash, n.pay_rate, n.availability, n.reliability, n.do_not_place"
                    + " FROM (SELECT *, TRY_CAST(regexp_extract(wid, '^W-([0-9]{1,18})$', 1) AS BIGINT) AS num FROM w) AS n");
            String sql = q + joins.toString() + " ORDER BY n.num NULLS LAST";
            int base = 4;
            long tDict = System.nanoTime();
            try (ResultSet rs = st.executeQuery(sql)) {
                while (rs.next()) {
                    long num = rs.getLong(1);
                    boolean odd = rs.wasNull();
                    b.addCoded(odd ? -1 : num, rs.getInt(2), odd ? rs.getString(3) : null,
                            rs.getInt(base), rs.getInt(base + 1), rs.getInt(base + 2), rs.getInt(base + 3),
                            rs.getInt(base + 4), rs.getInt(base + 5), rs.getInt(base + 6),
                            rs.getInt(base + 7), rs.getLong(base + 8), rs.getLong(base + 9),
                            (float) rs.getDouble(base + 10), (float) rs.getDouble(base + 11),
                            (float) rs.getDouble(base + 12), rs.getBoolean(base + 13));
                }
            }
            long tFetched = System.nanoTime();
            Roster r = b.build(version, Instant.now(), (System.nanoTime() - t0) / 1_000_000);
            long tEnd = System.nanoTime();
            LOG.infof("roster read: %d rows, %d dictionary entries; stage in DuckDB %d ms, dictionary %d ms, fetch %d ms, index %d ms",
                    r.count(), dict.size(), (tStaged - t0) / 1_000_000, (tDict - tStaged) / 1_000_000,
                    (tFetched - tDict) / 1_000_000, (tEnd - tFetched) / 1_000_000);
            return r;
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

    private static String number(Map<String, String> types, String col, String dflt) {
        // present but null or not a number: 0 (for availability that means inactive)
        return types.containsKey(col) ? "coalesce(TRY_CAST(" + col + " AS DOUBLE), 0.0)" : dflt;
    }
}

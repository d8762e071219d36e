package com.lakehouse.catalogd.service;

import com.lakehouse.catalogd.store.CatalogModel.Column;
import com.lakehouse.contracts.error.ApiException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Given schemas: a whitelist of DuckDB types (so a type never carries SQL), column names checked and quoted. */
public final class Schemas {
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("varchar", "VARCHAR"), Map.entry("string", "VARCHAR"), Map.entry("text", "VARCHAR"),
            Map.entry("bigint", "BIGINT"), Map.entry("long", "BIGINT"), Map.entry("int64", "BIGINT"),
            Map.entry("integer", "INTEGER"), Map.entry("int", "INTEGER"), Map.entry("int32", "INTEGER"),
            Map.entry("double", "DOUBLE"), Map.entry("float64", "DOUBLE"), Map.entry("float", "FLOAT"),
            Map.entry("real", "FLOAT"), Map.entry("boolean", "BOOLEAN"), Map.entry("bool", "BOOLEAN"),
            Map.entry("date", "DATE"), Map.entry("timestamp", "TIMESTAMP"));
    private static final Pattern DECIMAL = Pattern.compile("decimal\\((\\d{1,2}),(\\d{1,2})\\)");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_ .-]{0,127}");

    private Schemas() {
    }

    /** {@code name:type,name:type} as given in {@code ?schema=}. */
    public static List<Column> parseSpec(String field, String spec) {
        if (spec == null || spec.isBlank()) {
            return null;
        }
        List<Column> cols = new ArrayList<>();
        for (String part : spec.split(",")) {
            int i = part.indexOf(':');
            if (i <= 0) {
                throw ApiException.badField(field, "schema entries are name:type, got '" + part.trim() + "'");
            }
            cols.add(new Column(part.substring(0, i).trim(), part.substring(i + 1).trim()));
        }
        return normalize(field, cols);
    }

    /** Checks names (unique, plain) and maps types to DuckDB types; null stays null (= infer). */
    public static List<Column> normalize(String field, List<Column> cols) {
        if (cols == null) {
            return null;
        }
        if (cols.isEmpty()) {
            throw ApiException.badField(field, "schema must list at least one column");
        }
        Set<String> seen = new HashSet<>();
        List<Column> out = new ArrayList<>();
        for (Column c : cols) {
            if (c == null || c.name() == null || !NAME.matcher(c.name()).matches()) {
                throw ApiException.badField(field, "column name must match " + NAME.pattern());
            }
            if (!seen.add(c.name().toLowerCase(Locale.ROOT))) {
                throw ApiException.badField(field, "duplicate column '" + c.name() + "'");
            }
            out.add(new Column(c.name(), type(field, c.name(), c.type())));
        }
        return out;
    }

    static String type(String field, String column, String type) {
        String t = type == null ? "" : type.trim().toLowerCase(Locale.ROOT).replace(" ", "");
        String mapped = TYPES.get(t);
        if (mapped != null) {
            return mapped;
        }
        var m = DECIMAL.matcher(t);
        if (m.matches() && Integer.parseInt(m.group(1)) >= 1 && Integer.parseInt(m.group(1)) <= 38
                && Integer.parseInt(m.group(2)) <= Integer.parseInt(m.group(1))) {
            return "DECIMAL(" + m.group(1) + "," + m.group(2) + ")";
        }
        throw ApiException.badField(field, "column '" + column + "' has unsupported type '" + type
                + "' (use varchar, bigint, integer, double, float, boolean, date, timestamp, decimal(p,s))");
    }

    /** A double-quoted SQL identifier. */
    public static String ident(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    /** A single-quoted SQL string literal. */
    public static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    /** DuckDB struct literal {'name': 'TYPE', ...} for read_csv/read_json columns=. */
    public static String columnsStruct(List<Column> cols) {
        StringBuilder b = new StringBuilder("{");
        for (int i = 0; i < cols.size(); i++) {
            if (i > 0) {
                b.append(", ");
            }
            b.append(literal(cols.get(i).name())).append(": ").append(literal(cols.get(i).type()));
        }
        return b.append('}').toString();
    }
}

package com.lakehouse.matrixd.service;

import com.lakehouse.contracts.error.ApiException;

import java.util.Collection;
import java.util.Map;

/**
 * {@code metadata_filter}: each key must match (keys ANDed); a scalar wants equality, a list wants any of its
 * values. A document without the key does not match. A list-valued metadata field matches when any of its
 * elements does. Numbers compare numerically ("3" and 3 are equal), everything else as text.
 */
public final class MetadataFilter {
    private MetadataFilter() {
    }

    public static void validate(Map<String, Object> filter) {
        if (filter == null) {
            return;
        }
        for (Map.Entry<String, Object> e : filter.entrySet()) {
            if (e.getKey() == null || e.getKey().isBlank()) {
                throw ApiException.badField("metadata_filter", "metadata_filter keys must be non-empty");
            }
            Object v = e.getValue();
            if (v instanceof Map<?, ?>) {
                throw ApiException.badField("metadata_filter." + e.getKey(),
                        "a filter value is a scalar (equality) or a list (any of), not an object");
            }
            if (v instanceof Collection<?> c && c.isEmpty()) {
                throw ApiException.badField("metadata_filter." + e.getKey(), "an any-of list must not be empty");
            }
        }
    }

    public static boolean matches(Map<String, Object> filter, Map<String, Object> metadata) {
        if (filter == null || filter.isEmpty()) {
            return true;
        }
        if (metadata == null) {
            return false;
        }
        for (Map.Entry<String, Object> e : filter.entrySet()) {
            if (!metadata.containsKey(e.getKey()) || !fieldMatches(e.getValue(), metadata.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static boolean fieldMatches(Object want, Object have) {
        if (want instanceof Collection<?> any) {
            for (Object w : any) {
                if (valueMatches(w, have)) {
                    return true;
                }
            }
            return false;
        }
        return valueMatches(want, have);
    }

    private static boolean valueMatches(Object want, Object have) {
        if (have instanceof Collection<?> many) {
            for (Object h : many) {
                if (scalarEquals(want, h)) {
                    return true;
                }
            }
            return false;
        }
        return scalarEquals(want, have);
    }

    static boolean scalarEquals(Object a, Object b) {
        if (a == null || b == null) {
            return a == b;
        }
        Double da = number(a);
        Double db = number(b);
        if (da != null && db != null) {
            return da.doubleValue() == db.doubleValue();
        }
        return String.valueOf(a).equals(String.valueOf(b));
    }

    private static Double number(Object o) {
        if (o instanceof Number n) {
            return n.doubleValue();
        }
        if (o instanceof String s && !s.isBlank()) {
            try {
                return Double.parseDouble(s.strip());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}

package com.lakehouse.vectord.service;

import com.lakehouse.contracts.error.ApiException;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A metadata filter: {@code {key: scalar}} = equality, {@code {key: [a, b]}} = any of, keys ANDed. A metadata
 * value that is itself a list matches when any of its elements matches. Numbers compare by value (1 == 1.0).
 * A null filter value matches a missing or null key.
 */
public final class MetadataFilter implements Predicate<Entry> {
    private final Map<String, List<Object>> allowed;

    private MetadataFilter(Map<String, List<Object>> allowed) {
        this.allowed = allowed;
    }

    /** Compiles a filter, refusing nested objects with a 400 naming {@code field.key}. Null or empty = no filter. */
    public static MetadataFilter compile(String field, Map<String, Object> filter) {
        if (filter == null || filter.isEmpty()) {
            return null;
        }
        Map<String, List<Object>> compiled = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : filter.entrySet()) {
            Object v = e.getValue();
            List<Object> values = new ArrayList<>();
            if (v instanceof Collection<?> c) {
                if (c.isEmpty()) {
                    throw ApiException.badField(field + "." + e.getKey(), "an 'any of' list must not be empty");
                }
                for (Object o : c) {
                    values.add(scalar(field + "." + e.getKey(), o));
                }
            } else {
                values.add(scalar(field + "." + e.getKey(), v));
            }
            compiled.put(e.getKey(), values);
        }
        return new MetadataFilter(compiled);
    }

    private static Object scalar(String field, Object o) {
        if (o == null || o instanceof String || o instanceof Boolean) {
            return o;
        }
        if (o instanceof Number n) {
            return normalize(n);
        }
        throw ApiException.badField(field, "filter values must be scalars or lists of scalars");
    }

    private static BigDecimal normalize(Number n) {
        try {
            return new BigDecimal(n.toString()).stripTrailingZeros();
        } catch (NumberFormatException e) {
            return BigDecimal.valueOf(n.doubleValue());
        }
    }

    @Override
    public boolean test(Entry entry) {
        Map<String, Object> md = entry.metadata();
        for (Map.Entry<String, List<Object>> f : allowed.entrySet()) {
            Object actual = md == null ? null : md.get(f.getKey());
            if (!matches(actual, f.getValue())) {
                return false;
            }
        }
        return true;
    }

    private static boolean matches(Object actual, List<Object> wanted) {
        if (actual instanceof Collection<?> c) {
            for (Object o : c) {
                if (matchesOne(o, wanted)) {
                    return true;
                }
            }
            return false;
        }
        return matchesOne(actual, wanted);
    }

    private static boolean matchesOne(Object actual, List<Object> wanted) {
        Object a = actual instanceof Number n ? normalize(n) : actual;
        for (Object w : wanted) {
            if (a == null ? w == null : a.equals(w)) {
                return true;
            }
        }
        return false;
    }
}

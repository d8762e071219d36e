package com.lakehouse.contracts.names;

import com.lakehouse.contracts.error.ApiException;

import java.util.regex.Pattern;

/**
 * Index, corpus and dataset names: {@code [a-z0-9][a-z0-9_-]{0,62}}. Anything else is refused before it
 * can become part of an S3 key or a file path (no traversal, no surprises in listings).
 */
public final class ResourceNames {
    public static final Pattern PATTERN = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

    private ResourceNames() {
    }

    public static boolean isValid(String name) {
        return name != null && PATTERN.matcher(name).matches();
    }

    /** Returns the name when valid, else throws a 400 naming {@code field}. */
    public static String require(String field, String name) {
        if (name == null || name.isEmpty()) {
            throw ApiException.badField(field, "'" + field + "' is required");
        }
        if (!isValid(name)) {
            throw ApiException.badField(field, "'" + field + "' must match " + PATTERN.pattern());
        }
        return name;
    }
}

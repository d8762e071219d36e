package com.lakehouse.contracts.http;

import com.lakehouse.contracts.error.ApiException;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Parsing of request parameters that many routes share, with the 400 naming the field when they are malformed. */
public final class Params {
    private Params() {
    }

    /** An ISO-8601 instant, or null when absent or blank; a malformed one is a 400 naming {@code field}. */
    public static Instant instant(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.badField(field, "'" + field + "' must be an ISO-8601 instant like 2026-11-25T10:00:00Z");
        }
    }
}

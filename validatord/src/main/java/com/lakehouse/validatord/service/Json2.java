package com.lakehouse.validatord.service;

import com.fasterxml.jackson.databind.JsonNode;

/** Small helpers for reading artifacts and contexts. */
final class Json2 {
    private Json2() {
    }

    static String text(JsonNode node, String field) {
        if (node == null) {
            return null;
        }
        JsonNode v = node.get(field);
        return v == null || v.isNull() || !v.isValueNode() ? null : v.asText();
    }

    static boolean present(JsonNode node, String field) {
        return node != null && node.hasNonNull(field);
    }

    /** A non-negative integer from a number or a numeric string; null when absent; -1 when malformed. */
    static Integer count(JsonNode node, String field) {
        if (node == null || !node.hasNonNull(field)) {
            return null;
        }
        JsonNode v = node.get(field);
        if (v.isIntegralNumber() && v.canConvertToInt() && v.asInt() >= 0) {
            return v.asInt();
        }
        if (v.isTextual() && v.asText().trim().matches("\\d{1,9}")) {
            return Integer.parseInt(v.asText().trim());
        }
        return -1;
    }
}

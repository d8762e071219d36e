package com.lakehouse.embedd.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.lakehouse.contracts.error.ApiException;

import java.util.ArrayList;
import java.util.List;

/** Reads a text-or-list-of-texts JSON field, naming the field (and item) on bad input. */
final class Inputs {
    private Inputs() {
    }

    /** Null when the field is absent or JSON null; else the texts (a string is a batch of one). */
    static List<String> texts(JsonNode node, String field) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isTextual()) {
            return List.of(node.textValue());
        }
        if (!node.isArray()) {
            throw ApiException.badField(field, "'" + field + "' must be a string or a list of strings");
        }
        List<String> out = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            if (!item.isTextual()) {
                throw ApiException.badField(field + "[" + i + "]", "must be a string"
                        + (item.isArray() || item.isNumber() ? " (token arrays are not supported)" : ""));
            }
            out.add(item.textValue());
        }
        return out;
    }
}

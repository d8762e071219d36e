package com.lakehouse.validatord.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.lakehouse.contracts.error.ApiException;
import com.lakehouse.validatord.service.RosterUnavailableException;

/** Request body helpers: every bad field becomes a 400 naming it. */
final class Bodies {
    private Bodies() {
    }

    static JsonNode object(JsonNode body) {
        if (body == null || body.isNull() || body.isMissingNode()) {
            throw ApiException.badField("body", "a JSON object body is required");
        }
        if (!body.isObject()) {
            throw ApiException.badField("body", "the body must be a JSON object");
        }
        return body;
    }

    static String requiredString(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            throw ApiException.badField(field, field + " is required");
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw ApiException.badField(field, field + " must be a non-empty string");
        }
        return v.asText();
    }

    static String optionalString(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw ApiException.badField(field, field + " must be a string");
        }
        return v.asText();
    }

    /** The context: absent or null is an empty object; anything but an object is a 400. */
    static JsonNode context(JsonNode body) {
        JsonNode v = body.get("context");
        if (v == null || v.isNull()) {
            return com.lakehouse.contracts.json.Json.mapper().createObjectNode();
        }
        if (!v.isObject()) {
            throw ApiException.badField("context", "context must be an object");
        }
        return v;
    }

    static ApiException rosterUnavailable(RosterUnavailableException e) {
        return ApiException.unavailable("roster_not_loaded", e.getMessage());
    }
}

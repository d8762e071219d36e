package com.lakehouse.pathwayd.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.lakehouse.contracts.error.ApiException;

import java.util.List;

/** Request bodies of pathwayd's routes, with the checks that name the offending field. */
final class PathwayRequests {
    private PathwayRequests() {
    }

    record Upsert(String taskClass, String subject, String signalClass, JsonNode content, List<String> tags, String role) {
    }

    record Revise(String parentTraceUid, JsonNode content, List<String> tags, String role) {
    }

    record Retire(String traceUid, String reason) {
    }

    record Replay(String traceUid) {
    }

    record Search(String query, String role, List<String> tags, Integer k) {
    }

    static final int MAX_TEXT = 500;

    static String text(String field, String value) {
        if (value == null || value.isBlank()) {
            throw ApiException.badField(field, "'" + field + "' is required");
        }
        if (value.length() > MAX_TEXT) {
            throw ApiException.badField(field, "'" + field + "' is longer than " + MAX_TEXT + " characters");
        }
        return value.strip();
    }

    /** content = {steps: [non-empty list], verdict: "text", ...anything else kept}. */
    static JsonNode content(JsonNode content, int maxSteps) {
        if (content == null || !content.isObject()) {
            throw ApiException.badField("content", "'content' must be an object {steps, verdict}");
        }
        JsonNode steps = content.get("steps");
        if (steps == null || !steps.isArray() || steps.isEmpty()) {
            throw ApiException.badField("content.steps", "'content.steps' must be a non-empty array");
        }
        if (steps.size() > maxSteps) {
            throw ApiException.unprocessable("content.steps", "'content.steps' has " + steps.size()
                    + " steps; the limit is " + maxSteps);
        }
        JsonNode verdict = content.get("verdict");
        if (verdict == null || !verdict.isTextual() || verdict.asText().isBlank()) {
            throw ApiException.badField("content.verdict", "'content.verdict' must be a non-empty string");
        }
        return content;
    }

    static List<String> tags(List<String> tags) {
        if (tags == null) {
            return List.of();
        }
        for (int i = 0; i < tags.size(); i++) {
            if (tags.get(i) == null || tags.get(i).isBlank()) {
                throw ApiException.badField("tags[" + i + "]", "tags must be non-empty strings");
            }
        }
        return tags.stream().map(String::strip).distinct().sorted().toList();
    }
}

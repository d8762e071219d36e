package com.lakehouse.pathwayd.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.lakehouse.contracts.error.ApiException;

import java.util.List;

/** Request bodies of pathwayd's routes, with the checks that name the offending field. */
final class PathwayRequests {
    private PathwayRequests() {
    }

    /**
     * Today's shape {task_class, subject, signal_class, content{steps, verdict}} or the Go fleet's {uid?, content
     * (a string or an object), tags, predecessor_uid?}: a body with none of task_class, subject and signal_class
     * is the Go shape (see docs/pathwayd.md for the mapping).
     */
    record Upsert(String uid, String taskClass, String subject, String signalClass, JsonNode content, List<String> tags,
                  String role, String predecessorUid) {
        boolean goShape() {
            return taskClass == null && subject == null && signalClass == null;
        }
    }

    /** {@code predecessor_uid} is the Go fleet's name of {@code parent_trace_uid}; {@code uid} names the new version. */
    record Revise(String uid, String parentTraceUid, String predecessorUid, JsonNode content, List<String> tags, String role) {
        String parent() {
            return parentTraceUid != null ? parentTraceUid : predecessorUid;
        }

        String parentField() {
            return parentTraceUid != null || predecessorUid == null ? "parent_trace_uid" : "predecessor_uid";
        }
    }

    record Retire(String traceUid, String uid, String reason) {
        String target() {
            return traceUid != null ? traceUid : uid;
        }
    }

    record Replay(String traceUid, String uid) {
        String target() {
            return traceUid != null ? traceUid : uid;
        }
    }

    record Search(String query, String role, List<String> tags, Integer k) {
    }

    static final int MAX_TEXT = 500;
    /** A string content (Go shape) is the workflow itself, so it may be longer than a subject. */
    static final int MAX_CONTENT_TEXT = 20_000;

    static String optionalText(String field, String value) {
        return value == null ? null : text(field, value);
    }

    static String text(String field, String value) {
        if (value == null || value.isBlank()) {
            throw ApiException.badField(field, "'" + field + "' is required");
        }
        if (value.length() > MAX_TEXT) {
            throw ApiException.badField(field, "'" + field + "' is longer than " + MAX_TEXT + " characters");
        }
        return value.strip();
    }

    /**
     * content = {steps: [non-empty list], verdict: "text", ...anything else kept}, or a non-blank string. With
     * {@code structured} false (the Go shape) any non-empty object is taken as it is, as the Go fleet does.
     */
    static JsonNode content(JsonNode content, int maxSteps, boolean structured) {
        if (content != null && content.isTextual()) {
            String text = content.asText();
            if (text.isBlank()) {
                throw ApiException.badField("content", "'content' must not be blank");
            }
            if (text.length() > MAX_CONTENT_TEXT) {
                throw ApiException.badField("content", "'content' is longer than " + MAX_CONTENT_TEXT + " characters");
            }
            return content;
        }
        if (content == null || !content.isObject()) {
            throw ApiException.badField("content", "'content' must be a string or an object {steps, verdict}");
        }
        if (!structured && !content.has("steps")) {
            if (content.isEmpty()) {
                throw ApiException.badField("content", "'content' must not be an empty object");
            }
            return content;
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

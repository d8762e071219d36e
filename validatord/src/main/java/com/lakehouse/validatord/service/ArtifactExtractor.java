package com.lakehouse.validatord.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.lakehouse.contracts.json.Json;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the JSON artifact in an LLM answer: the whole text when it parses as an object, else the first
 * {@code ```json} (or bare {@code ```}) fence that does, else the first balanced {@code {...}} in the prose
 * that does. Returns null when there is none.
 */
public final class ArtifactExtractor {
    private static final Pattern FENCE = Pattern.compile("```(?:json|JSON)?\\s*\\n?(.*?)```", Pattern.DOTALL);

    private ArtifactExtractor() {
    }

    public static JsonNode extract(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        JsonNode whole = parseObject(text.strip());
        if (whole != null) {
            return whole;
        }
        Matcher m = FENCE.matcher(text);
        while (m.find()) {
            JsonNode n = parseObject(m.group(1).strip());
            if (n != null) {
                return n;
            }
        }
        for (int start = text.indexOf('{'); start >= 0; start = text.indexOf('{', start + 1)) {
            int end = balancedEnd(text, start);
            if (end > start) {
                JsonNode n = parseObject(text.substring(start, end + 1));
                if (n != null) {
                    return n;
                }
            }
        }
        return null;
    }

    private static JsonNode parseObject(String s) {
        if (s.isEmpty() || s.charAt(0) != '{') {
            return null;
        }
        try {
            JsonNode n = Json.mapper().readTree(s);
            return n != null && n.isObject() ? n : null;
        } catch (Exception e) {
            return null;
        }
    }

    /** Index of the brace closing the one at {@code start}, skipping strings; -1 when unbalanced. */
    static int balancedEnd(String s, int start) {
        int depth = 0;
        boolean inString = false;
        for (int i = start; i < s.length(); i++) {
            char c = s.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{') {
                depth++;
            } else if (c == '}') {
                if (--depth == 0) {
                    return i;
                }
            }
        }
        return -1;
    }
}

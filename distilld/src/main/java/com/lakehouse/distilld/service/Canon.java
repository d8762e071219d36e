package com.lakehouse.distilld.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.lakehouse.contracts.json.CanonicalJson;
import com.lakehouse.contracts.json.Json;

import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;

/** Deterministic JSON, hashes and JSONL writing: the same input always gives the same bytes. */
public final class Canon {
    public static final ObjectMapper JSON = Json.mapper();

    private Canon() {
    }

    /** The node with object keys sorted, recursively (the fleet's canonical JSON). */
    public static JsonNode sorted(JsonNode n) {
        return CanonicalJson.sorted(n);
    }

    /** Text of a node: a string as is, anything else as canonical (key-sorted) JSON; null/missing as "". */
    public static String text(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return "";
        }
        if (n.isTextual()) {
            return n.asText();
        }
        try {
            return JSON.writeValueAsString(sorted(n));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String sha256(byte[] bytes) {
        return CanonicalJson.sha256(bytes);
    }

    public static String sha256(String s) {
        return sha256(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Rows as JSONL bytes, one compact JSON per line, each ending in a newline. */
    public static byte[] jsonl(Collection<?> rows) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, rows.size() * 256));
        try {
            for (Object r : rows) {
                out.write(JSON.writeValueAsBytes(r));
                out.write('\n');
            }
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}

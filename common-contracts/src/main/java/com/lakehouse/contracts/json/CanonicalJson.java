package com.lakehouse.contracts.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * JSON that does not depend on how a client ordered its keys, and its sha256: for content hashes (pathwayd),
 * byte-identical exports (distilld) and anything else that must hash the same data the same way.
 */
public final class CanonicalJson {
    private CanonicalJson() {
    }

    /** The node with object keys sorted at every depth. */
    public static JsonNode sorted(JsonNode n) {
        if (n == null) {
            return null;
        }
        if (n.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            List<String> names = new ArrayList<>();
            n.fieldNames().forEachRemaining(names::add);
            names.sort(String::compareTo);
            for (String k : names) {
                out.set(k, sorted(n.get(k)));
            }
            return out;
        }
        if (n.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            n.forEach(c -> out.add(sorted(c)));
            return out;
        }
        return n;
    }

    /** The canonical JSON text (keys sorted, fleet mapper settings). */
    public static String text(JsonNode n) {
        try {
            return Json.mapper().writeValueAsString(sorted(n));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    /** sha256 of the canonical JSON text. */
    public static String hash(JsonNode n) {
        return sha256(text(n));
    }
}

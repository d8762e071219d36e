package com.lakehouse.distilld.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

/** Reads JSONL tolerantly: every line is handed over with its 1-based number; a bad line never stops the read. */
public final class Jsonl {
    /** One line: parsed object, or the raw text and the parse error. */
    public record Line(String file, long number, String raw, JsonNode node, String error) {
        public boolean ok() {
            return error == null;
        }
    }

    private Jsonl() {
    }

    public static void read(String file, byte[] bytes, Consumer<Line> sink) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        int start = 0;
        long no = 0;
        while (start < text.length()) {
            int nl = text.indexOf('\n', start);
            int end = nl < 0 ? text.length() : nl;
            no++;
            String raw = text.substring(start, end);
            start = end + 1;
            if (raw.isBlank()) {
                continue;
            }
            JsonNode node = null;
            String error = null;
            try {
                node = Canon.JSON.readTree(raw);
                if (node == null || !node.isObject()) {
                    error = "line " + no + ": not a JSON object";
                    node = null;
                }
            } catch (Exception e) {
                String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                int cut = m.indexOf('\n');
                error = "line " + no + ": unreadable JSON" + (nl < 0 ? " (truncated last line)" : "") + ": "
                        + (cut > 0 ? m.substring(0, cut) : m);
            }
            sink.accept(new Line(file, no, raw, node, error));
        }
    }

    /** A raw line kept in a quarantine row (capped so one huge line cannot bloat the file). */
    public static JsonNode rawRecord(String raw) {
        return TextNode.valueOf(raw.length() > 4000 ? raw.substring(0, 4000) : raw);
    }

    static List<String> errors(String... e) {
        return List.of(e);
    }
}

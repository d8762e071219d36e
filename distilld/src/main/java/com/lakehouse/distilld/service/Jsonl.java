package com.lakehouse.distilld.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
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
        read(file, new ByteArrayInputStream(bytes), sink);
    }

    /**
     * Reads a stream line by line (split on '\n' bytes, which never occur inside a UTF-8 sequence), so a file of
     * any size costs one line of memory. Closes the stream.
     */
    public static void read(String file, InputStream in, Consumer<Line> sink) {
        byte[] buf = new byte[64 * 1024];
        ByteArrayOutputStream line = new ByteArrayOutputStream(1024);
        long no = 0;  // line numbers count blank lines too, as before
        try (in) {
            int n;
            while ((n = in.read(buf)) > 0) {
                int from = 0;
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n') {
                        line.write(buf, from, i - from);
                        emit(file, ++no, line.toString(StandardCharsets.UTF_8), true, sink);
                        // a huge line does not keep its buffer for the rest of the file
                        line = line.size() > 256 * 1024 ? new ByteArrayOutputStream(1024) : line;
                        line.reset();
                        from = i + 1;
                    }
                }
                line.write(buf, from, n - from);
            }
            if (line.size() > 0) {
                emit(file, ++no, line.toString(StandardCharsets.UTF_8), false, sink);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file, e);
        }
    }

    private static void emit(String file, long no, String raw, boolean newline, Consumer<Line> sink) {
        if (raw.isBlank()) {
            return;
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
            error = "line " + no + ": unreadable JSON" + (newline ? "" : " (truncated last line)") + ": "
                    + (cut > 0 ? m.substring(0, cut) : m);
        }
        sink.accept(new Line(file, no, raw, node, error));
    }

    /** A raw line kept in a quarantine row (capped so one huge line cannot bloat the file). */
    public static JsonNode rawRecord(String raw) {
        return TextNode.valueOf(raw.length() > 4000 ? raw.substring(0, 4000) : raw);
    }

    static List<String> errors(String... e) {
        return List.of(e);
    }
}

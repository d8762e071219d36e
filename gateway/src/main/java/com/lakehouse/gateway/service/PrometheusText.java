package com.lakehouse.gateway.service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A parser for the Prometheus text exposition format (version 0.0.4, what every daemon's {@code /q/metrics}
 * serves; OpenMetrics' {@code # EOF} is read as the comment it looks like). Plain Java so it is unit-tested
 * without Quarkus. Strict on purpose: a line it cannot read is a {@link FormatException} naming the line, so a
 * broken exposition shows up as an error in the fleet metrics instead of as silently wrong numbers.
 */
public final class PrometheusText {
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern TIMESTAMP = Pattern.compile("-?\\d+");

    private PrometheusText() {
    }

    /** One sample line: metric name, labels in the order written, value (NaN and +/-Inf included). */
    public record Sample(String name, Map<String, String> labels, double value) {
        public String label(String key) {
            return labels.get(key);
        }
    }

    /** A line that is not a comment, blank or a well-formed sample; the message names the line number. */
    public static final class FormatException extends IllegalArgumentException {
        public FormatException(int line, String why) {
            super("line " + line + ": " + why);
        }
    }

    public static List<Sample> parse(String text) {
        List<Sample> out = new ArrayList<>();
        int lineNo = 0;
        for (String raw : text.split("\n", -1)) {
            lineNo++;
            String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
            String trimmed = line.strip();
            // # HELP, # TYPE, # EOF and any other comment carry no sample.
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            out.add(new LineReader(trimmed, lineNo).sample());
        }
        return out;
    }

    /** Reads one sample line left to right. */
    private static final class LineReader {
        private final String s;
        private final int lineNo;
        private int i;

        LineReader(String s, int lineNo) {
            this.s = s;
            this.lineNo = lineNo;
        }

        Sample sample() {
            String name = name(true);
            Map<String, String> labels = new LinkedHashMap<>();
            if (i < s.length() && s.charAt(i) == '{') {
                i++;
                labels(labels);
            }
            if (i >= s.length() || !Character.isWhitespace(s.charAt(i))) {
                throw fail("expected a space before the value");
            }
            skipSpaces();
            int start = i;
            while (i < s.length() && !Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            double value = value(s.substring(start, i));
            skipSpaces();
            if (i < s.length()) {
                // an optional timestamp (milliseconds since the epoch); nothing may follow it
                String ts = s.substring(i);
                if (!TIMESTAMP.matcher(ts).matches()) {
                    throw fail("unexpected text after the value: '" + ts + "'");
                }
            }
            return new Sample(name, Map.copyOf(labels), value);
        }

        private void labels(Map<String, String> labels) {
            while (true) {
                skipSpaces();
                if (i < s.length() && s.charAt(i) == '}') {
                    i++;
                    return;
                }
                String key = name(false);
                skipSpaces();
                expect('=');
                skipSpaces();
                expect('"');
                StringBuilder v = new StringBuilder();
                while (true) {
                    if (i >= s.length()) {
                        throw fail("label value of '" + key + "' is not closed");
                    }
                    char c = s.charAt(i++);
                    if (c == '"') {
                        break;
                    }
                    if (c == '\\') {
                        if (i >= s.length()) {
                            throw fail("label value of '" + key + "' ends in a backslash");
                        }
                        char e = s.charAt(i++);
                        switch (e) {
                            case '\\' -> v.append('\\');
                            case '"' -> v.append('"');
                            case 'n' -> v.append('\n');
                            default -> throw fail("unknown escape \\" + e + " in label '" + key + "'");
                        }
                    } else {
                        v.append(c);
                    }
                }
                if (labels.put(key, v.toString()) != null) {
                    throw fail("label '" + key + "' given twice");
                }
                skipSpaces();
                if (i < s.length() && s.charAt(i) == ',') {
                    i++;
                    continue;
                }
                skipSpaces();
                expect('}');
                return;
            }
        }

        /** A metric name ([a-zA-Z_:][a-zA-Z0-9_:]*) or a label name (no colons). */
        private String name(boolean metric) {
            int start = i;
            while (i < s.length()) {
                char c = s.charAt(i);
                boolean ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (metric && c == ':')
                        || (i > start && c >= '0' && c <= '9');
                if (!ok) {
                    break;
                }
                i++;
            }
            if (i == start) {
                throw fail("expected a " + (metric ? "metric" : "label") + " name at column " + (i + 1));
            }
            return s.substring(start, i);
        }

        private double value(String v) {
            switch (v) {
                case "NaN":
                    return Double.NaN;
                case "+Inf", "Inf":
                    return Double.POSITIVE_INFINITY;
                case "-Inf":
                    return Double.NEGATIVE_INFINITY;
                default:
                    break;
            }
            // Double.parseDouble also takes "Infinity", hex floats and a trailing 'd'/'f'; the format has none of those.
            if (!NUMBER.matcher(v).matches()) {
                throw fail("not a number: '" + v + "'");
            }
            return Double.parseDouble(v);
        }

        private void expect(char c) {
            if (i >= s.length() || s.charAt(i) != c) {
                throw fail("expected '" + c + "' at column " + (i + 1));
            }
            i++;
        }

        private void skipSpaces() {
            while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
                i++;
            }
        }

        private FormatException fail(String why) {
            return new FormatException(lineNo, why);
        }
    }
}

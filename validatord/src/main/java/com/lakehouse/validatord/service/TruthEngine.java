package com.lakehouse.validatord.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Evaluates truth rules against an artifact and its context. Stateless; the rule set is passed in. */
public final class TruthEngine {
    public static final String REDACTED = "[REDACTED]";

    /** What the rules made of one artifact. */
    public record Outcome(List<Matched> matched, List<Finding> findings, JsonNode redactedArtifact, boolean blocked) {
    }

    public record Matched(String id, String action, String description) {
    }

    private TruthEngine() {
    }

    public static Outcome evaluate(List<TruthRule> rules, String taskClass, JsonNode artifact, JsonNode context) {
        List<Matched> matched = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        JsonNode redacted = null;
        boolean blocked = false;
        for (TruthRule r : rules) {
            if (!r.taskClass().equals("*") && !r.taskClass().equals(taskClass)) {
                continue;
            }
            if (!holds(r.condition(), artifact, context)) {
                continue;
            }
            matched.add(new Matched(r.id(), r.action(), r.description()));
            String msg = r.description() != null && !r.description().isBlank() ? r.description() : "truth rule " + r.id();
            String field = r.condition().field();
            switch (r.action()) {
                case "reject" -> findings.add(Finding.error(r.findingCode(), Finding.POLICY, field, msg + " [rule " + r.id() + "]"));
                case "block" -> {
                    blocked = true;
                    findings.add(Finding.error(r.findingCode(), Finding.POLICY, field, msg + " [rule " + r.id() + ", blocked]"));
                }
                case "redact" -> {
                    if (redacted == null) {
                        redacted = artifact == null ? null : artifact.deepCopy();
                    }
                    if (redacted != null && !field.startsWith("context.")) {
                        redact(redacted, stripArtifact(field), r.condition());
                    }
                    findings.add(Finding.warning(r.findingCode(), Finding.POLICY, field, msg + " [rule " + r.id() + ", redacted]"));
                }
                default -> {
                }
            }
        }
        return new Outcome(matched, findings, redacted, blocked);
    }

    static boolean holds(TruthRule.Condition c, JsonNode artifact, JsonNode context) {
        if (c.type().equals("always")) {
            return true;
        }
        List<JsonNode> values = resolve(c.field(), artifact, context);
        switch (c.type()) {
            case "field_empty" -> {
                return values.stream().allMatch(TruthEngine::empty);
            }
            case "field_equals" -> {
                List<JsonNode> wanted = c.values() != null && !c.values().isEmpty() ? c.values() : List.of(c.value());
                return values.stream().anyMatch(v -> !empty(v) && wanted.stream().anyMatch(w -> same(v, w)));
            }
            case "field_mismatch" -> {
                List<JsonNode> others = c.other() != null ? resolve(c.other(), artifact, context) : List.of(c.value());
                if (others.stream().allMatch(TruthEngine::empty)) {
                    return false;
                }
                return values.stream().anyMatch(v -> !empty(v) && others.stream().noneMatch(o -> same(v, o)));
            }
            case "field_greater" -> {
                double limit = c.value().asDouble();
                return values.stream().anyMatch(v -> {
                    Double d = number(v);
                    return d != null && d > limit;
                });
            }
            case "field_contains_any" -> {
                return values.stream().anyMatch(v -> containsAny(v, c.values()));
            }
            default -> {
                return false;
            }
        }
    }

    private static boolean containsAny(JsonNode v, List<JsonNode> needles) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return false;
        }
        if (v.isArray()) {
            for (JsonNode e : v) {
                for (JsonNode n : needles) {
                    if (same(e, n)) {
                        return true;
                    }
                }
            }
            return false;
        }
        String hay = v.isValueNode() ? v.asText().toLowerCase(Locale.ROOT) : v.toString().toLowerCase(Locale.ROOT);
        for (JsonNode n : needles) {
            String needle = n.asText().toLowerCase(Locale.ROOT);
            if (!needle.isEmpty() && hay.contains(needle)) {
                return true;
            }
        }
        return false;
    }

    private static Double number(JsonNode v) {
        if (v == null) {
            return null;
        }
        if (v.isNumber()) {
            return v.asDouble();
        }
        if (v.isArray() || v.isObject()) {
            return (double) v.size();
        }
        if (v.isTextual()) {
            try {
                return Double.parseDouble(v.asText().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static boolean empty(JsonNode v) {
        return v == null || v.isNull() || v.isMissingNode() || (v.isTextual() && v.asText().isBlank())
                || (v.isContainerNode() && v.isEmpty());
    }

    private static boolean same(JsonNode a, JsonNode b) {
        if (a == null || b == null) {
            return false;
        }
        if (a.isNumber() && b.isNumber()) {
            return a.asDouble() == b.asDouble();
        }
        if (a.isValueNode() && b.isValueNode()) {
            return Names.normalise(a.asText()).equals(Names.normalise(b.asText()));
        }
        return a.equals(b);
    }

    private static String stripArtifact(String field) {
        return field.startsWith("artifact.") ? field.substring("artifact.".length()) : field;
    }

    /** The nodes a path names; a missing path resolves to one missing node (so field_empty holds). */
    public static List<JsonNode> resolve(String path, JsonNode artifact, JsonNode context) {
        JsonNode root = artifact;
        String p = path;
        if (p.startsWith("context.")) {
            root = context;
            p = p.substring("context.".length());
        } else if (p.startsWith("artifact.")) {
            p = p.substring("artifact.".length());
        }
        List<JsonNode> current = new ArrayList<>();
        current.add(root == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : root);
        for (String seg : segments(p)) {
            List<JsonNode> next = new ArrayList<>();
            for (JsonNode n : current) {
                if (seg.equals("[*]")) {
                    if (n.isArray()) {
                        n.forEach(next::add);
                    }
                } else if (seg.startsWith("[")) {
                    next.add(n.path(Integer.parseInt(seg.substring(1, seg.length() - 1))));
                } else {
                    next.add(n.path(seg));
                }
            }
            current = next;
        }
        if (current.isEmpty()) {
            current.add(com.fasterxml.jackson.databind.node.MissingNode.getInstance());
        }
        return current;
    }

    static List<String> segments(String path) {
        List<String> out = new ArrayList<>();
        for (String part : path.split("\\.")) {
            int b = part.indexOf('[');
            String name = b < 0 ? part : part.substring(0, b);
            if (!name.isEmpty()) {
                out.add(name);
            }
            while (b >= 0) {
                int e = part.indexOf(']', b);
                if (e < 0) {
                    throw new IllegalArgumentException("bad path " + path);
                }
                String idx = part.substring(b, e + 1);
                if (!idx.equals("[*]") && !idx.matches("\\[\\d+]")) {
                    throw new IllegalArgumentException("bad path " + path);
                }
                out.add(idx);
                b = part.indexOf('[', e);
            }
        }
        return out;
    }

    /** Masks the value(s) at the path: matched substrings for field_contains_any, else the whole value. */
    private static void redact(JsonNode root, String path, TruthRule.Condition c) {
        List<String> segs = segments(path);
        if (segs.isEmpty()) {
            return;
        }
        List<JsonNode> parents = new ArrayList<>();
        parents.add(root);
        for (int i = 0; i < segs.size() - 1; i++) {
            List<JsonNode> next = new ArrayList<>();
            for (JsonNode n : parents) {
                String s = segs.get(i);
                if (s.equals("[*]")) {
                    if (n.isArray()) {
                        n.forEach(next::add);
                    }
                } else if (s.startsWith("[")) {
                    next.add(n.path(Integer.parseInt(s.substring(1, s.length() - 1))));
                } else {
                    next.add(n.path(s));
                }
            }
            parents = next;
        }
        String last = segs.get(segs.size() - 1);
        for (JsonNode parent : parents) {
            if (parent instanceof ObjectNode o && !last.startsWith("[") && o.has(last)) {
                o.set(last, mask(o.get(last), c));
            } else if (parent instanceof ArrayNode a && last.startsWith("[")) {
                if (last.equals("[*]")) {
                    for (int i = 0; i < a.size(); i++) {
                        a.set(i, mask(a.get(i), c));
                    }
                } else {
                    int i = Integer.parseInt(last.substring(1, last.length() - 1));
                    if (i < a.size()) {
                        a.set(i, mask(a.get(i), c));
                    }
                }
            }
        }
    }

    private static JsonNode mask(JsonNode v, TruthRule.Condition c) {
        if (c.type().equals("field_contains_any") && v.isTextual()) {
            String s = v.asText();
            for (JsonNode n : c.values()) {
                String needle = n.asText();
                if (!needle.isEmpty()) {
                    s = s.replaceAll("(?i)" + java.util.regex.Pattern.quote(needle), REDACTED);
                }
            }
            return TextNode.valueOf(s);
        }
        return TextNode.valueOf(REDACTED);
    }
}

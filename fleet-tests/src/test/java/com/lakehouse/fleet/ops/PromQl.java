package com.lakehouse.fleet.ops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Just enough PromQL lexing to find the series selectors of a Grafana query: metric names with their label
 * matchers. Function and aggregation names, label lists after {@code by/without/on/ignoring/group_*}, range
 * and subquery brackets, durations, numbers, strings and Grafana variables ({@code $__rate_interval}) are skipped.
 */
public final class PromQl {
    private PromQl() {
    }

    /** One vector selector: {@code name{matchers}}; {@code equalities} holds the {@code label="value"} matchers. */
    public record Selector(String metric, String matchers, Map<String, String> equalities) {
        /** The selector as a {@code match[]} argument of the Prometheus series API. */
        public String match() {
            return matchers.isBlank() ? metric : metric + "{" + matchers + "}";
        }
    }

    private static final Set<String> AGGREGATIONS = Set.of("sum", "min", "max", "avg", "count", "stddev", "stdvar",
            "topk", "bottomk", "quantile", "count_values", "group", "limitk", "limit_ratio");
    private static final Set<String> LABEL_LIST_KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right");
    private static final Set<String> OPERATOR_KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "atan2");

    /** The metric names an expression selects, in order of first appearance. */
    public static List<String> metricNames(String expr) {
        List<String> names = new ArrayList<>();
        for (Selector s : selectors(expr)) {
            if (s.metric() != null && !names.contains(s.metric())) {
                names.add(s.metric());
            }
        }
        return names;
    }

    /** Every vector selector of an expression (a selector without a name takes {@code __name__} when given). */
    public static List<Selector> selectors(String expr) {
        List<Selector> out = new ArrayList<>();
        int n = expr.length();
        int i = 0;
        while (i < n) {
            char c = expr.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                i = skipString(expr, i);
            } else if (c == '[') {
                i = skipBalanced(expr, i, '[', ']');
            } else if (c == '$') {
                i++;
                while (i < n && (isIdentPart(expr.charAt(i)) || expr.charAt(i) == '{' || expr.charAt(i) == '}')) {
                    i++;
                }
            } else if (c == '#') {
                while (i < n && expr.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '{') {
                int end = skipBalanced(expr, i, '{', '}');
                String inner = expr.substring(i + 1, Math.max(i + 1, end - 1));
                Map<String, String> eq = equalities(inner);
                out.add(new Selector(eq.get("__name__"), inner.strip(), eq));
                i = end;
            } else if (Character.isDigit(c) || (c == '.' && i + 1 < n && Character.isDigit(expr.charAt(i + 1)))) {
                while (i < n && (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '.' || expr.charAt(i) == '_')) {
                    i++;
                }
            } else if (isIdentStart(c)) {
                int start = i;
                while (i < n && isIdentPart(expr.charAt(i))) {
                    i++;
                }
                String ident = expr.substring(start, i);
                int j = skipSpace(expr, i);
                String lower = ident.toLowerCase(java.util.Locale.ROOT);
                if (LABEL_LIST_KEYWORDS.contains(lower)) {
                    if (j < n && expr.charAt(j) == '(') {
                        i = skipBalanced(expr, j, '(', ')');
                    }
                } else if (OPERATOR_KEYWORDS.contains(lower) || AGGREGATIONS.contains(lower)
                        || (j < n && expr.charAt(j) == '(')) {
                    // a function, aggregation or keyword: its arguments are scanned as we go
                } else if (j < n && expr.charAt(j) == '{') {
                    int end = skipBalanced(expr, j, '{', '}');
                    String inner = expr.substring(j + 1, Math.max(j + 1, end - 1));
                    out.add(new Selector(ident, inner.strip(), equalities(inner)));
                    i = end;
                } else {
                    out.add(new Selector(ident, "", Map.of()));
                }
            } else {
                i++;
            }
        }
        return out;
    }

    /** The {@code label="value"} matchers of a selector body (other operators are ignored). */
    static Map<String, String> equalities(String inner) {
        Map<String, String> eq = new LinkedHashMap<>();
        int n = inner.length();
        int i = 0;
        while (i < n) {
            i = skipSpace(inner, i);
            if (i < n && inner.charAt(i) == ',') {
                i++;
                continue;
            }
            if (i >= n || !isIdentStart(inner.charAt(i))) {
                if (i < n && (inner.charAt(i) == '"' || inner.charAt(i) == '\'' || inner.charAt(i) == '`')) {
                    i = skipString(inner, i);
                } else {
                    i++;
                }
                continue;
            }
            int start = i;
            while (i < n && isIdentPart(inner.charAt(i))) {
                i++;
            }
            String label = inner.substring(start, i);
            i = skipSpace(inner, i);
            int opStart = i;
            while (i < n && "=!~".indexOf(inner.charAt(i)) >= 0) {
                i++;
            }
            String op = inner.substring(opStart, i);
            i = skipSpace(inner, i);
            if (i < n && (inner.charAt(i) == '"' || inner.charAt(i) == '\'' || inner.charAt(i) == '`')) {
                int end = skipString(inner, i);
                String value = unquote(inner.substring(i, end));
                if (op.equals("=")) {
                    eq.put(label, value);
                }
                i = end;
            }
        }
        return eq;
    }

    private static String unquote(String quoted) {
        String body = quoted.substring(1, Math.max(1, quoted.length() - 1));
        if (quoted.charAt(0) == '`') {
            return body;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '\\' && i + 1 < body.length()) {
                sb.append(body.charAt(++i));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static int skipString(String s, int i) {
        char q = s.charAt(i);
        i++;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\\' && q != '`') {
                i += 2;
                continue;
            }
            i++;
            if (c == q) {
                break;
            }
        }
        return Math.min(i, s.length());
    }

    /** From an opening bracket at {@code i} to just past its match (strings inside are skipped). */
    private static int skipBalanced(String s, int i, char open, char close) {
        int depth = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                i = skipString(s, i);
                continue;
            }
            if (c == open) {
                depth++;
            } else if (c == close) {
                depth--;
                if (depth == 0) {
                    return i + 1;
                }
            }
            i++;
        }
        return s.length();
    }

    private static int skipSpace(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isIdentStart(char c) {
        return Character.isLetter(c) || c == '_' || c == ':';
    }

    private static boolean isIdentPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == ':';
    }
}

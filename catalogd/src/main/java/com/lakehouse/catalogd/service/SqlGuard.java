package com.lakehouse.catalogd.service;

import com.lakehouse.contracts.error.ApiException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The read-only gate in front of DuckDB: one statement, starting with SELECT / WITH / FROM / VALUES / DESCRIBE /
 * SHOW / SUMMARIZE / EXPLAIN, with no keyword that writes or changes state, no file-reading table function and no
 * string literal used as a table (DuckDB's file replacement scan). Comments, string literals and quoted
 * identifiers are tokenized so they neither hide nor fake a keyword. The SQL database is also locked down
 * (external access off, configuration locked), so this gate is the first of two walls.
 */
public final class SqlGuard {
    public static final String CODE = "sql_not_read_only";
    private static final Set<String> STARTS = Set.of("select", "with", "from", "values", "describe", "show",
            "summarize", "explain", "table");
    private static final Set<String> FORBIDDEN = Set.of("insert", "update", "delete", "merge", "upsert", "create",
            "drop", "alter", "truncate", "copy", "attach", "detach", "install", "load", "force", "pragma", "set",
            "reset", "call", "export", "import", "checkpoint", "vacuum", "use", "grant", "revoke", "begin", "commit",
            "rollback", "abort", "prepare", "execute", "deallocate", "comment", "into");
    private static final Set<String> FORBIDDEN_FUNCTIONS = Set.of("glob", "getenv", "query", "query_table",
            "sniff_csv", "delta_scan", "json_execute_serialized_sql", "load_aws_credentials", "http_get", "http_post",
            "duckdb_secrets", "which_secret", "current_setting", "set_config");
    private static final List<String> FORBIDDEN_PREFIXES = List.of("read_", "parquet_", "iceberg_", "sqlite_",
            "postgres_", "mysql_", "arrow_scan");

    private SqlGuard() {
    }

    private enum Kind { WORD, QUOTED_IDENT, STRING, PUNCT }

    private record Token(Kind kind, String text) {
    }

    /** Returns the statement without a trailing semicolon, or throws a 400 {@code sql_not_read_only}. */
    public static String check(String sql) {
        if (sql == null || sql.isBlank()) {
            throw ApiException.badField("sql", "'sql' is required");
        }
        List<Token> tokens = tokenize(sql);
        int end = tokens.size();
        while (end > 0 && tokens.get(end - 1).kind == Kind.PUNCT && tokens.get(end - 1).text.equals(";")) {
            end--;
        }
        if (end == 0) {
            throw ApiException.badField("sql", "'sql' holds no statement");
        }
        String first = null;
        for (int i = 0; i < end; i++) {
            Token t = tokens.get(i);
            if (t.kind == Kind.PUNCT && t.text.equals(";")) {
                throw refuse("only one statement is allowed");
            }
            if (first == null && t.kind != Kind.PUNCT) {
                first = t.kind == Kind.WORD ? t.text : "";
                if (!STARTS.contains(first)) {
                    throw refuse("only SELECT, WITH, FROM, VALUES, DESCRIBE, SHOW, SUMMARIZE and EXPLAIN statements are allowed");
                }
            }
            if (t.kind == Kind.WORD && FORBIDDEN.contains(t.text)) {
                throw refuse("'" + t.text.toUpperCase(Locale.ROOT) + "' is not allowed in read-only SQL");
            }
            if (t.kind == Kind.WORD || t.kind == Kind.QUOTED_IDENT) {
                boolean call = i + 1 < end && tokens.get(i + 1).kind == Kind.PUNCT && tokens.get(i + 1).text.equals("(");
                String name = t.text.toLowerCase(Locale.ROOT);
                if (call && (FORBIDDEN_FUNCTIONS.contains(name) || FORBIDDEN_PREFIXES.stream().anyMatch(name::startsWith))) {
                    throw refuse("function '" + name + "' reads files or settings and is not allowed; query datasets by name");
                }
            }
            if (t.kind == Kind.STRING && i > 0 && tokens.get(i - 1).kind == Kind.WORD
                    && (tokens.get(i - 1).text.equals("from") || tokens.get(i - 1).text.equals("join"))) {
                throw refuse("a string literal cannot be used as a table (that reads a file); query datasets by name");
            }
        }
        if (first == null) {
            throw refuse("no statement keyword found");
        }
        StringBuilder b = new StringBuilder(sql.strip());
        while (b.length() > 0 && (b.charAt(b.length() - 1) == ';' || Character.isWhitespace(b.charAt(b.length() - 1)))) {
            b.setLength(b.length() - 1);
        }
        return b.toString();
    }

    private static ApiException refuse(String why) {
        return new ApiException(400, CODE, why, "sql");
    }

    private static List<Token> tokenize(String s) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '-' && i + 1 < n && s.charAt(i + 1) == '-') {
                while (i < n && s.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
                int close = s.indexOf("*/", i + 2);
                if (close < 0) {
                    throw refuse("unterminated comment");
                }
                i = close + 2;
            } else if (c == '\'') {
                int j = i + 1;
                StringBuilder v = new StringBuilder();
                while (true) {
                    if (j >= n) {
                        throw refuse("unterminated string literal");
                    }
                    if (s.charAt(j) == '\'') {
                        if (j + 1 < n && s.charAt(j + 1) == '\'') {
                            v.append('\'');
                            j += 2;
                            continue;
                        }
                        break;
                    }
                    v.append(s.charAt(j++));
                }
                out.add(new Token(Kind.STRING, v.toString()));
                i = j + 1;
            } else if (c == '"') {
                int j = i + 1;
                StringBuilder v = new StringBuilder();
                while (true) {
                    if (j >= n) {
                        throw refuse("unterminated quoted identifier");
                    }
                    if (s.charAt(j) == '"') {
                        if (j + 1 < n && s.charAt(j + 1) == '"') {
                            v.append('"');
                            j += 2;
                            continue;
                        }
                        break;
                    }
                    v.append(s.charAt(j++));
                }
                out.add(new Token(Kind.QUOTED_IDENT, v.toString()));
                i = j + 1;
            } else if (c == '$') {
                // dollar-quoted string $tag$...$tag$ (or a $1 parameter)
                int j = i + 1;
                while (j < n && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
                    j++;
                }
                if (j < n && s.charAt(j) == '$') {
                    String tag = s.substring(i, j + 1);
                    int close = s.indexOf(tag, j + 1);
                    if (close < 0) {
                        throw refuse("unterminated dollar-quoted string");
                    }
                    out.add(new Token(Kind.STRING, s.substring(j + 1, close)));
                    i = close + tag.length();
                } else {
                    out.add(new Token(Kind.PUNCT, "$"));
                    i = j;
                }
            } else if (Character.isLetter(c) || c == '_') {
                int j = i;
                while (j < n && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
                    j++;
                }
                out.add(new Token(Kind.WORD, s.substring(i, j).toLowerCase(Locale.ROOT)));
                i = j;
            } else if (Character.isDigit(c)) {
                int j = i;
                while (j < n && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '.')) {
                    j++;
                }
                out.add(new Token(Kind.PUNCT, s.substring(i, j)));
                i = j;
            } else {
                out.add(new Token(Kind.PUNCT, String.valueOf(c)));
                i++;
            }
        }
        return out;
    }
}

package com.lakehouse.gateway.service;

import java.util.List;
import java.util.Locale;

/**
 * The scope a request needs, from its method and normalized path. First matching rule wins; a request no rule
 * names is {@code write} when it has a body method (POST, PUT, PATCH) and {@code read} otherwise.
 * <ul>
 *   <li>admin: every DELETE, the roster and truth-rule reloads, everything under {@code /v1/distill} that is not a
 *       read (materialize, score, export, audits: training data leaves the fleet), workflows (they call out).</li>
 *   <li>read: GET/HEAD/OPTIONS, and the POSTs that only look things up: embed, SQL, searches, role extraction,
 *       validate, iterate, truth evaluate, chat, and the Ollama-compatible embed/chat/generate/show calls.</li>
 *   <li>write: the other POST/PUT/PATCH routes: ingest, vectors add/bulk/merge/rebuild/save, corpora, playbook
 *       records, pathway upsert/revise/retire, observed events, replays.</li>
 * </ul>
 * Plain Java, unit-tested in {@code RouteScopesTest}; a new route needs a line here only when it is a POST that
 * merely reads, or an admin action.
 */
public final class RouteScopes {
    /** A rule: method ({@code *} any), path pattern ({@code *} one segment, trailing {@code /**} the subtree). */
    record Rule(String method, String pattern, Scope scope) {
        boolean matches(String m, String path) {
            return (method.equals("*") || method.equals(m)) && pathMatches(pattern, path);
        }
    }

    private static final List<Rule> RULES = List.of(
            // admin
            new Rule("DELETE", "/**", Scope.ADMIN),
            new Rule("POST", "/v1/validate/roster/reload", Scope.ADMIN),
            new Rule("POST", "/v1/truth/reload", Scope.ADMIN),
            new Rule("POST", "/v1/distill/**", Scope.ADMIN),
            new Rule("*", "/v1/observer/workflows/**", Scope.ADMIN),
            // read
            new Rule("GET", "/**", Scope.READ),
            new Rule("HEAD", "/**", Scope.READ),
            new Rule("OPTIONS", "/**", Scope.READ),
            new Rule("POST", "/v1/embed", Scope.READ),
            new Rule("POST", "/v1/embeddings", Scope.READ),
            new Rule("POST", "/v1/sql", Scope.READ),
            new Rule("POST", "/v1/matrix/search", Scope.READ),
            new Rule("POST", "/v1/matrix/roles/extract", Scope.READ),
            new Rule("POST", "/v1/vectors/index/*/search", Scope.READ),
            new Rule("POST", "/v1/vectors/index/*/search/batch", Scope.READ),
            new Rule("POST", "/v1/pathway/search", Scope.READ),
            new Rule("POST", "/v1/validate", Scope.READ),
            new Rule("POST", "/v1/iterate", Scope.READ),
            new Rule("POST", "/v1/truth/evaluate", Scope.READ),
            new Rule("POST", "/v1/chat/**", Scope.READ),
            // Ollama-compatible surface (embedd / chatd): lookups and generation read; pull/push/create/copy write.
            new Rule("POST", "/api/embed", Scope.READ),
            new Rule("POST", "/api/embeddings", Scope.READ),
            new Rule("POST", "/api/chat", Scope.READ),
            new Rule("POST", "/api/generate", Scope.READ),
            new Rule("POST", "/api/show", Scope.READ));

    private RouteScopes() {
    }

    public static Scope required(String method, String path) {
        String m = method == null ? "GET" : method.toUpperCase(Locale.ROOT);
        String p = path == null ? "/" : path;
        for (Rule r : RULES) {
            if (r.matches(m, p)) {
                return r.scope();
            }
        }
        return Scope.WRITE;
    }

    static boolean pathMatches(String pattern, String path) {
        if (pattern.equals("/**")) {
            return true;
        }
        String[] pp = pattern.split("/", -1);
        String[] sp = path.split("/", -1);
        boolean subtree = pattern.endsWith("/**");
        int n = subtree ? pp.length - 1 : pp.length;
        if (subtree ? sp.length < n : sp.length != n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (!pp[i].equals("*") && !pp[i].equals(sp[i])) {
                return false;
            }
        }
        return true;
    }
}

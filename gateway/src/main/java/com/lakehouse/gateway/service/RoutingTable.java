package com.lakehouse.gateway.service;

import java.util.List;
import java.util.Optional;

/**
 * DESIGN.md "Gateway routes": which daemon serves a {@code /v1} path (and Ollama's {@code /api/*} routes). A pattern is either exact
 * ({@code /v1/sql}) or a subtree ({@code /v1/vectors/**}: the prefix itself and everything below it).
 * Plain Java so it is unit-tested without Quarkus.
 */
public final class RoutingTable {
    /** The daemon name that means "answered by the gateway itself". */
    public static final String SELF = "gateway";

    record Rule(String prefix, boolean subtree, String daemon) {
        boolean matches(String path) {
            if (path.equals(prefix)) {
                return true;
            }
            return subtree && path.startsWith(prefix) && path.charAt(prefix.length()) == '/';
        }
    }

    private static final List<Rule> RULES = List.of(
            exact("/v1/fleet/health", SELF),
            exact("/v1/fleet/metrics", SELF),
            exact("/v1/fleet/metrics/history", SELF),
            // /v1/embed/stats, /v1/embed/models: embedd's own routes beside the Go-compatible POST /v1/embed.
            tree("/v1/embed", "embedd"),
            exact("/v1/embeddings", "embedd"),
            tree("/v1/vectors", "vectord"),
            tree("/v1/matrix", "matrixd"),
            tree("/v1/chat", "chatd"),
            // /v1/models/{id} is the OpenAI "retrieve model" call; chatd answers it or 404s.
            tree("/v1/models", "chatd"),
            // /v1/validate/roster and /v1/validate/roster/reload: the roster behind the validators.
            tree("/v1/validate", "validatord"),
            exact("/v1/iterate", "validatord"),
            tree("/v1/truth", "validatord"),
            tree("/v1/distill", "distilld"),
            tree("/v1/replay", "replayd"),
            tree("/v1/observer", "observerd"),
            tree("/v1/pathway", "pathwayd"),
            tree("/v1/catalog", "catalogd"),
            tree("/v1/ingest", "catalogd"),
            exact("/v1/sql", "catalogd"),
            tree("/v1/journal", "catalogd"),
            // Ollama's API, so Ollama clients work through the gateway (same key): embeddings, version and the
            // running models are embedd's; chat, generate and the model listings are chatd's (chatd lists every
            // model of the fleet, asking embedd for the embedding ones).
            exact("/api/embed", "embedd"),
            exact("/api/embeddings", "embedd"),
            exact("/api/version", "embedd"),
            exact("/api/ps", "embedd"),
            exact("/api/tags", "chatd"),
            exact("/api/show", "chatd"),
            exact("/api/chat", "chatd"),
            exact("/api/generate", "chatd"));

    private RoutingTable() {
    }

    private static Rule exact(String p, String d) {
        return new Rule(p, false, d);
    }

    private static Rule tree(String p, String d) {
        return new Rule(p, true, d);
    }

    /** The daemon for a normalized path, {@link #SELF} for the gateway's own routes, empty when nothing routes it. */
    public static Optional<String> daemonFor(String path) {
        if (path == null) {
            return Optional.empty();
        }
        for (Rule r : RULES) {
            if (r.matches(path)) {
                return Optional.of(r.daemon());
            }
        }
        return Optional.empty();
    }

    /** The patterns as DESIGN.md writes them, for docs and the 404 detail. */
    public static List<String> patterns() {
        return RULES.stream().map(r -> r.prefix() + (r.subtree() ? "/**" : "")).toList();
    }
}

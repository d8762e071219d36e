package com.lakehouse.chatd.service;

import com.lakehouse.contracts.error.ApiException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a model name into an ordered chain of (provider, upstream model) routes: {@code ollama/<m>},
 * {@code ollama_cloud/<m>} or {@code <m>:cloud}, {@code openrouter/<vendor>/<m>}, {@code opencode/<m>},
 * {@code kimi/<m>}, an alias (its configured chain), or a bare name = local Ollama. Plain Java.
 */
public final class ModelRouter {
    public static final Set<String> PROVIDERS = Set.of("kimi", "opencode", "openrouter", "ollama_cloud", "ollama");

    public record Route(String provider, String model) {
        public String qualified() {
            return provider + "/" + model;
        }
    }

    private final Map<String, List<Route>> aliases = new LinkedHashMap<>();
    private final boolean localOllamaEnabled;

    /** Validates every alias at construction, so a bad alias fails startup rather than a request. */
    public ModelRouter(Map<String, List<String>> aliasChains, boolean localOllamaEnabled) {
        this.localOllamaEnabled = localOllamaEnabled;
        aliasChains.forEach((alias, chain) -> {
            List<Route> routes = new ArrayList<>();
            for (String entry : chain) {
                String e = entry.strip();
                if (e.isEmpty()) {
                    continue;
                }
                if (aliasChains.containsKey(e)) {
                    throw new IllegalStateException("lakehouse.chatd.aliases." + alias + ": entry '" + e
                            + "' is another alias; chains list concrete models");
                }
                try {
                    routes.add(concrete(e, "lakehouse.chatd.aliases." + alias));
                } catch (ApiException ex) {
                    throw new IllegalStateException(ex.getMessage());
                }
            }
            if (routes.isEmpty()) {
                throw new IllegalStateException("lakehouse.chatd.aliases." + alias + " is empty");
            }
            aliases.put(alias, List.copyOf(routes));
        });
    }

    public Map<String, List<Route>> aliases() {
        return aliases;
    }

    public boolean isAlias(String name) {
        return aliases.containsKey(name);
    }

    /** The chain for a requested model; 400 naming {@code field} for an unknown prefix or alias. */
    public List<Route> resolve(String model, String field) {
        if (model == null || model.isBlank()) {
            throw ApiException.badField(field, "'" + field + "' is required");
        }
        String m = model.strip();
        List<Route> chain = aliases.get(m);
        if (chain != null) {
            return chain;
        }
        Route r = concrete(m, field);
        if (r.provider().equals("ollama") && !m.startsWith("ollama/") && !localOllamaEnabled) {
            throw ApiException.badField(field, "'" + m + "' is not a known alias (and local ollama, which bare names"
                    + " route to, is disabled); aliases: " + aliases.keySet());
        }
        return List.of(r);
    }

    static Route concrete(String m, String field) {
        int slash = m.indexOf('/');
        if (slash < 0) {
            if (m.endsWith(":cloud") && m.length() > ":cloud".length()) {
                return new Route("ollama_cloud", m.substring(0, m.length() - ":cloud".length()));
            }
            return new Route("ollama", m);
        }
        String prefix = m.substring(0, slash);
        String rest = m.substring(slash + 1);
        if (!PROVIDERS.contains(prefix)) {
            throw ApiException.badField(field, "unknown provider prefix '" + prefix + "' in '" + m
                    + "'; known: kimi, opencode, openrouter, ollama_cloud, ollama");
        }
        if (rest.isBlank()) {
            throw ApiException.badField(field, "'" + m + "' names no model after the provider prefix");
        }
        if (prefix.equals("openrouter") && (rest.indexOf('/') <= 0 || rest.endsWith("/"))) {
            throw ApiException.badField(field, "openrouter models are 'openrouter/<vendor>/<model>', got '" + m + "'");
        }
        if (prefix.equals("ollama_cloud") && rest.endsWith(":cloud")) {
            rest = rest.substring(0, rest.length() - ":cloud".length());
        }
        return new Route(prefix, rest);
    }
}

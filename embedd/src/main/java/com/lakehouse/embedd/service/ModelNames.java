package com.lakehouse.embedd.service;

import com.lakehouse.contracts.error.ApiException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The names clients write for a model: its canonical name, its configured aliases (ignoring case), and either
 * of those with Ollama's default tag {@code :latest}. Built once from config; an alias that names two models,
 * or shadows another model's canonical name, fails startup rather than answering with the wrong model.
 */
public final class ModelNames {
    private final Map<String, String> byLowerName = new LinkedHashMap<>();
    private final Map<String, List<String>> aliases = new LinkedHashMap<>();

    /** {@code aliasesByModel}: canonical name -> aliases, in listing order. */
    public ModelNames(Map<String, List<String>> aliasesByModel) {
        for (String name : aliasesByModel.keySet()) {
            byLowerName.put(lower(name), name);
        }
        for (Map.Entry<String, List<String>> e : aliasesByModel.entrySet()) {
            List<String> own = new ArrayList<>();
            for (String a : e.getValue()) {
                String alias = a.strip();
                if (alias.isEmpty() || alias.equalsIgnoreCase(e.getKey())) {
                    continue;
                }
                String prior = byLowerName.putIfAbsent(lower(alias), e.getKey());
                if (prior != null && !prior.equals(e.getKey())) {
                    throw new IllegalStateException("embedding model alias '" + alias + "' of " + e.getKey()
                            + " already names " + prior);
                }
                if (prior == null) {
                    own.add(alias);
                }
            }
            aliases.put(e.getKey(), List.copyOf(own));
        }
    }

    /** The canonical name a client's name stands for, or null. */
    public String canonical(String name) {
        String n = lower(name.strip());
        String c = byLowerName.get(n);
        if (c == null && n.endsWith(":latest")) {
            c = byLowerName.get(n.substring(0, n.length() - ":latest".length()));
        }
        return c;
    }

    /** The canonical name, or a 400 naming {@code field} that lists what is known. */
    public String require(String name, String field) {
        String c = canonical(name);
        if (c == null) {
            throw ApiException.badField(field, "unknown model '" + name + "'; known models: " + String.join(", ", names()));
        }
        return c;
    }

    public Set<String> names() {
        return aliases.keySet();
    }

    public List<String> aliasesOf(String canonical) {
        return aliases.getOrDefault(canonical, List.of());
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}

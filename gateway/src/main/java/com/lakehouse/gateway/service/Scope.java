package com.lakehouse.gateway.service;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * What an API key may do. The scopes are independent (a key lists each one it has): {@code read} looks things up
 * (search, embed, SQL, stats, chat, validate), {@code write} adds or changes data (ingest, add, record, upsert),
 * {@code admin} deletes, reloads, exports training data and runs workflows. {@link RouteScopes} maps each route.
 */
public enum Scope {
    READ, WRITE, ADMIN;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code read,write} or {@code all}; an unknown word is an IllegalArgumentException naming it. */
    public static Set<Scope> parseList(String list) {
        EnumSet<Scope> out = EnumSet.noneOf(Scope.class);
        if (list == null || list.isBlank()) {
            throw new IllegalArgumentException("no scope given (one or more of read, write, admin, or all)");
        }
        for (String w : list.split("[,+ ]+")) {
            String s = w.trim().toLowerCase(Locale.ROOT);
            if (s.isEmpty()) {
                continue;
            }
            if (s.equals("all")) {
                out.addAll(EnumSet.allOf(Scope.class));
                continue;
            }
            try {
                out.add(Scope.valueOf(s.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown scope '" + w.trim() + "' (one of read, write, admin, all)");
            }
        }
        return out;
    }
}

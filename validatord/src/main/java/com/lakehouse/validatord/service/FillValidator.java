package com.lakehouse.validatord.service;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * fill: artifact {@code {fills: [{candidate_id, name}]}}, context {@code {target_count, city, state, role, client}}.
 * Schema, completeness (count equals target), every worker exists and is active and placeable, city, state and
 * role match, client not blacklisted, no duplicate candidate; a name that differs from the roster is a warning.
 */
public final class FillValidator {
    private final Predicate<String> blacklisted;

    public FillValidator(Predicate<String> blacklisted) {
        this.blacklisted = blacklisted;
    }

    public List<Finding> validate(JsonNode artifact, JsonNode context, Roster roster) {
        List<Finding> out = new ArrayList<>();
        if (artifact == null || !artifact.isObject()) {
            out.add(Finding.error("schema_invalid", Finding.SCHEMA, "artifact", "artifact must be an object with fills"));
            return out;
        }
        JsonNode fills = artifact.get("fills");
        if (fills == null || fills.isNull()) {
            out.add(Finding.error("schema_invalid", Finding.SCHEMA, "fills", "fills is required"));
            return out;
        }
        if (!fills.isArray()) {
            out.add(Finding.error("schema_invalid", Finding.SCHEMA, "fills", "fills must be an array"));
            return out;
        }
        for (int i = 0; i < fills.size(); i++) {
            JsonNode f = fills.get(i);
            String at = "fills[" + i + "]";
            if (!f.isObject()) {
                out.add(Finding.error("schema_invalid", Finding.SCHEMA, at, at + " must be an object"));
            } else if (!f.hasNonNull("candidate_id") || !f.get("candidate_id").isTextual()
                    || f.get("candidate_id").asText().isBlank()) {
                out.add(Finding.error("schema_invalid", Finding.SCHEMA, at + ".candidate_id",
                        at + ".candidate_id must be a non-empty string"));
            } else if (f.has("name") && !f.get("name").isNull() && !f.get("name").isTextual()) {
                out.add(Finding.error("schema_invalid", Finding.SCHEMA, at + ".name", at + ".name must be a string"));
            }
        }
        JsonNode ctx = context == null || !context.isObject() ? null : context;
        Integer target = Json2.count(ctx, "target_count");
        if (target != null && target < 0) {
            out.add(Finding.error("schema_invalid", Finding.SCHEMA, "context.target_count",
                    "context.target_count must be a non-negative integer"));
        }
        if (!out.isEmpty()) {
            return out;
        }
        // completeness
        if (target != null && fills.size() != target) {
            out.add(Finding.error("count_mismatch", Finding.COMPLETENESS, "fills",
                    "fills has " + fills.size() + " candidates, the target count is " + target));
        } else if (target == null && fills.isEmpty()) {
            out.add(Finding.error("count_mismatch", Finding.COMPLETENESS, "fills", "fills is empty"));
        }
        // client
        String client = Json2.text(ctx, "client");
        if (client != null && blacklisted.test(client)) {
            out.add(Finding.error("blacklisted_client", Finding.POLICY, "context.client",
                    "client '" + client + "' is blacklisted"));
        }
        if (fills.isEmpty()) {
            return out;
        }
        if (roster == null || roster.count() == 0) {
            throw new RosterUnavailableException("the worker roster is not loaded; fills cannot be checked");
        }
        String city = Json2.text(ctx, "city");
        String state = Json2.text(ctx, "state");
        String role = Json2.text(ctx, "role");
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < fills.size(); i++) {
            JsonNode f = fills.get(i);
            String at = "fills[" + i + "]";
            String id = f.get("candidate_id").asText().trim();
            if (!seen.add(id)) {
                out.add(Finding.error("duplicate_candidate", Finding.CONSISTENCY, at + ".candidate_id",
                        id + " is listed more than once"));
                continue;
            }
            int row = roster.find(id);
            if (row < 0) {
                out.add(Finding.error("phantom_id", Finding.CONSISTENCY, at + ".candidate_id",
                        id + " is not in the roster"));
                continue;
            }
            if (!roster.active(row)) {
                out.add(Finding.error("worker_inactive", Finding.CONSISTENCY, at + ".candidate_id",
                        id + " is not active (availability " + roster.availability(row) + ")"));
            }
            if (roster.doNotPlace(row)) {
                out.add(Finding.error("do_not_place", Finding.POLICY, at + ".candidate_id",
                        id + " is marked do-not-place"));
            }
            if (city != null && !Names.normalise(city).equals(Names.normalise(roster.city(row)))) {
                out.add(Finding.error("wrong_city", Finding.CONSISTENCY, at + ".candidate_id",
                        id + " lives in " + roster.city(row) + ", the job is in " + city));
            }
            if (state != null && !Names.normalise(state).equals(Names.normalise(roster.state(row)))) {
                out.add(Finding.error("wrong_state", Finding.CONSISTENCY, at + ".candidate_id",
                        id + " is in state " + roster.state(row) + ", the job is in " + state));
            }
            if (role != null && !roleMatches(role, roster.roles(row))) {
                out.add(Finding.error("wrong_role", Finding.CONSISTENCY, at + ".candidate_id",
                        id + " is a " + roster.role(row) + ", not a " + role));
            }
            String name = f.hasNonNull("name") ? f.get("name").asText() : null;
            if (name != null && !name.isBlank() && !nameMatches(name, roster, row)) {
                out.add(Finding.warning("name_mismatch", Finding.CONSISTENCY, at + ".name",
                        "'" + name + "' differs from the roster name '" + roster.fullName(row) + "' of " + id));
            }
        }
        return out;
    }

    static boolean roleMatches(String wanted, Set<String> roles) {
        String w = Names.lower(wanted);
        if (roles.contains(w)) {
            return true;
        }
        String n = Names.normalise(wanted);
        for (String r : roles) {
            if (Names.normalise(r).equals(n)) {
                return true;
            }
        }
        return false;
    }

    /** Full name equal after normalisation, or first and last names both present in either order. */
    static boolean nameMatches(String given, Roster roster, int row) {
        String g = Names.normalise(given);
        String full = Names.normalise(roster.fullName(row));
        if (g.equals(full)) {
            return true;
        }
        String f = Names.normalise(roster.firstName(row));
        String l = Names.normalise(roster.lastName(row));
        Set<String> parts = Set.of(g.split(" "));
        return !f.isEmpty() && !l.isEmpty() && parts.contains(f) && parts.contains(l);
    }
}

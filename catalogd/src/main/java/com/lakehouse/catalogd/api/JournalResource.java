package com.lakehouse.catalogd.api;

import com.lakehouse.contracts.http.Params;
import com.fasterxml.jackson.databind.JsonNode;
import com.lakehouse.catalogd.config.CatalogdConfig;
import com.lakehouse.catalogd.service.Journal;
import com.lakehouse.contracts.error.ApiException;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /v1/journal}: the mutation journal's events, one entity's history, and chain verification. */
@Path("/v1/journal")
public class JournalResource {
    @Inject
    Journal journal;
    @Inject
    CatalogdConfig config;

    @GET
    @Path("events")
    public Map<String, Object> events(@QueryParam("entity_type") String entityType,
                                      @QueryParam("entity_id") String entityId, @QueryParam("since") String since,
                                      @QueryParam("until") String until, @QueryParam("cursor") String cursor,
                                      @QueryParam("limit") Integer limit) {
        Instant from = Params.instant("since", since);
        Instant to = Params.instant("until", until);
        long after;
        try {
            after = cursor == null || cursor.isEmpty() ? 0 : Long.parseLong(cursor);
        } catch (NumberFormatException e) {
            throw ApiException.badField("cursor", "cursor is the seq of the last event seen (an integer)");
        }
        int n = limit == null ? 100 : limit;
        if (n < 1 || n > config.journal().maxLimit()) {
            throw ApiException.badField("limit", "limit must be between 1 and " + config.journal().maxLimit());
        }
        List<JsonNode> out = new ArrayList<>();
        boolean more = false;
        for (JsonNode e : journal.events()) {
            if (e.path("seq").asLong() <= after
                    || (entityType != null && !entityType.equals(e.path("entity_type").asText()))
                    || (entityId != null && !entityId.equals(e.path("entity_id").asText()))) {
                continue;
            }
            Instant ts = parse(e.path("timestamp").asText());
            if ((from != null && (ts == null || ts.isBefore(from))) || (to != null && (ts == null || !ts.isBefore(to)))) {
                continue;
            }
            if (out.size() == n) {
                more = true;
                break;
            }
            out.add(e);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("events", out);
        body.put("count", out.size());
        body.put("next_cursor", more ? String.valueOf(out.getLast().path("seq").asLong()) : null);
        return body;
    }

    /** Every event of an entity, and for a dataset also its versions ({@code <name>/v<n>}), oldest first. */
    @GET
    @Path("history/{entity_id}")
    public Map<String, Object> history(@PathParam("entity_id") String entityId) {
        List<JsonNode> out = journal.events().stream().filter(e -> {
            String id = e.path("entity_id").asText();
            return id.equals(entityId) || id.startsWith(entityId + "/");
        }).toList();
        if (out.isEmpty()) {
            throw ApiException.notFound("entity_not_found", "no journal events for " + entityId);
        }
        return Map.of("entity_id", entityId, "events", out, "count", out.size());
    }

    @GET
    @Path("verify")
    public Journal.Verification verify() {
        return journal.verify();
    }

    /** A stored event's timestamp, or null when it does not parse (such an event never matches a time range). */
    private static Instant parse(String v) {
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}

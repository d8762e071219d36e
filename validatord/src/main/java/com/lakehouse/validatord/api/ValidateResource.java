package com.lakehouse.validatord.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.lakehouse.contracts.error.ApiException;
import com.lakehouse.contracts.client.UpstreamException;
import com.lakehouse.validatord.service.RosterService;
import com.lakehouse.validatord.service.RosterUnavailableException;
import com.lakehouse.validatord.service.ValidationReport;
import com.lakehouse.validatord.service.ValidationService;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** {@code POST /v1/validate}, the roster status and reload. */
@Path("/v1/validate")
@Produces(MediaType.APPLICATION_JSON)
public class ValidateResource {
    @Inject
    ValidationService validation;
    @Inject
    RosterService rosters;

    /**
     * {@code {kind: fill|email|playbook, artifact, context?}} -> 200 report, or 422 with the Go error
     * {@code {error: {kind, field?, reason}, valid: false, findings, ...}}; unknown kind 400.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response validate(JsonNode body) {
        JsonNode b = Bodies.object(body);
        String kind = Bodies.requiredString(b, "kind");
        if (!ValidationService.KINDS.contains(kind)) {
            throw ApiException.badField("kind", "unknown kind '" + kind + "'; expected fill, email or playbook");
        }
        if (!b.has("artifact") || b.get("artifact").isNull()) {
            throw ApiException.badField("artifact", "artifact is required");
        }
        JsonNode context = Bodies.context(b);
        ValidationReport report;
        try {
            report = validation.validate(kind, b.get("artifact"), context);
        } catch (RosterUnavailableException e) {
            throw Bodies.rosterUnavailable(e);
        }
        return Response.status(report.valid() ? 200 : 422).type(MediaType.APPLICATION_JSON).entity(report).build();
    }

    /** {@code {loaded, count, version, loaded_at, load_ms, loading, source, last_error, last_attempt}}. */
    @GET
    @Path("roster")
    public RosterService.Status roster() {
        return rosters.status();
    }

    /**
     * Reloads the roster: body optional {@code {source?: file|catalogd, wait?: true}}. With wait (default) the
     * answer comes once the new roster is live (200) or the load failed (502/503, the old roster stays);
     * without, 202 at once.
     */
    @POST
    @Path("roster/reload")
    @Consumes(MediaType.WILDCARD)
    public Response reload(String text) {
        RosterService.Source source = null;
        boolean wait = true;
        JsonNode body = null;
        if (text != null && !text.isBlank()) {
            try {
                body = com.lakehouse.contracts.json.Json.mapper().readTree(text);
            } catch (java.io.IOException e) {
                throw ApiException.badField("body", "the body must be a JSON object (or empty)");
            }
        }
        if (body != null && !body.isNull()) {
            JsonNode b = Bodies.object(body);
            String s = Bodies.optionalString(b, "source");
            if (s != null) {
                try {
                    source = RosterService.Source.valueOf(s.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw ApiException.badField("source", "source must be file or catalogd");
                }
            }
            JsonNode w = b.get("wait");
            if (w != null && !w.isNull()) {
                if (!w.isBoolean()) {
                    throw ApiException.badField("wait", "wait must be a boolean");
                }
                wait = w.asBoolean();
            }
        }
        Future<?> f;
        try {
            f = rosters.reload(source);
        } catch (IllegalArgumentException e) {
            throw ApiException.badField("source", e.getMessage());
        }
        if (!wait) {
            return Response.accepted(rosters.status()).build();
        }
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("interrupted", "interrupted while waiting for the roster");
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof UpstreamException u) {
                throw ApiException.fromUpstream(u);
            }
            throw ApiException.badGateway("roster_load_failed", "roster load failed, the previous roster stays: "
                    + cause.getMessage());
        }
        return Response.ok(rosters.status()).build();
    }
}

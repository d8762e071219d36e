package com.lakehouse.validatord.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.lakehouse.contracts.error.ApiException;
import com.lakehouse.contracts.client.UpstreamException;
import com.lakehouse.validatord.config.ValidatordConfig;
import com.lakehouse.validatord.service.IterateService;
import com.lakehouse.validatord.service.RosterUnavailableException;
import com.lakehouse.validatord.service.ValidationService;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code POST /v1/iterate {kind, prompt, system?, model, context, max_iterations (3), temperature (0.2), max_tokens}}
 * -> 200 {@code {artifact, validation, iterations, history}} or 422 {@code {error, iterations, history}};
 * chatd down -> 503 problem+json.
 */
@Path("/v1/iterate")
@Produces(MediaType.APPLICATION_JSON)
public class IterateResource {
    @Inject
    IterateService iterate;
    @Inject
    ValidatordConfig config;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response iterate(JsonNode body) {
        JsonNode b = Bodies.object(body);
        String kind = Bodies.requiredString(b, "kind");
        if (!ValidationService.KINDS.contains(kind)) {
            throw ApiException.badField("kind", "unknown kind '" + kind + "'; expected fill, email or playbook");
        }
        String prompt = Bodies.requiredString(b, "prompt");
        ValidatordConfig.Iterate it = config.iterate();
        if (prompt.length() > it.maxPromptChars()) {
            throw ApiException.unprocessable("prompt", "prompt is longer than " + it.maxPromptChars() + " characters");
        }
        String system = Bodies.optionalString(b, "system");
        String model = Bodies.optionalString(b, "model");
        if (model == null || model.isBlank()) {
            model = it.defaultModel().orElseThrow(() -> ApiException.badField("model", "model is required"));
        }
        int maxIterations = intField(b, "max_iterations", it.defaultMaxIterations(), 1, it.maxIterationsLimit());
        int maxTokens = intField(b, "max_tokens", it.defaultMaxTokens(), 1, 1_000_000);
        double temperature = it.defaultTemperature();
        JsonNode t = b.get("temperature");
        if (t != null && !t.isNull()) {
            if (!t.isNumber() || t.asDouble() < 0 || t.asDouble() > 2) {
                throw ApiException.badField("temperature", "temperature must be a number from 0 to 2");
            }
            temperature = t.asDouble();
        }
        JsonNode context = Bodies.context(b);
        IterateService.Outcome out;
        try {
            out = iterate.iterate(new IterateService.Request(kind, prompt, system, model, context, maxIterations,
                    temperature, maxTokens));
        } catch (UpstreamException e) {
            throw ApiException.fromUpstream(e);
        } catch (RosterUnavailableException e) {
            throw Bodies.rosterUnavailable(e);
        }
        return Response.status(out.ok() ? 200 : 422).type(MediaType.APPLICATION_JSON).entity(out).build();
    }

    private static int intField(JsonNode b, String field, int dflt, int min, int max) {
        JsonNode v = b.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < min || v.asInt() > max) {
            throw ApiException.badField(field, field + " must be an integer from " + min + " to " + max);
        }
        return v.asInt();
    }
}

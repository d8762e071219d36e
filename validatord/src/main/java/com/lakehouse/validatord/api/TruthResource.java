package com.lakehouse.validatord.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.lakehouse.contracts.error.ApiException;
import com.lakehouse.validatord.service.Blacklist;
import com.lakehouse.validatord.service.TruthEngine;
import com.lakehouse.validatord.service.TruthRule;
import com.lakehouse.validatord.service.TruthRules;
import com.lakehouse.validatord.service.ValidationService;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Truth rules: list, evaluate an artifact against them, reload the files. */
@Path("/v1/truth")
@Produces(MediaType.APPLICATION_JSON)
public class TruthResource {
    @Inject
    TruthRules rules;
    @Inject
    Blacklist blacklist;
    @Inject
    ValidationService validation;

    public record RulesView(int count, List<TruthRule> rules) {
    }

    public record EvaluateView(String taskClass, boolean passed, boolean blocked, List<TruthEngine.Matched> matched,
                               List<com.lakehouse.validatord.service.Finding> findings, JsonNode redactedArtifact) {
    }

    @GET
    @Path("rules")
    public RulesView list() {
        List<TruthRule> all = rules.current();
        return new RulesView(all.size(), all);
    }

    /** {@code {task_class, artifact, context?}} -> {@code {task_class, passed, blocked, matched, findings, redacted_artifact}}. */
    @POST
    @Path("evaluate")
    @Consumes(MediaType.APPLICATION_JSON)
    public EvaluateView evaluate(JsonNode body) {
        JsonNode b = Bodies.object(body);
        String taskClass = Bodies.requiredString(b, "task_class");
        if (!ValidationService.KINDS.contains(taskClass)) {
            throw ApiException.badField("task_class", "task_class must be fill, email or playbook");
        }
        if (!b.has("artifact") || b.get("artifact").isNull()) {
            throw ApiException.badField("artifact", "artifact is required");
        }
        JsonNode context = Bodies.context(b);
        TruthEngine.Outcome o = validation.evaluateRules(taskClass, b.get("artifact"), context);
        boolean passed = o.findings().stream().noneMatch(com.lakehouse.validatord.service.Finding::isError);
        return new EvaluateView(taskClass, passed, o.blocked(), o.matched(), o.findings(), o.redactedArtifact());
    }

    /** Reloads the rule files and the blacklist file; on an error the previous rules stay (422 naming the file). */
    @POST
    @Path("reload")
    public Map<String, Object> reload() {
        try {
            List<TruthRule> loaded = rules.reload();
            blacklist.reload();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("count", loaded.size());
            out.put("built_in", TruthRules.BUILT_IN.size());
            out.put("blacklisted_clients", blacklist.size());
            return out;
        } catch (IOException | IllegalArgumentException e) {
            throw ApiException.unprocessable("truth_dir", "rules not reloaded, the previous set stays: " + e.getMessage());
        }
    }
}

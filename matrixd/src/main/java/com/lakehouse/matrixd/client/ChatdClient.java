package com.lakehouse.matrixd.client;

import com.lakehouse.contracts.client.Upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.lakehouse.contracts.fleet.FleetConfig;
import com.lakehouse.contracts.json.Json;
import com.lakehouse.contracts.roles.Role;
import com.lakehouse.contracts.roles.RoleTaxonomy;
import com.lakehouse.matrixd.config.MatrixdConfig;
import com.lakehouse.matrixd.service.RoleLlm;
import com.lakehouse.contracts.client.UpstreamException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * chatd for the role extractor's fallback: {@code POST /v1/chat {model, messages, format: "json", temperature: 0}
 * -> {message: {content}}}, the content being {@code {"role": "<role>" | null}}.
 */
@ApplicationScoped
public class ChatdClient implements RoleLlm {
    static final String SYSTEM = "You read one staffing request and name the job role it asks workers for. "
            + "Answer with JSON only: {\"role\": \"<role name>\"}, or {\"role\": null} when no role is named. "
            + "Prefer one of these roles: "
            + RoleTaxonomy.all().stream().map(Role::displayName).collect(Collectors.joining(", ")) + ".";

    private final Upstream upstream;
    private final String url;
    private final String model;

    @Inject
    public ChatdClient(HttpClients clients, FleetConfig fleet, MatrixdConfig config) {
        this.upstream = clients.chatd();
        this.url = fleet.chatd().replaceAll("/+$", "") + "/v1/chat";
        this.model = config.roleLlm().model();
    }

    @Override
    public Uni<Optional<String>> extractRole(String queryText) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", model);
        body.put("messages", List.of(Map.of("role", "system", "content", SYSTEM),
                Map.of("role", "user", "content", queryText)));
        body.put("format", "json");
        body.put("temperature", 0);
        body.put("stream", false);
        return upstream.call(HttpMethod.POST, url, body, Set.of()).map(r -> parse(r.json("chatd")));
    }

    static Optional<String> parse(JsonNode answer) {
        JsonNode content = answer.path("message").path("content");
        if (!content.isTextual()) {
            throw new UpstreamException("chatd", 200, "answer has no message.content");
        }
        String text = content.asText().strip();
        if (text.startsWith("```")) {
            text = text.replaceAll("^```[a-zA-Z]*\\s*", "").replaceAll("```\\s*$", "").strip();
        }
        try {
            JsonNode n = Json.mapper().readTree(text);
            JsonNode role = n.get("role");
            if (role == null || role.isNull()) {
                return Optional.empty();
            }
            String r = role.asText().strip();
            return r.isEmpty() ? Optional.empty() : Optional.of(r);
        } catch (IOException e) {
            throw new UpstreamException("chatd", 200, "model content is not the JSON asked for");
        }
    }
}

package com.lakehouse.chatd.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.lakehouse.chatd.config.ChatdConfig;
import com.lakehouse.contracts.client.Upstream;
import com.lakehouse.contracts.fleet.FleetConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Set;

/**
 * embedd's model listings, asked by chatd so that one answer lists every model the fleet serves: {@code GET
 * /v1/embed/models} (names, providers, aliases), {@code GET /api/tags} and {@code POST /api/show} (Ollama shapes,
 * passed on as embedd wrote them). Behind the shared guarded peer client, numbers from {@code lakehouse.chatd.embedd.*}.
 */
@ApplicationScoped
public class EmbeddModels {
    private final WebClient client;
    private final Upstream upstream;
    private final String base;

    @Inject
    public EmbeddModels(Vertx vertx, ChatdConfig config, FleetConfig fleet) {
        this.client = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true).setMaxPoolSize(4)
                .setConnectTimeout(2000).setUserAgent("lakehouse-chatd"));
        this.upstream = Upstream.of("chatd", "embedd", client, config.embedd());
        this.base = fleet.embedd().replaceAll("/+$", "");
    }

    /** {@code {models: [{name, provider, dimension, is_default, aliases}]}}. */
    public Uni<JsonNode> models() {
        return upstream.call(HttpMethod.GET, base + "/v1/embed/models", null, Set.of()).map(r -> r.json("embedd"));
    }

    /** Ollama's {@code {models: [...]}} of the embedding models. */
    public Uni<JsonNode> tags() {
        return upstream.call(HttpMethod.GET, base + "/api/tags", null, Set.of()).map(r -> r.json("embedd"));
    }

    /** embedd's answer to an Ollama show, 404 included. */
    public Uni<Upstream.Reply> show(JsonNode body) {
        return upstream.call(HttpMethod.POST, base + "/api/show", body, Set.of(404));
    }

    @PreDestroy
    void close() {
        client.close();
    }
}

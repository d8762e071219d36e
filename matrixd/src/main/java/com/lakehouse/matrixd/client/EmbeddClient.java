package com.lakehouse.matrixd.client;

import com.lakehouse.contracts.client.EmbedApi;
import com.lakehouse.contracts.fleet.FleetConfig;
import com.lakehouse.matrixd.service.Embedder;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;

/** embedd: {@code POST /v1/embed {texts, model?} -> {model, dimension, vectors}}, through the shared typed API. */
@ApplicationScoped
public class EmbeddClient implements Embedder {
    private final EmbedApi api;

    @Inject
    public EmbeddClient(HttpClients clients, FleetConfig fleet) {
        this.api = new EmbedApi(clients.embedd(), fleet.embedd());
    }

    @Override
    public Uni<Embedding> embed(List<String> texts, String model) {
        return api.embed(texts, model).map(e -> new Embedding(e.model(), e.dimension(), e.vectors()));
    }
}

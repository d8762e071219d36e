package com.lakehouse.matrixd.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.lakehouse.contracts.fleet.FleetConfig;
import com.lakehouse.matrixd.service.Embedder;
import com.lakehouse.matrixd.service.UpstreamException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** embedd: {@code POST /v1/embed {texts, model?} -> {model, dimension, vectors}}. */
@ApplicationScoped
public class EmbeddClient implements Embedder {
    private final Upstream upstream;
    private final String url;

    @Inject
    public EmbeddClient(HttpClients clients, FleetConfig fleet) {
        this.upstream = clients.embedd();
        this.url = fleet.embedd().replaceAll("/+$", "") + "/v1/embed";
    }

    @Override
    public Uni<Embedding> embed(List<String> texts, String model) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("texts", texts);
        if (model != null) {
            body.put("model", model);
        }
        return upstream.call(HttpMethod.POST, url, body, Set.of()).map(r -> parse(r.json("embedd"), texts.size()));
    }

    static Embedding parse(JsonNode n, int expected) {
        JsonNode vs = n.get("vectors");
        if (vs == null || !vs.isArray()) {
            throw new UpstreamException("embedd", 200, "answer has no 'vectors' array");
        }
        List<float[]> vectors = new ArrayList<>(vs.size());
        for (JsonNode v : vs) {
            vectors.add(VectordClient.floats(v, "embedd"));
        }
        if (vectors.size() != expected) {
            throw new UpstreamException("embedd", 200, "asked for " + expected + " vectors, got " + vectors.size());
        }
        int dim = n.path("dimension").asInt(vectors.isEmpty() ? 0 : vectors.get(0).length);
        return new Embedding(n.path("model").asText(null), dim, vectors);
    }
}

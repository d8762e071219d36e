package com.lakehouse.contracts.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** embedd's Go-compatible API, typed: {@code POST /v1/embed {texts, model?} -> {model, dimension, vectors}}. */
public final class EmbedApi {
    /** The answer: the model that embedded, the dimension and one vector per text, in order. */
    public record Embedding(String model, int dimension, List<float[]> vectors) {
    }

    private final Upstream upstream;
    private final String url;

    public EmbedApi(Upstream upstream, String embeddBaseUrl) {
        this.upstream = upstream;
        this.url = embeddBaseUrl.replaceAll("/+$", "") + "/v1/embed";
    }

    public Uni<Embedding> embed(List<String> texts, String model) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("texts", texts);
        if (model != null) {
            body.put("model", model);
        }
        return upstream.call(HttpMethod.POST, url, body, Set.of()).map(r -> parse(r.json(upstream.name()), texts.size()));
    }

    static Embedding parse(JsonNode n, int expected) {
        JsonNode vs = n.get("vectors");
        if (vs == null || !vs.isArray()) {
            throw new UpstreamException("embedd", 200, "answer has no 'vectors' array");
        }
        List<float[]> vectors = new ArrayList<>(vs.size());
        for (JsonNode v : vs) {
            vectors.add(VectorsApi.floats(v, "embedd"));
        }
        if (vectors.size() != expected) {
            throw new UpstreamException("embedd", 200, "asked for " + expected + " vectors, got " + vectors.size());
        }
        int dim = n.path("dimension").asInt(vectors.isEmpty() ? 0 : vectors.get(0).length);
        return new Embedding(n.path("model").asText(null), dim, vectors);
    }
}

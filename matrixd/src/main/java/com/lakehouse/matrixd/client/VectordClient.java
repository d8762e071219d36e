package com.lakehouse.matrixd.client;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.util.RawValue;
import com.lakehouse.contracts.json.Json;
import com.lakehouse.matrixd.service.UpstreamException;
import com.lakehouse.matrixd.service.VectorIndex;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * vectord (any instance, by base URL): {@code POST /v1/vectors/index {name, dimension, distance}} (409 = exists),
 * {@code POST /v1/vectors/index/{name}/add {items}}, {@code POST /v1/vectors/index/{name}/search {vector, k}}.
 */
@ApplicationScoped
public class VectordClient implements VectorIndex {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };
    private final Upstream upstream;

    @Inject
    public VectordClient(HttpClients clients) {
        this.upstream = clients.vectord();
    }

    private static String base(String baseUrl) {
        return baseUrl.replaceAll("/+$", "") + "/v1/vectors/index";
    }

    private static String enc(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8);
    }

    @Override
    public Uni<Boolean> create(String baseUrl, String name, int dimension, String distance) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("dimension", dimension);
        body.put("distance", distance);
        return upstream.call(HttpMethod.POST, base(baseUrl), body, Set.of(409)).map(r -> r.status() != 409);
    }

    @Override
    public Uni<Void> add(String baseUrl, String name, List<Item> items) {
        List<Map<String, Object>> wire = new ArrayList<>(items.size());
        for (Item i : items) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", i.id());
            m.put("vector", i.vector());
            m.put("metadata", i.metadata());
            wire.add(m);
        }
        return upstream.call(HttpMethod.POST, base(baseUrl) + "/" + enc(name) + "/add", Map.of("items", wire), Set.of())
                .replaceWithVoid();
    }

    /**
     * One search fans out to several corpora with the same query vector, issued one after another on the same
     * thread: the vector's JSON is rendered once and reused (keyed by the array's identity).
     */
    private static final ThreadLocal<Object[]> LAST_VECTOR = new ThreadLocal<>();

    static RawValue vectorJson(float[] vector) {
        Object[] last = LAST_VECTOR.get();
        if (last != null && last[0] == vector) {
            return (RawValue) last[1];
        }
        StringBuilder sb = new StringBuilder(vector.length * 12).append('[');
        for (int i = 0; i < vector.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(vector[i]);
        }
        RawValue raw = new RawValue(sb.append(']').toString());
        LAST_VECTOR.set(new Object[]{vector, raw});
        return raw;
    }

    @Override
    public Uni<List<Hit>> search(String baseUrl, String name, float[] vector, int k) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("vector", vectorJson(vector));
        body.put("k", k);
        return upstream.call(HttpMethod.POST, base(baseUrl) + "/" + enc(name) + "/search", body, Set.of())
                .map(r -> hits(r.json("vectord")));
    }

    static List<Hit> hits(JsonNode n) {
        JsonNode rs = n.get("results");
        if (rs == null || !rs.isArray()) {
            throw new UpstreamException("vectord", 200, "search answer has no 'results' array");
        }
        List<Hit> out = new ArrayList<>(rs.size());
        for (JsonNode r : rs) {
            if (!r.hasNonNull("id") || !r.path("distance").isNumber()) {
                throw new UpstreamException("vectord", 200, "search result without id or distance");
            }
            Map<String, Object> meta = r.hasNonNull("metadata") && r.get("metadata").isObject()
                    ? Json.mapper().convertValue(r.get("metadata"), MAP) : Map.of();
            Double score = r.path("score").isNumber() ? r.get("score").asDouble() : null;
            out.add(new Hit(r.get("id").asText(), r.get("distance").asDouble(), score, meta));
        }
        return out;
    }

    static float[] floats(JsonNode v, String upstream) {
        if (v == null || !v.isArray()) {
            throw new UpstreamException(upstream, 200, "a vector is not an array");
        }
        float[] f = new float[v.size()];
        for (int i = 0; i < f.length; i++) {
            JsonNode x = v.get(i);
            if (!x.isNumber()) {
                throw new UpstreamException(upstream, 200, "a vector component is not a number");
            }
            f[i] = (float) x.asDouble();
        }
        return f;
    }
}

package com.lakehouse.contracts.client;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.lakehouse.contracts.json.Json;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * vectord's Go-compatible API, typed, for any vectord instance by base URL: create (409 = exists), add, search,
 * delete item.
 */
public final class VectorsApi {
    public record Item(String id, float[] vector, Map<String, Object> metadata) {
    }

    public record Hit(String id, double distance, Double score, Map<String, Object> metadata) {
    }

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };
    private final Upstream upstream;

    public VectorsApi(Upstream upstream) {
        this.upstream = upstream;
    }

    private static String base(String baseUrl) {
        int end = baseUrl.length();
        while (end > 0 && baseUrl.charAt(end - 1) == '/') {
            end--;
        }
        return baseUrl.substring(0, end) + "/v1/vectors/index";
    }

    private static String enc(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8);
    }

    /** Creates the index; true when created, false when it already existed. */
    public Uni<Boolean> create(String baseUrl, String name, int dimension, String distance) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("dimension", dimension);
        body.put("distance", distance);
        return upstream.call(HttpMethod.POST, base(baseUrl), body, Set.of(409)).map(r -> r.status() != 409);
    }

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

    /** Removes one item; a missing item is not an error. */
    public Uni<Void> delete(String baseUrl, String name, String id) {
        return upstream.call(HttpMethod.DELETE, base(baseUrl) + "/" + enc(name) + "/items/" + enc(id), null, Set.of(404))
                .replaceWithVoid();
    }

    public Uni<List<Hit>> search(String baseUrl, String name, float[] vector, int k) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("vector", vector);
        body.put("k", k);
        return upstream.call(HttpMethod.POST, base(baseUrl) + "/" + enc(name) + "/search", body, Set.of())
                .map(r -> hits(r.body() == null ? new byte[0] : r.body().getBytes()));
    }

    /** vectord's search answer as it is on the wire; read in one pass, straight into records and maps. */
    private record WireAnswer(List<WireHit> results) {
    }

    private record WireHit(String id, Double distance, Double score, Map<String, Object> metadata) {
    }

    /**
     * Hits from a search answer's bytes, checked as {@link #hits(JsonNode)} checks them. One typed read instead of
     * a tree and a conversion per hit's metadata: on matrixd's search path this was the largest piece of its own work.
     */
    public static List<Hit> hits(byte[] body) {
        WireAnswer a;
        try {
            a = Json.mapper().readValue(body, WireAnswer.class);
        } catch (java.io.IOException e) {
            throw new UpstreamException("vectord", 200, "search answer is not the expected JSON");
        }
        if (a == null || a.results() == null) {
            throw new UpstreamException("vectord", 200, "search answer has no 'results' array");
        }
        List<Hit> out = new ArrayList<>(a.results().size());
        for (WireHit h : a.results()) {
            if (h == null || h.id() == null || h.distance() == null) {
                throw new UpstreamException("vectord", 200, "search result without id or distance");
            }
            out.add(new Hit(h.id(), h.distance(), h.score(), h.metadata() == null ? Map.of() : h.metadata()));
        }
        return out;
    }

    /**
     * The same search with the query vector already JSON-encoded ({@link #encode}): a multi-corpus search sends one
     * vector to several indexes, and writing 384 floats as text was a visible share of matrixd's time per call.
     */
    public Uni<List<Hit>> search(String baseUrl, String name, byte[] vectorJson, int k) {
        byte[] head = "{\"vector\":".getBytes(StandardCharsets.US_ASCII);
        byte[] tail = (",\"k\":" + k + "}").getBytes(StandardCharsets.US_ASCII);
        byte[] body = new byte[head.length + vectorJson.length + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(vectorJson, 0, body, head.length, vectorJson.length);
        System.arraycopy(tail, 0, body, head.length + vectorJson.length, tail.length);
        return upstream.callJson(HttpMethod.POST, base(baseUrl) + "/" + enc(name) + "/search", body, Set.of())
                .map(r -> hits(r.body() == null ? new byte[0] : r.body().getBytes()));
    }

    /** A vector as the JSON array {@link #search(String, String, byte[], int)} sends. */
    public static byte[] encode(float[] vector) {
        try {
            return Json.mapper().writeValueAsBytes(vector);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("a float array always encodes", e);
        }
    }

    public static List<Hit> hits(JsonNode n) {
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

    public static float[] floats(JsonNode v, String upstream) {
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

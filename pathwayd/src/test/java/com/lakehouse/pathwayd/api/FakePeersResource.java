package com.lakehouse.pathwayd.api;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Fake embedd and vectord on one free port, speaking their wire shapes: {@code POST /v1/embed} answers
 * bag-of-words vectors (same words, close vectors), and a tiny exact cosine index serves create/add/search/delete.
 */
public class FakePeersResource implements QuarkusTestResourceLifecycleManager {
    static final int DIM = 64;
    /** When not 0, every {@code /v1/embed} call answers this status (e.g. 503: embedd is down). */
    static volatile int embedStatus;
    /** When not 0, every vectord search answers this status. */
    static volatile int searchStatus;
    private Vertx vertx;
    private final Map<String, Map<String, float[]>> indexes = new ConcurrentHashMap<>();

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        HttpServer server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(buf -> {
            String path = req.path();
            JsonObject body = buf.length() == 0 ? new JsonObject() : buf.toJsonObject();
            JsonObject out;
            int status = 200;
            if (path.equals("/v1/embed") && embedStatus != 0) {
                status = embedStatus;
                out = new JsonObject().put("detail", "fake embedd: failing on purpose");
            } else if (path.endsWith("/search") && searchStatus != 0) {
                status = searchStatus;
                out = new JsonObject().put("detail", "fake vectord: failing on purpose");
            } else if (path.equals("/v1/embed")) {
                JsonArray vs = new JsonArray();
                body.getJsonArray("texts").forEach(t -> vs.add(toJson(embed((String) t))));
                out = new JsonObject().put("model", "fake").put("dimension", DIM).put("vectors", vs);
            } else if (path.equals("/v1/vectors/index") && req.method().name().equals("POST")) {
                boolean created = indexes.putIfAbsent(body.getString("name"), new ConcurrentHashMap<>()) == null;
                status = created ? 201 : 409;
                out = new JsonObject().put("name", body.getString("name"));
            } else if (path.endsWith("/add")) {
                Map<String, float[]> idx = indexes.get(path.split("/")[4]);
                body.getJsonArray("items").forEach(o -> {
                    JsonObject it = (JsonObject) o;
                    JsonArray v = it.getJsonArray("vector");
                    float[] f = new float[v.size()];
                    for (int i = 0; i < f.length; i++) {
                        f[i] = v.getFloat(i);
                    }
                    idx.put(it.getString("id"), f);
                });
                out = new JsonObject().put("added", body.getJsonArray("items").size());
            } else if (path.endsWith("/search")) {
                Map<String, float[]> idx = indexes.getOrDefault(path.split("/")[4], Map.of());
                JsonArray v = body.getJsonArray("vector");
                float[] q = new float[v.size()];
                for (int i = 0; i < q.length; i++) {
                    q[i] = v.getFloat(i);
                }
                List<Map.Entry<String, Double>> scored = new ArrayList<>();
                idx.forEach((id, vec) -> scored.add(Map.entry(id, 1 - cos(q, vec))));
                scored.sort(Map.Entry.comparingByValue(Comparator.naturalOrder()));
                JsonArray rs = new JsonArray();
                scored.stream().limit(body.getInteger("k")).forEach(e -> rs.add(new JsonObject().put("id", e.getKey())
                        .put("distance", e.getValue()).put("score", 1 - e.getValue()).put("metadata", new JsonObject())));
                out = new JsonObject().put("results", rs);
            } else if (req.method().name().equals("DELETE") && path.contains("/items/")) {
                String[] p = path.split("/");
                Map<String, float[]> idx = indexes.get(p[4]);
                status = idx != null && idx.remove(p[6]) != null ? 200 : 404;
                out = new JsonObject();
            } else {
                status = 404;
                out = new JsonObject().put("detail", "fake peers: no route " + path);
            }
            req.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(out.encode());
        }));
        try {
            server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        String url = "http://127.0.0.1:" + server.actualPort();
        return Map.of("lakehouse.fleet.embedd", url, "lakehouse.fleet.vectord", url);
    }

    static float[] embed(String text) {
        float[] v = new float[DIM];
        for (String w : text.toLowerCase().split("[^a-z0-9]+")) {
            if (!w.isEmpty()) {
                v[Math.floorMod(w.hashCode(), DIM)] += 1;
            }
        }
        return v;
    }

    static JsonArray toJson(float[] v) {
        JsonArray a = new JsonArray();
        for (float f : v) {
            a.add(f);
        }
        return a;
    }

    static double cos(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close();
        }
    }
}

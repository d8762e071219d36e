package com.lakehouse.matrixd.api;

import com.lakehouse.contracts.testing.S3ProxyServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * The peers of matrixd for API tests, as small Vert.x servers speaking their wire shapes: embedd (a
 * deterministic bag-of-words embedding), vectord (exact cosine search in memory), chatd (canned role answers),
 * catalogd (NDJSON rows with X-Next-Cursor) and observerd (collects events); plus a real S3 (S3Proxy).
 */
public class FakeFleet implements QuarkusTestResourceLifecycleManager {
    public static final int DIM = 256;

    /** What the fakes saw and how they should behave; static because the test and the resource share it. */
    public static final Map<String, Map<String, JsonObject>> INDEXES = new ConcurrentHashMap<>();
    public static final Map<String, String> CHAT_ANSWERS = new ConcurrentHashMap<>();
    public static final List<JsonObject> CHAT_REQUESTS = new CopyOnWriteArrayList<>();
    public static final List<JsonObject> OBSERVED = new CopyOnWriteArrayList<>();
    /** "peer:request-id" for every call a fake received with an X-Request-Id. */
    public static final List<String> REQUEST_IDS = new CopyOnWriteArrayList<>();
    public static final Map<String, List<JsonObject>> DATASETS = new ConcurrentHashMap<>();
    public static volatile boolean chatDown;
    public static volatile String failingIndex;
    /** How often each text was embedded (a search's query vector is cached, so a repeat adds nothing). */
    public static final java.util.Map<String, Integer> EMBEDDED = new java.util.concurrent.ConcurrentHashMap<>();

    private static volatile HttpServer embeddServer;
    private static volatile int embeddPort;

    private Vertx vertx;
    private S3ProxyServer s3;
    private final List<HttpServer> servers = new ArrayList<>();

    @Override
    public Map<String, String> start() {
        s3 = S3ProxyServer.start();
        vertx = Vertx.vertx();
        String embedd = serve("embedd", this::embedd);
        embeddServer = servers.get(servers.size() - 1);
        embeddPort = embeddServer.actualPort();
        String vectord = serve("vectord", this::vectord);
        String chatd = serve("chatd", this::chatd);
        String catalogd = serve("catalogd", this::catalogd);
        String observerd = serve("observerd", this::observerd);
        return Map.ofEntries(
                Map.entry("lakehouse.s3.endpoint", s3.endpoint()),
                Map.entry("lakehouse.s3.bucket", "test-" + UUID.randomUUID().toString().substring(0, 8)),
                Map.entry("lakehouse.s3.access-key", S3ProxyServer.ACCESS_KEY),
                Map.entry("lakehouse.s3.secret-key", S3ProxyServer.SECRET_KEY),
                Map.entry("lakehouse.fleet.embedd", embedd),
                Map.entry("lakehouse.fleet.vectord", vectord),
                Map.entry("lakehouse.fleet.chatd", chatd),
                Map.entry("lakehouse.fleet.catalogd", catalogd),
                Map.entry("lakehouse.fleet.observerd", observerd),
                Map.entry("lakehouse.observer-client.enabled", "true"),
                Map.entry("lakehouse.observer-client.flush-interval", "100ms"),
                // a failing upstream in one test must not open a breaker for the next
                Map.entry("lakehouse.matrixd.vectord.circuit-breaker-volume", "1000"),
                Map.entry("lakehouse.matrixd.embedd.circuit-breaker-volume", "1000"),
                Map.entry("lakehouse.matrixd.vectord.retries", "0"));
    }

    /** Stops the fake embedd (its port refuses connections, as when the daemon is down). */
    public static void stopEmbedd() {
        await(embeddServer.close());
    }

    /** Starts the fake embedd again on the port matrixd was configured with. */
    public static void startEmbedd() {
        await(embeddServer.listen(embeddPort, "127.0.0.1"));
    }

    private static void await(io.vertx.core.Future<?> f) {
        try {
            f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String serve(String name, BiConsumer<HttpServerRequest, JsonObject> handler) {
        HttpServer server = vertx.createHttpServer().requestHandler(req -> {
            String rid = req.getHeader("X-Request-Id");
            if (rid != null) {
                REQUEST_IDS.add(name + ":" + rid);
            }
            req.body().onSuccess(buf -> {
                JsonObject body = buf.length() == 0 ? new JsonObject() : buf.toJsonObject();
                try {
                    handler.accept(req, body);
                } catch (RuntimeException e) {
                    reply(req, 500, new JsonObject().put("detail", String.valueOf(e.getMessage())));
                }
            });
        });
        try {
            server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        servers.add(server);
        return "http://127.0.0.1:" + server.actualPort();
    }

    private static void reply(HttpServerRequest req, int status, JsonObject body) {
        req.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
    }

    /** Token-hash bag of words, L2-normalized: texts sharing words are near, others far. */
    public static float[] embed(String text) {
        float[] v = new float[DIM];
        for (String tok : text.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
            if (!tok.isEmpty()) {
                v[Math.floorMod(tok.hashCode() * 31 + 7, DIM)] += 1;
            }
        }
        double n = 0;
        for (float f : v) {
            n += f * f;
        }
        if (n == 0) {
            v[0] = 1;
            return v;
        }
        for (int i = 0; i < DIM; i++) {
            v[i] /= (float) Math.sqrt(n);
        }
        return v;
    }

    private void embedd(HttpServerRequest req, JsonObject body) {
        if (!req.path().equals("/v1/embed")) {
            reply(req, 404, new JsonObject().put("detail", "no route"));
            return;
        }
        JsonArray vectors = new JsonArray();
        for (Object t : body.getJsonArray("texts")) {
            EMBEDDED.merge((String) t, 1, Integer::sum);
            JsonArray a = new JsonArray();
            for (float f : embed((String) t)) {
                a.add(f);
            }
            vectors.add(a);
        }
        reply(req, 200, new JsonObject().put("model", body.getString("model", "fake-default"))
                .put("dimension", DIM).put("vectors", vectors));
    }

    private void vectord(HttpServerRequest req, JsonObject body) {
        String p = req.path();
        if (p.equals("/v1/vectors/index")) {
            String name = body.getString("name");
            if (INDEXES.putIfAbsent(name, new ConcurrentHashMap<>()) != null) {
                reply(req, 409, new JsonObject().put("detail", "index " + name + " exists"));
            } else {
                reply(req, 201, new JsonObject().put("name", name).put("dimension", body.getInteger("dimension")));
            }
            return;
        }
        String[] parts = p.split("/"); // "", v1, vectors, index, name, op
        if (parts.length != 6) {
            reply(req, 404, new JsonObject().put("detail", "no route"));
            return;
        }
        Map<String, JsonObject> idx = INDEXES.get(parts[4]);
        if (idx == null) {
            reply(req, 404, new JsonObject().put("detail", "unknown index " + parts[4]));
            return;
        }
        if (parts[4].equals(failingIndex)) {
            reply(req, 500, new JsonObject().put("detail", "disk on fire"));
            return;
        }
        if (parts[5].equals("add")) {
            for (Object o : body.getJsonArray("items")) {
                JsonObject item = (JsonObject) o;
                idx.put(item.getString("id"), item);
            }
            reply(req, 200, new JsonObject().put("added", body.getJsonArray("items").size()));
        } else if (parts[5].equals("search")) {
            JsonArray q = body.getJsonArray("vector");
            List<JsonObject> hits = new ArrayList<>();
            for (JsonObject item : idx.values()) {
                JsonArray v = item.getJsonArray("vector");
                double dot = 0;
                double na = 0;
                double nb = 0;
                for (int i = 0; i < v.size(); i++) {
                    double a = q.getDouble(i);
                    double b = v.getDouble(i);
                    dot += a * b;
                    na += a * a;
                    nb += b * b;
                }
                double d = 1 - dot / (Math.sqrt(na) * Math.sqrt(nb));
                hits.add(new JsonObject().put("id", item.getString("id")).put("distance", d).put("score", 1 - d)
                        .put("metadata", item.getJsonObject("metadata")));
            }
            hits.sort(Comparator.comparingDouble(h -> h.getDouble("distance")));
            int k = body.getInteger("k", 10);
            reply(req, 200, new JsonObject().put("results", new JsonArray(hits.subList(0, Math.min(k, hits.size())))));
        } else {
            reply(req, 404, new JsonObject().put("detail", "no route"));
        }
    }

    private void chatd(HttpServerRequest req, JsonObject body) {
        CHAT_REQUESTS.add(body);
        if (chatDown) {
            reply(req, 503, new JsonObject().put("detail", "no provider"));
            return;
        }
        JsonArray messages = body.getJsonArray("messages");
        String user = messages.getJsonObject(messages.size() - 1).getString("content");
        String role = CHAT_ANSWERS.get(user);
        String content = new JsonObject().put("role", role).encode();
        reply(req, 200, new JsonObject().put("model", body.getString("model"))
                .put("message", new JsonObject().put("role", "assistant").put("content", content)));
    }

    private void catalogd(HttpServerRequest req, JsonObject body) {
        String[] parts = req.path().split("/"); // "", v1, catalog, datasets, name[, rows]
        List<JsonObject> rows = parts.length >= 5 ? DATASETS.get(parts[4]) : null;
        if (rows == null) {
            reply(req, 404, new JsonObject().put("detail", "unknown dataset"));
            return;
        }
        if (parts.length == 5) {
            reply(req, 200, new JsonObject().put("name", parts[4]).put("latest_version", 3));
            return;
        }
        int limit = Integer.parseInt(req.getParam("limit", "100"));
        int from = Integer.parseInt(req.getParam("cursor", "0"));
        int to = Math.min(rows.size(), from + limit);
        StringBuilder sb = new StringBuilder();
        for (JsonObject r : rows.subList(from, to)) {
            sb.append(r.encode()).append('\n');
        }
        var resp = req.response().setStatusCode(200).putHeader("Content-Type", "application/x-ndjson");
        if (to < rows.size()) {
            resp.putHeader("X-Next-Cursor", String.valueOf(to));
        }
        resp.end(sb.toString());
    }

    private void observerd(HttpServerRequest req, JsonObject body) {
        for (Object o : body.getJsonArray("events", new JsonArray())) {
            OBSERVED.add((JsonObject) o);
        }
        reply(req, 200, new JsonObject().put("accepted", body.getJsonArray("events", new JsonArray()).size()));
    }

    @Override
    public void stop() {
        for (HttpServer s : servers) {
            s.close();
        }
        if (vertx != null) {
            vertx.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }
}

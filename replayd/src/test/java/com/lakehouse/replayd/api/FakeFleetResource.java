package com.lakehouse.replayd.api;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A fake gateway and observerd on one port. observerd serves recorded operations: two searches (one whose answer
 * changed since: the planted regression), a chat, and a fill task. The gateway answers the replayed requests;
 * its chat gives a good fill only when the prompt carries the exemplar {@code rag-good-1}.
 */
public class FakeFleetResource implements QuarkusTestResourceLifecycleManager {
    static final AtomicBoolean SEARCH_DOWN = new AtomicBoolean();
    static final String KEY = "replay-test-key";
    private Vertx vertx;

    static JsonArray recorded() {
        return new JsonArray()
                .add(op("op-s1", "task-s1", "matrixd", "/v1/matrix/search", "search",
                        new JsonObject().put("query_text", "forklift detroit").put("corpora", new JsonArray().add("workers")).put("k", 3),
                        new JsonObject().put("ids", new JsonArray().add("W-000001").add("W-000002").add("W-000003")), true))
                .add(op("op-s2", "task-s2", "matrixd", "/v1/matrix/search", "search",
                        new JsonObject().put("query_text", "pickers toledo").put("corpora", new JsonArray().add("workers")).put("k", 3),
                        new JsonObject().put("ids", new JsonArray().add("W-000010").add("W-000011").add("W-000012")), true))
                .add(op("op-c1", "task-c1", "chatd", "/v1/chat", "chat",
                        new JsonObject().put("model", "m").put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))),
                        new JsonObject().put("message", new JsonObject().put("role", "assistant").put("content", "forklift operators in detroit")), true))
                .add(op("op-f1", "task-f1", "validatord", "/v1/iterate", "fill",
                        new JsonObject().put("kind", "fill").put("prompt", "Propose 1 forklift operator for Beacon Freight in Detroit")
                                .put("context", new JsonObject().put("city", "Detroit").put("role", "Forklift Operator").put("target_count", 1)),
                        new JsonObject().put("artifact", new JsonObject()).put("validation", new JsonObject().put("valid", false)), false));
    }

    static JsonObject op(String id, String task, String source, String endpoint, String kind, JsonObject request,
                         JsonObject result, boolean success) {
        return new JsonObject().put("op_id", id).put("task_id", task).put("source", source).put("endpoint", endpoint)
                .put("kind", kind).put("timestamp", "2026-11-20T10:00:00Z").put("request", request).put("result", result)
                .put("success", success);
    }

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        HttpServer server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(buf -> {
            String path = req.path();
            if (path.startsWith("/v1/") && !path.startsWith("/v1/observer") && !("Bearer " + KEY).equals(req.getHeader("Authorization"))) {
                reply(req, 401, new JsonObject().put("detail", "no key"));
                return;
            }
            JsonObject body = buf.length() == 0 ? new JsonObject() : buf.toJsonObject();
            switch (path) {
                case "/v1/observer/ops" -> {
                    String source = req.getParam("source");
                    JsonArray ops = new JsonArray();
                    recorded().forEach(o -> {
                        if (source == null || source.equals(((JsonObject) o).getString("source"))) {
                            ops.add(o);
                        }
                    });
                    reply(req, 200, new JsonObject().put("ops", ops).putNull("next_cursor"));
                }
                case "/v1/matrix/search" -> {
                    if (SEARCH_DOWN.get()) {
                        reply(req, 503, new JsonObject().put("detail", "matrixd is down"));
                        return;
                    }
                    boolean forklift = body.getString("query_text").contains("forklift");
                    JsonArray ids = forklift ? new JsonArray().add("W-000001").add("W-000003").add("W-000002")
                            : new JsonArray().add("W-000077").add("W-000078").add("W-000010");
                    JsonArray results = new JsonArray();
                    ids.forEach(i -> results.add(new JsonObject().put("id", i).put("distance", 0.1)));
                    reply(req, 200, new JsonObject().put("results", results));
                }
                case "/v1/chat" -> {
                    String all = body.getJsonArray("messages").encode();
                    String content = all.contains("rag-good-1")
                            ? "{\"fills\":[{\"candidate_id\":\"W-000001\",\"name\":\"Ann Lee\"}],\"note\":\"Detroit forklift operator\"}"
                            : all.contains("\"hi\"") ? "forklift operators in detroit" : "I'm not sure who could do this.";
                    reply(req, 200, new JsonObject().put("provider", "fake").put("model", body.getString("model"))
                            .put("message", new JsonObject().put("role", "assistant").put("content", content)));
                }
                case "/v1/validate" -> {
                    boolean ok = body.getJsonObject("artifact").getJsonArray("fills", new JsonArray()).size() == 1;
                    reply(req, ok ? 200 : 422, new JsonObject().put("valid", ok));
                }
                case "/v1/embed" -> {
                    JsonArray vs = new JsonArray();
                    body.getJsonArray("texts").forEach(t -> vs.add(new JsonArray().add(1.0).add(t.toString().length() % 3)));
                    reply(req, 200, new JsonObject().put("model", "fake").put("dimension", 2).put("vectors", vs));
                }
                default -> reply(req, 404, new JsonObject().put("detail", "no route " + path));
            }
        }));
        try {
            server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        String url = "http://127.0.0.1:" + server.actualPort();
        return Map.of("lakehouse.fleet.gateway", url, "lakehouse.fleet.observerd", url, "lakehouse.fleet.gateway-key", KEY,
                "lakehouse.replayd.gateway.retries", "0", "lakehouse.replayd.gateway.circuit-breaker-volume", "100");
    }

    private static void reply(io.vertx.core.http.HttpServerRequest req, int status, JsonObject body) {
        req.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close();
        }
    }
}

package com.lakehouse.embedd.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake Ollama ({@code POST /api/embed}) and OpenAI-compatible ({@code POST /v1/embeddings}) server on a free
 * loopback port, speaking the real wire formats. Behaviour is chosen by the upstream model name: {@code
 * always-500}, {@code always-429}, {@code flaky} (odd calls 500, even calls answer), {@code short} (one vector too few) and anything else answers
 * deterministic float64 vectors of dimension 8. {@code POST /_fail/<model>} makes a model answer 503 from then
 * on; {@code GET /_calls/<model>} and {@code GET /_rid/<model>} report call counts and the last X-Request-Id.
 * The OpenAI route requires {@code Authorization: Bearer test-key} and answers {@code data} in reverse order (the
 * client must sort by {@code index}).
 */
public final class FakeUpstreams implements AutoCloseable {
    public static final int DIM = 8;
    public static final String KEY = "test-key";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Map<String, String> lastRequestId = new ConcurrentHashMap<>();
    private final Set<String> failing = ConcurrentHashMap.newKeySet();

    public FakeUpstreams() {
        try {
            server = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1")
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("fake upstream did not start", e);
        }
    }

    public int port() {
        return server.actualPort();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** The deterministic vector the fake gives a text (float64, many digits). */
    public static double[] vectorOf(String text) {
        double[] v = new double[DIM];
        int h = text.hashCode();
        for (int j = 0; j < DIM; j++) {
            v[j] = Math.sin((h % 1000) * 0.001 + j * 0.7) * 0.123456789012345;
        }
        return v;
    }

    private void handle(HttpServerRequest req) {
        req.body().onSuccess(buf -> {
            try {
                route(req, buf.toString());
            } catch (Exception e) {
                req.response().setStatusCode(400).end("{\"error\":\"" + e.getMessage() + "\"}");
            }
        });
    }

    private void route(HttpServerRequest req, String body) throws Exception {
        String path = req.path();
        if (path.startsWith("/_fail/")) {
            failing.add(path.substring("/_fail/".length()));
            req.response().end("ok");
            return;
        }
        if (path.startsWith("/_calls/")) {
            AtomicInteger n = calls.get(path.substring("/_calls/".length()));
            req.response().end(String.valueOf(n == null ? 0 : n.get()));
            return;
        }
        if (path.startsWith("/_rid/")) {
            req.response().end(lastRequestId.getOrDefault(path.substring("/_rid/".length()), ""));
            return;
        }
        boolean ollama = path.equals("/api/embed");
        boolean openai = path.equals("/v1/embeddings");
        if (!req.method().name().equals("POST") || !(ollama || openai)) {
            req.response().setStatusCode(404).end("404 page not found");
            return;
        }
        JsonNode in = JSON.readTree(body);
        String model = in.path("model").asText();
        int n = calls.computeIfAbsent(model, k -> new AtomicInteger()).incrementAndGet();
        String rid = req.getHeader("X-Request-Id");
        if (rid != null) {
            lastRequestId.put(model, rid);
        }
        if (openai && !("Bearer " + KEY).equals(req.getHeader("Authorization"))) {
            error(req, 401, true, "Incorrect API key provided");
            return;
        }
        if (model.equals("always-500") || (model.equals("flaky") && n % 2 == 1)) {
            error(req, 500, openai, "model runner crashed");
            return;
        }
        if (model.equals("always-429")) {
            error(req, 429, openai, "rate limited");
            return;
        }
        if (failing.contains(model)) {
            error(req, 503, openai, "upstream is down");
            return;
        }
        List<String> texts = new ArrayList<>();
        JsonNode input = in.path("input");
        if (input.isTextual()) {
            texts.add(input.asText());
        } else {
            input.forEach(t -> texts.add(t.asText()));
        }
        if (model.equals("short") && !texts.isEmpty()) {
            texts.remove(texts.size() - 1);
        }
        ObjectNode out = JSON.createObjectNode();
        if (ollama) {
            out.put("model", model);
            ArrayNode embeddings = out.putArray("embeddings");
            for (String t : texts) {
                ArrayNode a = embeddings.addArray();
                for (double d : vectorOf(t)) {
                    a.add(d);
                }
            }
            out.put("total_duration", 14143917L);
            out.put("load_duration", 1019500L);
            out.put("prompt_eval_count", texts.size() * 3);
        } else {
            out.put("object", "list");
            ArrayNode data = out.putArray("data");
            for (int i = texts.size() - 1; i >= 0; i--) {
                ObjectNode item = data.addObject();
                item.put("object", "embedding");
                item.put("index", i);
                ArrayNode a = item.putArray("embedding");
                for (double d : vectorOf(texts.get(i))) {
                    a.add(d);
                }
            }
            out.put("model", model);
            ObjectNode usage = out.putObject("usage");
            usage.put("prompt_tokens", texts.size() * 3);
            usage.put("total_tokens", texts.size() * 3);
        }
        req.response().putHeader("Content-Type", "application/json").end(JSON.writeValueAsString(out));
    }

    private static void error(HttpServerRequest req, int status, boolean openai, String message) {
        String body = openai
                ? "{\"error\":{\"message\":\"" + message + "\",\"type\":\"server_error\",\"param\":null,\"code\":null}}"
                : "{\"error\":\"" + message + "\"}";
        req.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
    }

    @Override
    public void close() {
        try {
            server.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // closing anyway
        }
        vertx.close();
    }
}

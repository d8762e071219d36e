package com.lakehouse.matrixd.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Benchmark peers for matrixd (bench/matrixd/run.sh), one port for all routes: embedd answers a fixed 384-d
 * vector per text (a warm cache: no model work), vectord creates indexes and answers every search with a
 * precomputed top-k of the index (constant cost, standing in for an HNSW search over 50k documents), observerd
 * and chatd accept everything. What is measured is matrixd's own work: the embed hop, the parallel fan-out,
 * the merge, the gate and the observer capture. Usage: {@code BenchUpstreams <port>}.
 */
public final class BenchUpstreams {
    static final int DIM = 384;
    static final String[] ROLES = {"Forklift Operator", "Picker", "CNC Operator", "Welder", "Line Cook"};

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        Random rnd = new Random(42);
        JsonArray vec = new JsonArray();
        for (int i = 0; i < DIM; i++) {
            vec.add(rnd.nextGaussian());
        }
        Map<String, Buffer> searchAnswers = new ConcurrentHashMap<>();
        vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            String p = req.path();
            var resp = req.response().putHeader("Content-Type", "application/json");
            if (p.equals("/v1/embed")) {
                JsonObject b = body.toJsonObject();
                JsonArray vs = new JsonArray();
                for (int i = 0; i < b.getJsonArray("texts").size(); i++) {
                    vs.add(vec);
                }
                resp.end(new JsonObject().put("model", b.getString("model", "bench")).put("dimension", DIM)
                        .put("vectors", vs).toBuffer());
            } else if (p.equals("/v1/vectors/index")) {
                resp.setStatusCode(201).end("{}");
            } else if (p.startsWith("/v1/vectors/index/") && p.endsWith("/search")) {
                String name = p.substring("/v1/vectors/index/".length(), p.length() - "/search".length());
                int k = body.toJsonObject().getInteger("k", 10);
                resp.end(searchAnswers.computeIfAbsent(name + "/" + k, key -> answer(name, k)));
            } else if (p.startsWith("/v1/vectors/index/") && p.endsWith("/add")) {
                resp.end("{\"added\":0}");
            } else if (p.equals("/v1/observer/events")) {
                resp.end("{}");
            } else if (p.equals("/v1/chat")) {
                resp.end(new JsonObject().put("message", new JsonObject().put("role", "assistant")
                        .put("content", "{\"role\": null}")).toBuffer());
            } else {
                resp.setStatusCode(404).end("{\"detail\":\"no route\"}");
            }
        })).listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().join();
        System.out.println("bench upstreams on 127.0.0.1:" + port);
    }

    static Buffer answer(String index, int k) {
        JsonArray results = new JsonArray();
        int offset = Math.floorMod(index.hashCode(), 7);
        for (int i = 0; i < k; i++) {
            double d = 0.10 + 0.01 * i + 0.001 * offset;
            results.add(new JsonObject().put("id", index + "-" + i).put("distance", d).put("score", 1 - d)
                    .put("metadata", new JsonObject().put("role", ROLES[i % ROLES.length]).put("city", "Detroit")
                            .put("client", "Acme").put("corpus", index).put("doc_id", index + "-" + i)));
        }
        return new JsonObject().put("results", results).toBuffer();
    }
}

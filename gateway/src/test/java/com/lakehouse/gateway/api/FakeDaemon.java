package com.lakehouse.gateway.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A fake daemon on a free loopback port speaking what the gateway relies on: {@code /q/health/ready}, an echo of
 * every other request (method, path, query, headers, body size and sha256) as JSON, an SSE stream on
 * {@code /v1/chat/completions} whose second event waits for {@code POST /control/release}, and a slow route
 * ({@code /v1/replay/slow}) that answers only after 3 s.
 */
final class FakeDaemon {
    private static final ObjectMapper JSON = new ObjectMapper();
    final String name;
    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private volatile CountDownLatch release = new CountDownLatch(1);
    private volatile String sseState = "idle";

    FakeDaemon(String name) throws IOException {
        this.name = name;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void stop() {
        server.stop(0);
        pool.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            ex.getResponseHeaders().add("X-Upstream", name);
            switch (path) {
                case "/q/health/ready" -> send(ex, 200, "application/json", "{\"status\":\"UP\",\"checks\":[]}");
                case "/control/release" -> {
                    release.countDown();
                    send(ex, 200, "application/json", "{\"released\":true}");
                }
                case "/control/state" -> send(ex, 200, "application/json", "{\"sse\":\"" + sseState + "\"}");
                case "/v1/chat/completions" -> sse(ex);
                case "/v1/replay/slow" -> {
                    sleep(3_000);
                    send(ex, 200, "application/json", "{\"slow\":true}");
                }
                default -> echo(ex);
            }
        }
    }

    private void sse(HttpExchange ex) throws IOException {
        ex.getRequestBody().readAllBytes();
        release = new CountDownLatch(1);
        sseState = "first-sent";
        ex.getResponseHeaders().add("Content-Type", "text/event-stream");
        ex.getResponseHeaders().add("Cache-Control", "no-cache");
        ex.sendResponseHeaders(200, 0);
        OutputStream out = ex.getResponseBody();
        out.write("data: {\"chunk\":1}\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        try {
            // Waits for the test to say it has read the first event; finishes alone after 10 s so a gateway
            // that buffers the whole stream still completes (and the test sees state "done" and fails).
            boolean released = release.await(10, TimeUnit.SECONDS);
            sseState = released ? "released" : "done";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        out.write("data: {\"chunk\":2}\n\n".getBytes(StandardCharsets.UTF_8));
        out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        out.close();
    }

    private void echo(HttpExchange ex) throws IOException {
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readAllBytes();
        }
        Map<String, String> headers = new LinkedHashMap<>();
        ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
        Map<String, Object> echo = new LinkedHashMap<>();
        echo.put("daemon", name);
        echo.put("method", ex.getRequestMethod());
        echo.put("path", ex.getRequestURI().getRawPath());
        echo.put("query", ex.getRequestURI().getRawQuery());
        echo.put("headers", headers);
        echo.put("body_bytes", body.length);
        echo.put("body_sha256", sha256(body));
        send(ex, 200, "application/json", JSON.writeValueAsString(echo));
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", type);
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

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
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fake daemon on a free loopback port speaking what the gateway relies on: {@code /q/health/ready}, an echo of
 * every other request (method, path, query, headers, body size and sha256) as JSON, an SSE stream on
 * {@code /v1/chat/completions} whose second event waits for {@code POST /control/release}, a slow route
 * ({@code /v1/replay/slow}) that answers only after 3 s, and {@code /q/metrics} in Micrometer's Prometheus text
 * (uptime since the fake started, 1 MB heap, 8 MB non-heap, one request series counting the echoed requests) that a
 * test replaces with {@code POST /control/metrics[?delay_ms=N]} (body: the exposition to serve, empty for the default;
 * delay_ms holds every later {@code /q/metrics} answer back that long).
 */
final class FakeDaemon {
    private static final ObjectMapper JSON = new ObjectMapper();
    final String name;
    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private volatile CountDownLatch release = new CountDownLatch(1);
    private volatile String sseState = "idle";
    private final long startedNanos = System.nanoTime();
    private final AtomicLong echoed = new AtomicLong();
    private volatile String metrics;
    private volatile long metricsDelayMs;

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
                case "/control/metrics" -> {
                    String text = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                    String q = ex.getRequestURI().getRawQuery();
                    metricsDelayMs = q != null && q.startsWith("delay_ms=") ? Long.parseLong(q.substring(9)) : 0;
                    metrics = text.isEmpty() ? null : text;
                    send(ex, 200, "application/json", "{\"set\":true}");
                }
                case "/q/metrics" -> {
                    sleep(metricsDelayMs);
                    send(ex, 200, "text/plain; version=0.0.4; charset=utf-8", metrics != null ? metrics : defaultMetrics());
                }
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

    private String defaultMetrics() {
        return "# HELP process_uptime_seconds The uptime of the Java virtual machine\n"
                + "# TYPE process_uptime_seconds gauge\n"
                + "process_uptime_seconds " + (System.nanoTime() - startedNanos) / 1e9 + "\n"
                + "# TYPE jvm_memory_used_bytes gauge\n"
                + "jvm_memory_used_bytes{area=\"heap\",id=\"Tenured Gen\"} 1000000.0\n"
                + "jvm_memory_used_bytes{area=\"nonheap\",id=\"Metaspace\"} 8000000.0\n"
                + "# TYPE http_server_requests_seconds summary\n"
                + "http_server_requests_seconds_count{method=\"GET\",outcome=\"SUCCESS\",status=\"200\",uri=\"/v1/echo\"} "
                + echoed.get() + ".0\n";
    }

    private void echo(HttpExchange ex) throws IOException {
        echoed.incrementAndGet();
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

package com.lakehouse.datagen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** JSON over HTTP to the gateway with the stack's API key; shared by the demo loader and the demo flow. */
final class GatewayHttp {
    static final ObjectMapper JSON = new ObjectMapper();

    private final String gateway;
    private final String apiKey;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    GatewayHttp(String gateway, String apiKey) {
        this.gateway = gateway.replaceAll("/+$", "");
        this.apiKey = apiKey;
    }

    URI uri(String path) {
        return URI.create(gateway + path);
    }

    HttpResponse<String> sendJson(String method, String path, Object body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .timeout(Duration.ofMinutes(3))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))));
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofMinutes(1)).GET());
    }

    HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
        if (apiKey != null && !apiKey.isEmpty()) {
            b.header("Authorization", "Bearer " + apiKey);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body().isEmpty() ? "{}" : r.body());
    }

    static void expect(HttpResponse<String> r, int... ok) throws IOException {
        for (int s : ok) {
            if (r.statusCode() == s) {
                return;
            }
        }
        throw new IOException(r.request().method() + " " + r.uri().getPath() + " answered " + r.statusCode() + ": " + r.body());
    }

    /** Polls a job route until it ends; returns the final job view, throws when it failed or timed out. */
    JsonNode awaitJob(String path, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = get(path);
            expect(r, 200);
            JsonNode job = json(r);
            String state = job.path("state").asText();
            last = state + " " + job.path("progress");
            if (state.equals("succeeded")) {
                return job;
            }
            if (state.equals("failed") || state.equals("cancelled")) {
                throw new IOException("job " + state + ": " + job.path("error").asText());
            }
            Thread.sleep(300);
        }
        throw new IOException("job did not finish in " + timeout + " (last: " + last + ")");
    }
}

package com.lakehouse.datagen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Loads a generated data set into a running fleet, through the gateway only: datasets into catalogd, the demo
 * corpora into matrixd (embedded by embedd, indexed by vectord), playbooks into the playbook memory, the roster
 * into validatord and the generated runs into observerd. Prints one line per step.
 */
public final class FleetLoader {
    private static final ObjectMapper JSON = GatewayHttp.JSON;

    private final GatewayHttp http;
    private final List<String> failures = new ArrayList<>();

    public FleetLoader(String gateway, String apiKey) {
        this.http = new GatewayHttp(gateway, apiKey);
    }

    /** The demo corpora: text fields embedded, metadata kept for filters and attribution, the role field gated. */
    static final Map<String, Map<String, Object>> CORPORA = Map.of(
            "workers", Map.of("gated", true, "role_field", "role",
                    "text_fields", List.of("role", "other_roles", "city", "state", "certifications"),
                    "metadata_fields", List.of("worker_id", "first_name", "last_name", "email", "role", "city", "state", "status",
                            "pay_rate", "reliability", "certifications")),
            "job_orders", Map.of("gated", true, "role_field", "role",
                    "text_fields", List.of("description", "required_certifications"),
                    "metadata_fields", List.of("job_id", "client", "role", "city", "state", "shift", "target_count", "status")),
            "playbooks", Map.of("gated", true, "role_field", "role",
                    "text_fields", List.of("query_text", "notes"),
                    "metadata_fields", List.of("playbook_id", "answer_id", "role", "client", "city", "state", "shift", "score")));

    /** Returns the number of failed steps (0 = everything loaded). */
    public int load(Path dir) throws IOException, InterruptedException {
        for (String dataset : List.of("workers", "job_orders", "playbooks")) {
            step("ingest " + dataset + " into the catalog", () -> {
                Path file = dir.resolve(dataset + ".parquet");
                HttpResponse<String> r = send(HttpRequest.newBuilder(uri("/v1/ingest/" + dataset + "?format=parquet&wait=true"))
                        .header("Content-Type", "application/vnd.apache.parquet")
                        .timeout(Duration.ofMinutes(5))
                        .POST(HttpRequest.BodyPublishers.ofFile(file)));
                expect(r, 200, 201, 202);
                return r.body();
            });
        }
        for (String corpus : List.of("workers", "job_orders", "playbooks")) {
            step("define corpus " + corpus, () -> {
                HttpResponse<String> r = sendJson("PUT", "/v1/matrix/corpora/" + corpus, CORPORA.get(corpus));
                expect(r, 200, 201);
                return "ok";
            });
            step("index corpus " + corpus + " from the catalog", () -> {
                HttpResponse<String> r = sendJson("POST", "/v1/matrix/corpora/" + corpus + "/ingest", Map.of("dataset", corpus));
                expect(r, 200, 201, 202);
                JsonNode job = JSON.readTree(r.body());
                String id = job.path("job_id").asText(job.path("id").asText(""));
                return id.isEmpty() ? r.body() : awaitJob("/v1/matrix/jobs/" + id, Duration.ofMinutes(15));
            });
        }
        step("record playbooks in the playbook memory", () -> {
            List<JsonNode> batch = new ArrayList<>();
            int total = 0;
            try (BufferedReader in = Files.newBufferedReader(dir.resolve("playbooks.jsonl"))) {
                String line;
                while ((line = in.readLine()) != null) {
                    batch.add(JSON.readTree(line));
                    if (batch.size() == 200) {
                        total += postPlaybooks(batch);
                    }
                }
            }
            total += postPlaybooks(batch);
            return total + " playbooks";
        });
        step("reload validatord's roster", () -> {
            HttpResponse<String> r = sendJson("POST", "/v1/validate/roster/reload", Map.of());
            expect(r, 200, 202);
            return r.body();
        });
        step("send generated runs to observerd", () -> {
            List<JsonNode> batch = new ArrayList<>();
            int total = 0;
            try (BufferedReader in = Files.newBufferedReader(dir.resolve("runs.jsonl"))) {
                String line;
                while ((line = in.readLine()) != null) {
                    batch.add(JSON.readTree(line));
                    if (batch.size() == 500) {
                        total += postEvents(batch);
                    }
                }
            }
            total += postEvents(batch);
            return total + " runs";
        });
        if (!failures.isEmpty()) {
            System.out.println("demo data: " + failures.size() + " step(s) failed: " + String.join("; ", failures));
        }
        return failures.size();
    }

    private int postPlaybooks(List<JsonNode> batch) throws IOException, InterruptedException {
        if (batch.isEmpty()) {
            return 0;
        }
        HttpResponse<String> r = sendJson("POST", "/v1/matrix/playbooks/bulk", Map.of("playbooks", batch));
        expect(r, 200, 201);
        int n = batch.size();
        batch.clear();
        return n;
    }

    private int postEvents(List<JsonNode> batch) throws IOException, InterruptedException {
        if (batch.isEmpty()) {
            return 0;
        }
        HttpResponse<String> r = sendJson("POST", "/v1/observer/events", Map.of("events", batch));
        expect(r, 200, 201, 202);
        int n = batch.size();
        batch.clear();
        return n;
    }

    String awaitJob(String path, Duration timeout) throws IOException, InterruptedException {
        JsonNode job = http.awaitJob(path, timeout);
        return "job " + job.path("id").asText() + " " + job.path("progress").path("done").asLong() + " done";
    }

    interface Step {
        String run() throws Exception;
    }

    private void step(String what, Step s) {
        long t0 = System.nanoTime();
        try {
            String detail = s.run();
            System.out.printf("  ok    %-45s %6d ms  %s%n", what, (System.nanoTime() - t0) / 1_000_000, shorten(detail));
        } catch (Exception e) {
            failures.add(what);
            System.out.printf("  FAIL  %-45s %s%n", what, shorten(e.getMessage()));
        }
    }

    private static String shorten(String s) {
        if (s == null) {
            return "";
        }
        s = s.replace('\n', ' ');
        return s.length() > 120 ? s.substring(0, 117) + "..." : s;
    }

    private URI uri(String path) {
        return http.uri(path);
    }

    HttpResponse<String> sendJson(String method, String path, Object body) throws IOException, InterruptedException {
        return http.sendJson(method, path, body);
    }

    HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
        return http.send(b);
    }

    static void expect(HttpResponse<String> r, int... ok) throws IOException {
        GatewayHttp.expect(r, ok);
    }
}

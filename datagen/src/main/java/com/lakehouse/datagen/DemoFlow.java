package com.lakehouse.datagen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lakehouse.contracts.roles.RoleTaxonomy;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code ./lakehouse demo}: the staffing flow through the gateway, step by step. Pick an open job order with
 * SQL, search candidates with the role gate and playbook boost, iterate a fill and a candidate email through
 * chatd and validatord until they pass, record the playbook, upsert the pathway, distil what was just done and
 * replay it. Without a usable chat provider the chat steps say so and the rest goes on.
 */
public final class DemoFlow {
    private final GatewayHttp http;
    private final PrintStream out;
    private final String model;
    private final String bucket;
    private final ObjectNode summary = GatewayHttp.JSON.createObjectNode();
    private int step;

    public DemoFlow(String gateway, String apiKey, String model, String bucket, PrintStream out) {
        this.http = new GatewayHttp(gateway, apiKey);
        this.model = model;
        this.bucket = bucket;
        this.out = out;
    }

    public ObjectNode summary() {
        return summary;
    }

    /** Runs the flow; returns 0 when every step that could run succeeded. */
    public int run(Path summaryFile) throws IOException, InterruptedException {
        Instant started = Instant.now().minusSeconds(1);
        summary.put("started_at", started.toString());
        JsonNode job = pickJob();
        String role = job.path("role").asText();
        String city = job.path("city").asText();
        int target = Math.min(2, job.path("target_count").asInt(1));
        List<JsonNode> candidates = search(job, target);

        String usable = chatModel();
        JsonNode fill = null;
        JsonNode email = null;
        if (usable == null) {
            header("iterate a fill proposal and a candidate email");
            line("no chat provider is configured or usable (GET /v1/chat/providers): the chat steps are skipped;");
            line("set KIMI_API_KEY / OPENROUTER_API_KEY / OPENCODE_API_KEY / OLLAMA_API_KEY or run Ollama, then ./lakehouse demo --model <m>");
            summary.put("chat", "skipped");
        } else {
            fill = iterate("fill", fillPrompt(job, target, candidates), usable, context(job, target, null));
            JsonNode first = candidates.isEmpty() ? null : candidates.get(0);
            if (first != null) {
                email = iterate("email", emailPrompt(job, first), usable,
                        context(job, target, first.path("id").asText()));
            }
        }
        recordPlaybook(job, candidates, fill);
        upsertPathway(job, fill != null && fill.path("status").asInt() == 200);
        distil();
        replay(started);
        artifacts();
        if (summaryFile != null) {
            Files.writeString(summaryFile, GatewayHttp.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(summary));
        }
        out.println();
        out.println("demo done: " + role + " in " + city + " for " + job.path("client").asText());
        return 0;
    }

    // ---- steps -----------------------------------------------------------------------------------------------

    private JsonNode pickJob() throws IOException, InterruptedException {
        header("pick an open job order and its open headcount (SQL over the catalog)");
        String blacklisted = Vocabulary.CLIENTS.stream().filter(Vocabulary.Client::blacklisted)
                .map(c -> "'" + c.name().replace("'", "''") + "'").collect(Collectors.joining(", "));
        String sql = "SELECT j.job_id, j.client, j.role, j.city, j.state, j.target_count, j.shift, j.start_date, "
                + "count(w.worker_id) AS available FROM job_orders j JOIN workers w ON w.role = j.role AND w.city = j.city "
                + "AND w.status = 'active' AND NOT w.do_not_place WHERE j.status = 'open' AND j.client NOT IN (" + blacklisted + ") "
                + "GROUP BY ALL HAVING count(w.worker_id) >= 2 ORDER BY available DESC, j.job_id LIMIT 1";
        line("POST /v1/sql  " + sql.substring(0, 110) + " ...");
        HttpResponse<String> r = http.sendJson("POST", "/v1/sql", Map.of("sql", sql));
        GatewayHttp.expect(r, 200);
        JsonNode rows = GatewayHttp.json(r).path("rows");
        if (rows.isEmpty()) {
            throw new IOException("no open job order has two active workers of its role in its city; load the demo data first");
        }
        JsonNode job = rows.get(0);
        line(String.format("job %s: %s needs %d %s in %s, %s (%s shift, from %s); %d active workers of that role there",
                job.path("job_id").asText(), job.path("client").asText(), job.path("target_count").asInt(),
                job.path("role").asText(), job.path("city").asText(), job.path("state").asText(),
                job.path("shift").asText(), job.path("start_date").asText(), job.path("available").asInt()));
        summary.set("job", job);
        return job;
    }

    private List<JsonNode> search(JsonNode job, int target) throws IOException, InterruptedException {
        header("matrix search for candidates (role gate, playbook boost)");
        String query = "Need " + target + " " + job.path("role").asText() + "s in " + job.path("city").asText();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query_text", query);
        body.put("corpora", List.of("workers"));
        body.put("k", 10);
        body.put("metadata_filter", Map.of("city", job.path("city").asText(), "status", "active"));
        body.put("use_playbook", true);
        line("POST /v1/matrix/search  \"" + query + "\"  filter city=" + job.path("city").asText() + ", status=active");
        HttpResponse<String> r = http.sendJson("POST", "/v1/matrix/search", body);
        GatewayHttp.expect(r, 200);
        JsonNode res = GatewayHttp.json(r);
        JsonNode gate = res.path("gate");
        line("gate: query_role=" + gate.path("query_role").asText("-") + " (" + gate.path("role_source").asText("-")
                + "), dropped " + gate.path("dropped").asInt() + "; metadata_filter_dropped " + res.path("metadata_filter_dropped").asInt());
        List<JsonNode> candidates = new ArrayList<>();
        for (JsonNode hit : res.path("results")) {
            JsonNode m = hit.path("metadata");
            line(String.format("  %-9s %-22s %-24s %-14s d=%.3f%s", hit.path("id").asText(),
                    m.path("first_name").asText("") + " " + m.path("last_name").asText(""), m.path("role").asText(""),
                    m.path("city").asText(""), hit.path("distance").asDouble(),
                    hit.path("boosted").asBoolean(false) || hit.has("playbook_boost") ? "  (playbook boost)" : ""));
            candidates.add(hit);
        }
        summary.set("search", res);
        return candidates;
    }

    /** The model to iterate with: the one asked for when usable, else none (chat steps are skipped). */
    private String chatModel() throws IOException, InterruptedException {
        HttpResponse<String> r = http.get("/v1/chat/providers");
        if (r.statusCode() != 200) {
            return null;
        }
        JsonNode providers = GatewayHttp.json(r);
        JsonNode list = providers.isArray() ? providers : providers.path("providers");
        boolean anyUsable = false;
        for (JsonNode p : list) {
            anyUsable |= p.path("usable").asBoolean(false) && p.path("configured").asBoolean(true);
        }
        return anyUsable && model != null && !model.isBlank() ? model : null;
    }

    private JsonNode iterate(String kind, String prompt, String chatModel, Map<String, Object> context)
            throws IOException, InterruptedException {
        header("iterate a " + (kind.equals("fill") ? "fill proposal" : "candidate email") + " (chatd -> validatord)");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("kind", kind);
        body.put("prompt", prompt);
        body.put("model", chatModel);
        body.put("context", context);
        body.put("max_iterations", 3);
        line("POST /v1/iterate kind=" + kind + " model=" + chatModel);
        HttpResponse<String> r = http.sendJson("POST", "/v1/iterate", body);
        JsonNode res = GatewayHttp.json(r);
        ObjectNode rec = GatewayHttp.JSON.createObjectNode();
        rec.put("status", r.statusCode());
        rec.set("body", res);
        summary.set(kind, rec);
        if (r.statusCode() == 503) {
            line("chat unavailable: " + res.path("detail").asText() + " (skipped)");
            return rec;
        }
        for (JsonNode h : res.path("history")) {
            line("  attempt " + h.path("iteration").asInt() + ": " + h.path("status").asText()
                    + (h.has("findings") ? " " + h.path("findings") : ""));
        }
        if (r.statusCode() == 200) {
            line("passed after " + res.path("iterations").asInt() + " attempt(s): " + res.path("artifact"));
        } else {
            line("did not pass (" + r.statusCode() + "): " + res.path("error"));
        }
        return rec;
    }

    private void recordPlaybook(JsonNode job, List<JsonNode> candidates, JsonNode fill) throws IOException, InterruptedException {
        header("record the playbook and upsert the pathway");
        String answer = candidates.isEmpty() ? null : candidates.get(0).path("id").asText();
        if (fill != null && fill.path("status").asInt() == 200) {
            JsonNode fills = fill.path("body").path("artifact").path("fills");
            if (fills.isArray() && !fills.isEmpty()) {
                answer = fills.get(0).path("candidate_id").asText(answer);
            }
        }
        if (answer == null) {
            line("no candidate to record");
            return;
        }
        Map<String, Object> pb = new LinkedHashMap<>();
        pb.put("query_text", "Need " + job.path("target_count").asInt() + " " + job.path("role").asText() + "s in " + job.path("city").asText());
        pb.put("answer_id", answer);
        pb.put("answer_corpus", "workers");
        pb.put("score", 1.0);
        pb.put("tags", List.of(StaffingGenerator.slug(job.path("client").asText()), StaffingGenerator.slug(job.path("city").asText()),
                job.path("shift").asText()));
        pb.put("role", job.path("role").asText());
        HttpResponse<String> r = http.sendJson("POST", "/v1/matrix/playbooks/record", pb);
        GatewayHttp.expect(r, 200, 201);
        line("POST /v1/matrix/playbooks/record  answer " + answer + " for \"" + pb.get("query_text") + "\"");
        summary.put("playbook_answer", answer);
    }

    private void upsertPathway(JsonNode job, boolean validated) throws IOException, InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("task_class", "fill");
        body.put("subject", job.path("role").asText() + " / " + job.path("city").asText() + " / " + job.path("client").asText());
        body.put("signal_class", validated ? "validated" : "unvalidated");
        body.put("content", Map.of("steps", List.of("sql open headcount", "matrix search with role gate",
                "iterate fill through validatord", "iterate candidate email", "record playbook"),
                "verdict", validated ? "filled" : "candidates found, no model to propose the fill"));
        body.put("role", job.path("role").asText());
        body.put("tags", List.of(StaffingGenerator.slug(job.path("city").asText())));
        HttpResponse<String> r = http.sendJson("POST", "/v1/pathway/upsert", body);
        GatewayHttp.expect(r, 200);
        JsonNode res = GatewayHttp.json(r);
        line("POST /v1/pathway/upsert  " + res.path("event").asText() + " trace " + res.path("trace").path("trace_uid").asText()
                + " (replay_count " + res.path("trace").path("replay_count").asInt() + ")");
        summary.set("pathway", res);
    }

    private void distil() throws IOException, InterruptedException {
        header("distil the operations just made (materialize, score, export)");
        HttpResponse<String> flush = http.sendJson("POST", "/v1/observer/flush", Map.of());
        if (flush.statusCode() / 100 == 2) {
            line("POST /v1/observer/flush  " + GatewayHttp.json(flush));
        }
        ObjectNode distilled = GatewayHttp.JSON.createObjectNode();
        for (String[] s : new String[][]{{"materialize", "{}"}, {"score", "{}"}, {"export", "{\"kind\":\"all\"}"}}) {
            HttpResponse<String> r = http.sendJson("POST", "/v1/distill/" + s[0], GatewayHttp.JSON.readTree(s[1]));
            GatewayHttp.expect(r, 200, 202);
            JsonNode started = GatewayHttp.json(r);
            String id = started.path("job_id").asText(started.path("id").asText());
            JsonNode done = http.awaitJob("/v1/distill/jobs/" + id, Duration.ofMinutes(5));
            line(String.format("%-12s %s", s[0], done.path("result")));
            distilled.set(s[0], done.path("result"));
        }
        summary.set("distill", distilled);
    }

    private void replay(Instant since) throws IOException, InterruptedException {
        header("replay what was just done (regression)");
        Map<String, Object> body = Map.of("mode", "regression",
                "selection", Map.of("since", since.toString(), "limit", 50), "rate_limit", 20);
        HttpResponse<String> r = http.sendJson("POST", "/v1/replay/jobs", body);
        GatewayHttp.expect(r, 202);
        String id = GatewayHttp.json(r).path("job_id").asText();
        JsonNode done = http.awaitJob("/v1/replay/jobs/" + URLEncoder.encode(id, StandardCharsets.UTF_8), Duration.ofMinutes(5));
        line("replay " + id + ": " + done.path("result").path("verdicts"));
        summary.set("replay", done.path("result"));
    }

    private void artifacts() {
        header("where the artifacts landed (bucket " + bucket + ")");
        for (String k : List.of("catalog/<dataset>/v<n>/  (datasets)", "journal/  (catalog mutation journal)",
                "observer/ops/<yyyy>/<mm>/<dd>/  (observed operations)", "distill/evidence/  distill/scored/",
                "distill/exports/sft/instruction_response.jsonl", "distill/exports/rag/playbooks.jsonl",
                "distill/exports/preference/chosen_rejected.jsonl", "distill/exports/quarantine/",
                "replay/replay_runs.jsonl", "pathway/log/", "vectors/<index>/current.json")) {
            line("s3://" + bucket + "/" + k);
        }
    }

    // ---- prompts ---------------------------------------------------------------------------------------------

    static String fillPrompt(JsonNode job, int target, List<JsonNode> candidates) {
        StringBuilder sb = new StringBuilder("Propose " + target + " workers for job order " + job.path("job_id").asText()
                + ": " + job.path("client").asText() + " needs " + job.path("role").asText() + " in " + job.path("city").asText()
                + ", " + job.path("state").asText() + " (" + job.path("shift").asText() + " shift).\nCandidates from the search:\n");
        for (JsonNode c : candidates) {
            JsonNode m = c.path("metadata");
            sb.append("- ").append(c.path("id").asText()).append(" ").append(m.path("first_name").asText("")).append(' ')
                    .append(m.path("last_name").asText("")).append(" (").append(m.path("role").asText("")).append(", ")
                    .append(m.path("city").asText("")).append(")\n");
        }
        sb.append("Answer with JSON only: {\"fills\": [{\"candidate_id\": \"W-...\", \"name\": \"First Last\"}]}");
        return sb.toString();
    }

    static String emailPrompt(JsonNode job, JsonNode candidate) {
        JsonNode m = candidate.path("metadata");
        return "Write a short email to " + m.path("first_name").asText("") + " " + m.path("last_name").asText("")
                + " (worker " + candidate.path("id").asText() + ", email " + m.path("email").asText("") + ") about the " + job.path("role").asText() + " opening with "
                + job.path("client").asText() + " in " + job.path("city").asText() + " (" + job.path("shift").asText()
                + " shift, from " + job.path("start_date").asText() + "). Do not mention pay. "
                + "Answer with JSON only: {\"to\": \"" + m.path("email").asText("") + "\", \"subject\": \"...\", \"body\": \"Hi "
                + m.path("first_name").asText("") + ", ...\"}";
    }

    static Map<String, Object> context(JsonNode job, int target, String candidateId) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("target_count", target);
        c.put("city", job.path("city").asText());
        c.put("state", job.path("state").asText());
        c.put("role", RoleTaxonomy.displayName(job.path("role").asText()).orElse(job.path("role").asText()));
        c.put("client", job.path("client").asText());
        if (candidateId != null) {
            c.put("candidate_id", candidateId);
        }
        return c;
    }

    private void header(String what) {
        out.println();
        out.println(++step + ". " + what);
    }

    private void line(String s) {
        out.println("   " + s);
    }
}

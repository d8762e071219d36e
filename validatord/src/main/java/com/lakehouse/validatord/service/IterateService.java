package com.lakehouse.validatord.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lakehouse.contracts.json.Json;
import com.lakehouse.contracts.observer.ObservedOperation;
import com.lakehouse.contracts.observer.ObserverClient;
import com.lakehouse.validatord.client.ChatdClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The iterate loop: ask chatd, extract the JSON artifact, validate it; on failure append the findings to the
 * prompt and ask again, up to max_iterations. Every attempt is recorded as an observed operation (source
 * validatord, kind, task_id = hash of kind + prompt, the findings in the result, success = valid).
 */
@ApplicationScoped
public class IterateService {
    @Inject
    ChatdClient chatd;
    @Inject
    ValidationService validation;
    @Inject
    ObserverClient observer;
    @Inject
    ValidatorMetrics metrics;

    /** One attempt as the history lists it; status is valid, invalid, blocked or no_json. */
    public record Attempt(int iteration, String raw, String status) {
    }

    /** 200: {artifact, validation, iterations, history}; 422: {error, iterations, history, validation?}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Outcome(JsonNode artifact, ValidationReport validation, Object error, int iterations,
                          List<Attempt> history) {
        public boolean ok() {
            return error == null;
        }
    }

    public record Request(String kind, String prompt, String system, String model, JsonNode context,
                          int maxIterations, double temperature, int maxTokens) {
    }

    public Outcome iterate(Request req) {
        String taskId = taskId(req.kind(), req.prompt());
        List<Attempt> history = new ArrayList<>();
        String feedback = null;
        ValidationReport last = null;
        JsonNode lastArtifact = null;
        for (int i = 1; i <= req.maxIterations(); i++) {
            List<ChatdClient.Message> messages = new ArrayList<>();
            if (req.system() != null && !req.system().isBlank()) {
                messages.add(new ChatdClient.Message("system", req.system()));
            }
            messages.add(new ChatdClient.Message("user", feedback == null ? req.prompt() : req.prompt() + feedback));
            long t0 = System.nanoTime();
            ChatdClient.ChatReply reply;
            try {
                reply = chatd.chat(req.model(), messages, req.temperature(), req.maxTokens());
            } catch (RuntimeException e) {
                metrics.iterated(req.kind(), "chat_failed");
                throw e;
            }
            JsonNode artifact = ArtifactExtractor.extract(reply.content());
            ValidationReport report;
            String status;
            if (artifact == null) {
                report = ValidationReport.of(req.kind(), List.of(Finding.error("no_json", Finding.SCHEMA, "artifact",
                        "the answer contains no JSON object")), null, null);
                status = "no_json";
            } else {
                report = validation.validate(req.kind(), artifact, req.context());
                status = report.valid() ? "valid" : Boolean.TRUE.equals(report.blocked()) ? "blocked" : "invalid";
            }
            long latencyMs = (System.nanoTime() - t0) / 1_000_000;
            history.add(new Attempt(i, reply.content(), status));
            metrics.attempted(req.kind(), status);
            record(req, taskId, i, reply, artifact, report, latencyMs);
            last = report;
            lastArtifact = artifact;
            if (report.valid()) {
                metrics.iterated(req.kind(), "valid");
                return new Outcome(artifact, report, null, i, history);
            }
            if (Boolean.TRUE.equals(report.blocked())) {
                metrics.iterated(req.kind(), "blocked");
                break;
            }
            feedback = feedback(report);
        }
        if (!Boolean.TRUE.equals(last.blocked())) {
            metrics.iterated(req.kind(), "exhausted");
        }
        Object error = last.error() != null ? last.error()
                : new ValidationReport.GoError(Finding.POLICY, null, "no valid artifact");
        return new Outcome(lastArtifact, last, error, history.size(), history);
    }

    /** The text appended to the prompt after a failed attempt. */
    static String feedback(ValidationReport report) {
        StringBuilder b = new StringBuilder("\n\nYour previous answer was rejected by the validator:\n");
        for (Finding f : report.findings()) {
            if (f.isError()) {
                b.append("- ").append(f.code()).append(f.field() != null ? " (" + f.field() + ")" : "")
                        .append(": ").append(f.message()).append('\n');
            }
        }
        b.append("Answer again with one corrected JSON object only.");
        return b.toString();
    }

    private void record(Request req, String taskId, int iteration, ChatdClient.ChatReply reply, JsonNode artifact,
                        ValidationReport report, long latencyMs) {
        ObjectNode request = Json.mapper().createObjectNode();
        request.put("kind", req.kind());
        request.put("prompt", req.prompt());
        // The model asked for (not the one a provider answered as), so replayd can re-issue this request as is.
        request.put("model", req.model());
        if (req.system() != null) {
            request.put("system", req.system());
        }
        request.set("context", req.context());
        request.put("iteration", iteration);
        request.put("temperature", req.temperature());
        ObjectNode result = Json.mapper().createObjectNode();
        result.put("raw", reply.content());
        result.set("artifact", artifact);
        result.put("valid", report.valid());
        result.set("findings", Json.mapper().valueToTree(report.findings()));
        if (report.error() != null) {
            result.set("error", Json.mapper().valueToTree(report.error()));
        }
        if (reply.provider() != null) {
            result.put("provider", reply.provider());
        }
        List<String> tags = new ArrayList<>(List.of("iterate", "attempt:" + iteration));
        report.errors().forEach(f -> tags.add("finding:" + f.code()));
        observer.record(new ObservedOperation(null, null, "validatord", "/v1/iterate", null, taskId, req.kind(),
                reply.model(), request, result, report.valid(), latencyMs,
                report.error() == null ? null : report.error().reason(), tags));
    }

    static String taskId(String kind, String prompt) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] h = md.digest((kind + "\n" + prompt).getBytes(StandardCharsets.UTF_8));
            return "iter-" + HexFormat.of().formatHex(h, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

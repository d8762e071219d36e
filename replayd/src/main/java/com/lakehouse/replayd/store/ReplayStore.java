package com.lakehouse.replayd.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.lakehouse.contracts.json.Json;
import com.lakehouse.contracts.s3.ObjectStore;
import com.lakehouse.replayd.config.ReplaydConfig;
import com.lakehouse.replayd.service.ExemplarPlanner;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * replayd's objects in S3: appends to replay_runs.jsonl and the regression quarantine (one writer: replayd
 * runs one job at a time), and reads distilld's RAG export for exemplars.
 */
@ApplicationScoped
public class ReplayStore {
    @Inject
    ObjectStore store;
    @Inject
    ReplaydConfig config;

    public synchronized void appendRuns(List<?> rows) {
        append(config.runsKey(), rows);
    }

    public synchronized void quarantine(List<?> rows) {
        append(config.quarantineKey(), rows);
    }

    private void append(String key, List<?> rows) {
        if (rows.isEmpty()) {
            return;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        store.get(key).ifPresent(out::writeBytes);
        try {
            for (Object r : rows) {
                out.write(Json.mapper().writeValueAsBytes(r));
                out.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        store.put(key, out.toByteArray(), "application/x-ndjson");
    }

    /** The RAG export's rows; empty when distilld has not exported yet. Unreadable lines are skipped. */
    public List<ExemplarPlanner.Exemplar> exemplars() {
        List<ExemplarPlanner.Exemplar> out = new ArrayList<>();
        store.get(config.ragKey()).ifPresent(bytes -> {
            for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    JsonNode n = Json.mapper().readTree(line);
                    out.add(new ExemplarPlanner.Exemplar(n.path("id").asText(), n.path("title").asText(""),
                            n.path("content").asText(""), n.path("source_category").asText(""),
                            n.path("success_score").asDouble(0)));
                } catch (IOException e) {
                    // a damaged line is distilld's to quarantine; replay just does not use it
                }
            }
        });
        return out;
    }

    /** The replay rows written so far (for summaries and tests). */
    public List<JsonNode> runs() {
        List<JsonNode> out = new ArrayList<>();
        store.get(config.runsKey()).ifPresent(bytes -> {
            for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    try {
                        out.add(Json.mapper().readTree(line));
                    } catch (IOException ignored) {
                        // skipped
                    }
                }
            }
        });
        return out;
    }
}

package com.lakehouse.replayd.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lakehouse.contracts.client.UpstreamException;
import com.lakehouse.contracts.http.RequestIds;
import com.lakehouse.contracts.jobs.Job;
import com.lakehouse.contracts.jobs.JobRegistry;
import com.lakehouse.contracts.jobs.JobView;
import com.lakehouse.contracts.error.ApiException;
import com.lakehouse.contracts.json.Json;
import com.lakehouse.replayd.client.ReplayPeers;
import com.lakehouse.replayd.config.ReplaydConfig;
import com.lakehouse.replayd.store.ReplayStore;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Replay jobs: select recorded operations from observerd, replay each (exemplar or regression), write one
 * replay_run.v1 row per replayed task, quarantine regressions with their diff. One job runs at a time, rate
 * limited; a job can be cancelled, and one that stopped (cancelled, or its target went down) can be resumed
 * from where it stopped.
 */
@ApplicationScoped
public class ReplayService {
    /** What a job was asked to do, and how far it got (for resume). */
    public record Spec(Replay.Mode mode, Replay.Selection selection, double rateLimit, boolean allowEscalation) {
    }

    private static final Set<String> VALIDATED_KINDS = Set.of("fill", "email", "playbook");

    @Inject
    ReplaydConfig config;
    @Inject
    ReplayPeers peers;
    @Inject
    ReplayStore store;
    @Inject
    MeterRegistry registry;

    private final JobRegistry jobs = new JobRegistry("replayd", 1, 200);
    private final Map<String, Spec> specs = new ConcurrentHashMap<>();
    private final Map<String, Integer> stoppedAt = new ConcurrentHashMap<>();

    public Job submit(Spec spec) {
        return start(spec, 0);
    }

    public Job resume(String jobId) {
        Spec spec = specs.get(jobId);
        Integer from = stoppedAt.get(jobId);
        if (spec == null) {
            throw ApiException.notFound("job_not_found", "no job " + jobId);
        }
        if (from == null) {
            throw ApiException.conflict("job_not_resumable", "job " + jobId + " did not stop early; nothing to resume");
        }
        return start(spec, from);
    }

    public JobView view(String id) {
        return jobs.view(id);
    }

    public JobView cancel(String id) {
        return jobs.cancel(id);
    }

    public List<JobView> list() {
        return jobs.list();
    }

    private Job start(Spec spec, int from) {
        Job job = jobs.submit("replay-" + spec.mode().wire(), j -> run(j, spec, from));
        specs.put(job.id(), spec);
        return job;
    }

    private Object run(Job job, Spec spec, int from) {
        List<JsonNode> items = select(spec);
        job.total(items.size());
        job.progress(from, items.size());
        ExemplarPlanner planner = new ExemplarPlanner(config.exemplarCandidates(), config.exemplarAccepted(),
                config.exemplarPartial(), config.minOutputChars());
        RegressionComparator comparator = new RegressionComparator(config.minOverlap(), config.minSimilarity());
        List<ExemplarPlanner.Exemplar> exemplars = spec.mode() == Replay.Mode.EXEMPLAR ? store.exemplars() : List.of();
        Map<String, Long> counts = new LinkedHashMap<>();
        List<Replay.Run> batch = new ArrayList<>();
        List<Map<String, Object>> quarantine = new ArrayList<>();
        List<Replay.Run> worst = new ArrayList<>();
        long t0 = System.nanoTime();
        int i = from;
        try {
            for (; i < items.size(); i++) {
                if (job.cancelRequested()) {
                    stoppedAt.put(job.id(), i);
                    job.message("cancelled at item " + i + " of " + items.size() + "; resume with POST .../resume");
                    break;
                }
                pace(t0, i - from, spec.rateLimit());
                JsonNode op = items.get(i);
                long s = System.nanoTime();
                Replay.Outcome o = spec.mode() == Replay.Mode.REGRESSION
                        ? regression(op, comparator) : exemplar(op, planner, exemplars, spec.allowEscalation());
                Replay.Run row = new Replay.Run(UUID.randomUUID().toString(), op.path("task_id").asText(op.path("op_id").asText()),
                        spec.mode().wire(), o.verdict(), Instant.now(), op.path("op_id").asText(null),
                        op.path("endpoint").asText(null), job.id(), (System.nanoTime() - s) / 1_000_000, o.diff(), o.error(),
                        RequestIds.current(), o.model(), o.exemplars());
                counts.merge(o.verdict(), 1L, Long::sum);
                registry.counter("replay.verdicts", "mode", spec.mode().wire(), "verdict", o.verdict()).increment();
                batch.add(row);
                if ("regressed".equals(o.verdict())) {
                    quarantine.add(Map.of("reason", "regression", "replay_run", row, "source_record", op,
                            "recorded_at", Instant.now().toString()));
                    worst.add(row);
                }
                if (batch.size() >= 20) {
                    flush(batch, quarantine);
                }
                job.progress(i + 1, items.size());
                job.result(summary(counts, worst, items.size(), i + 1));
            }
        } catch (UpstreamException e) {
            flush(batch, quarantine);
            stoppedAt.put(job.id(), i);
            job.result(summary(counts, worst, items.size(), i));
            throw new IllegalStateException("stopped at item " + i + " of " + items.size() + " (op "
                    + items.get(i).path("op_id").asText("?") + "): " + e.getMessage() + "; resume with POST /v1/replay/jobs/"
                    + job.id() + "/resume");
        }
        flush(batch, quarantine);
        return summary(counts, worst, items.size(), i);
    }

    private void flush(List<Replay.Run> batch, List<Map<String, Object>> quarantine) {
        store.appendRuns(batch);
        store.quarantine(quarantine);
        batch.clear();
        quarantine.clear();
    }

    private static Map<String, Object> summary(Map<String, Long> counts, List<Replay.Run> worst, int total, int done) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("selected", total);
        s.put("replayed", done);
        s.put("verdicts", new LinkedHashMap<>(counts));
        s.put("worst", worst.stream().limit(5).map(r -> Map.of("task_id", r.taskId(), "endpoint", String.valueOf(r.endpoint()),
                "diff", r.diff() == null ? JsonNodeFactory.instance.nullNode() : r.diff())).toList());
        return s;
    }

    /** Pages through observerd's recorded operations and keeps what this mode can replay. */
    List<JsonNode> select(Spec spec) {
        Replay.Selection sel = spec.selection();
        Set<String> taskIds = sel.taskIds() == null || sel.taskIds().isEmpty() ? null : new HashSet<>(sel.taskIds());
        Set<String> seenTasks = new HashSet<>();
        List<JsonNode> out = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = peers.ops(sel.source(), sel.since(), sel.until(), cursor, 500);
            for (JsonNode op : page.path("ops")) {
                if (out.size() >= sel.limit()) {
                    return out;
                }
                String task = op.path("task_id").asText(null);
                if (taskIds != null && (task == null || !taskIds.contains(task))) {
                    continue;
                }
                if (spec.mode() == Replay.Mode.REGRESSION) {
                    if (RegressionComparator.replayable(op.path("endpoint").asText(null)) && op.path("request").isObject()) {
                        out.add(op);
                    }
                } else if (VALIDATED_KINDS.contains(op.path("kind").asText("")) && op.path("request").path("prompt").isTextual()
                        && task != null && seenTasks.add(task)) {
                    out.add(op);
                }
            }
            cursor = page.path("next_cursor").isTextual() ? page.get("next_cursor").asText() : null;
        } while (cursor != null);
        return out;
    }

    private Replay.Outcome regression(JsonNode op, RegressionComparator comparator) {
        String endpoint = op.path("endpoint").asText();
        ReplayPeers.Answer now = peers.replay(endpoint, op.get("request"));
        JsonNode recorded = op.path("result");
        Boolean success = op.path("success").isBoolean() ? op.get("success").asBoolean() : null;
        return comparator.compare(endpoint, recorded, success, now.status(), now.body(), this::similarity);
    }

    private Replay.Outcome exemplar(JsonNode op, ExemplarPlanner planner, List<ExemplarPlanner.Exemplar> rows, boolean escalate) {
        JsonNode request = op.path("request");
        String task = request.path("prompt").asText();
        String kind = op.path("kind").asText();
        JsonNode context = request.path("context");
        List<ExemplarPlanner.Exemplar> picked = planner.pick(task, rows);
        List<String> grounding = new ArrayList<>();
        for (String f : List.of("city", "role", "client")) {
            if (context.path(f).isTextual()) {
                grounding.add(context.get(f).asText());
            }
        }
        ObjectNode diff = JsonNodeFactory.instance.objectNode();
        diff.set("exemplar_ids", Json.mapper().valueToTree(picked.stream().map(ExemplarPlanner.Exemplar::id).toList()));
        List<String> problems = attempt(planner, task, kind, context, picked, grounding, config.model());
        if (problems.isEmpty()) {
            return new Replay.Outcome("pass", diff, null, config.model(), picked.size());
        }
        diff.set("problems", Json.mapper().valueToTree(problems));
        if (escalate) {
            List<String> again = attempt(planner, task, kind, context, picked, grounding, config.strongModel());
            if (again.isEmpty()) {
                return new Replay.Outcome("escalated_pass", diff, null, config.strongModel(), picked.size());
            }
            diff.set("escalated_problems", Json.mapper().valueToTree(again));
        }
        return new Replay.Outcome("fail", diff, String.join("; ", problems), config.model(), picked.size());
    }

    private List<String> attempt(ExemplarPlanner planner, String task, String kind, JsonNode context,
                                 List<ExemplarPlanner.Exemplar> picked, List<String> grounding, String model) {
        Map<String, Object> chat = new LinkedHashMap<>();
        chat.put("model", model);
        chat.put("messages", planner.messages(task, null, picked));
        chat.put("temperature", 0.2);
        chat.put("format", "json");
        ReplayPeers.Answer a = peers.replay("/v1/chat", Json.mapper().valueToTree(chat));
        if (a.status() != 200) {
            return List.of("chat answered " + a.status() + ": " + a.body().path("detail").asText(""));
        }
        ExemplarPlanner.Check check = planner.check(a.body().path("message").path("content").asText(""), grounding);
        List<String> problems = new ArrayList<>(check.problems());
        if (check.artifact() != null && VALIDATED_KINDS.contains(kind)) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("kind", kind);
            v.put("artifact", check.artifact());
            v.put("context", context);
            ReplayPeers.Answer verdict = peers.replay("/v1/validate", Json.mapper().valueToTree(v));
            if (verdict.status() != 200 || !verdict.body().path("valid").asBoolean(false)) {
                problems.add("validatord refused it (" + verdict.status() + ")");
            }
        }
        return problems;
    }

    /** Cosine similarity of two texts, embedded through the gateway. */
    double similarity(String a, String b) {
        ReplayPeers.Answer e = peers.replay("/v1/embed", Json.mapper().valueToTree(Map.of("texts", List.of(a, b))));
        if (e.status() != 200) {
            throw new UpstreamException("embedd", e.status(), "embedding for similarity failed");
        }
        JsonNode v = e.body().path("vectors");
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < v.get(0).size(); i++) {
            double x = v.get(0).get(i).asDouble();
            double y = v.get(1).get(i).asDouble();
            dot += x * y;
            na += x * x;
            nb += y * y;
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }

    /** Keeps a job at or under its rate: item n starts no earlier than n / rate seconds after the start. */
    private static void pace(long t0, int n, double rate) {
        long due = t0 + (long) (n / rate * 1e9);
        long wait = due - System.nanoTime();
        if (wait > 0) {
            try {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @PreDestroy
    void close() {
        jobs.close();
    }
}

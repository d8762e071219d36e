package com.lakehouse.distilld.service;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lakehouse.distilld.store.Blobs;

import java.time.Instant;
import java.util.SplittableRandom;

/**
 * The project's seeded generator of observed runs in observerd's segment format, for audit-full's acceptance
 * invariants (P6), the tests and the benchmark. Every pattern of the learning loop appears: accepted runs of all
 * eight classes, iterate tasks where a failed attempt (phantom id) is followed by the corrected one, validator
 * findings that are SFT-never (ssn_detected, pay_disclosed, phantom_id) on otherwise valid runs, an SSN in an
 * answer nobody flagged, failed operations, unvalidated searches, runs with no verdict, and identical retries.
 */
public final class Fixtures {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String[] ROLES = {"forklift operator", "welder", "picker packer", "cna", "electrician", "line cook"};
    private static final String[] CITIES = {"Dayton", "Tulsa", "Fresno", "Akron", "Boise", "Reno"};

    private Fixtures() {
    }

    /** Writes {@code runs} runs (about; tasks have 1-2 attempts) as segments of {@code perSegment} lines; returns lines written. */
    public static long write(Blobs blobs, int runs, long seed, int perSegment) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Instant base = Instant.parse("2026-11-20T08:00:00Z");
        StringBuilder seg = new StringBuilder();
        int inSeg = 0;
        int segNo = 0;
        long written = 0;
        int task = 0;
        while (written < runs) {
            task++;
            int pattern = rnd.nextInt(20);
            String taskId = "task-" + seed + "-" + task;
            String role = ROLES[rnd.nextInt(ROLES.length)];
            String city = CITIES[rnd.nextInt(CITIES.length)];
            String[] lines;
            if (pattern < 3) {
                // iterate: the failed attempt names a phantom worker, the corrected one passes
                lines = new String[]{
                        op(seed, written, base, taskId, "validatord", "/v1/iterate", "fill", "kimi/k2", fillReq(role, city),
                                fill("W-999" + task, role), false, finding("phantom_id", "error", "worker_id")),
                        op(seed, written + 1, base, taskId, "validatord", "/v1/iterate", "fill", "kimi/k2", fillReq(role, city),
                                fill("W-" + (1000 + rnd.nextInt(90000)), role), true, null)};
            } else if (pattern == 3) {
                lines = new String[]{op(seed, written, base, taskId, "validatord", "/v1/validate", "email", null,
                        emailReq(role), text("Hi, your SSN 123-45-6789 is on file."), true, finding("ssn_detected", "warning", "body"))};
            } else if (pattern == 4) {
                lines = new String[]{op(seed, written, base, taskId, "validatord", "/v1/validate", "email", null,
                        emailReq(role), text("The last " + role + " was paid $31/hr."), true, finding("pay_disclosed", "warning", "body"))};
            } else if (pattern == 5) {
                lines = new String[]{op(seed, written, base, taskId, "validatord", "/v1/validate", "fill", null,
                        fillReq(role, city), fill("W-0000000", role), true, finding("phantom_id", "warning", "worker_id"))};
            } else if (pattern == 6) {
                lines = new String[]{op(seed, written, base, taskId, "chatd", "/v1/chat", "chat", "ollama/qwen",
                        chatReq("Remind me of worker 078-05-1120's shift"), text("Their number 078-05-1120 is on shift."), true, null)};
            } else if (pattern == 7) {
                lines = new String[]{op(seed, written, base, taskId, "chatd", "/v1/chat", "chat", "ollama/qwen",
                        chatReq("Summarize open " + role + " orders"), null, false, null)};
            } else if (pattern == 8) {
                lines = new String[]{op(seed, written, base, taskId, "matrixd", "/v1/matrix/search", null, null,
                        searchReq(role, city), searchRes(rnd), true, null)};
            } else if (pattern == 9) {
                lines = new String[]{opNoVerdict(seed, written, base, taskId, role)};
            } else if (pattern == 10) {
                // a retry that failed with the very same text: never a preference pair (identical)
                ObjectNode same = fill("W-" + (2000 + task), role);
                lines = new String[]{
                        op(seed, written, base, taskId, "validatord", "/v1/iterate", "fill", "kimi/k2", fillReq(role, city), same, true, null),
                        op(seed, written + 1, base, taskId, "validatord", "/v1/iterate", "fill", "kimi/k2", fillReq(role, city), same,
                                false, finding("schema", "error", "workers"))};
            } else {
                String[][] kinds = {{"/v1/validate", "fill"}, {"/v1/validate", "email"}, {"/v1/matrix/roles/extract", "role_extraction"},
                        {"/v1/matrix/playbooks/record", "playbook"}, {"/v1/chat", "chat"}, {"/v1/catalog/datasets", null},
                        {"/v1/validate", "playbook"}, {"/v1/iterate", "email"}, {"/v1/vectors/index/workers/search", null}};
                String[] k = kinds[pattern % kinds.length];
                lines = new String[]{op(seed, written, base, taskId, "validatord", k[0], k[1], k[1] == null ? null : "kimi/k2",
                        fillReq(role, city), fill("W-" + (3000 + task), role), true, F.objectNode().put("valid", true)
                                .set("findings", F.arrayNode()))};
            }
            for (String l : lines) {
                seg.append(l).append('\n');
                written++;
                if (++inSeg == perSegment) {
                    blobs.put(key(seed, ++segNo), seg.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    seg.setLength(0);
                    inSeg = 0;
                }
            }
        }
        if (inSeg > 0) {
            blobs.put(key(seed, ++segNo), seg.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return written;
    }

    private static String key(long seed, int n) {
        return "observer/ops/2026/11/20/20261120T080000000Z-fixture" + seed + "-" + String.format("%06d", n) + ".jsonl";
    }

    private static ObjectNode finding(String code, String severity, String field) {
        ObjectNode f = F.objectNode().put("code", code).put("kind", "Policy").put("field", field)
                .put("message", code.replace('_', ' ')).put("severity", severity);
        ObjectNode v = F.objectNode().put("valid", !"error".equals(severity));
        ((ArrayNode) v.putArray("findings")).add(f);
        return v;
    }

    private static ObjectNode fillReq(String role, String city) {
        ObjectNode r = F.objectNode().put("kind", "fill");
        r.putObject("context").put("role", role).put("city", city).put("target_count", 2);
        return r;
    }

    private static ObjectNode emailReq(String role) {
        return F.objectNode().put("kind", "email").put("prompt", "Email a candidate about the " + role + " opening");
    }

    private static ObjectNode chatReq(String text) {
        ObjectNode r = F.objectNode().put("model", "ollama/qwen");
        r.putArray("messages").addObject().put("role", "user").put("content", text);
        return r;
    }

    private static ObjectNode searchReq(String role, String city) {
        ObjectNode r = F.objectNode().put("query_text", role + " in " + city).put("k", 3);
        r.putArray("corpora").add("workers");
        return r;
    }

    private static ObjectNode searchRes(SplittableRandom rnd) {
        ObjectNode r = F.objectNode();
        ArrayNode a = r.putArray("results");
        for (int i = 0; i < 3; i++) {
            a.addObject().put("id", "W-" + (10000 + rnd.nextInt(80000))).put("distance", 0.1 * (i + 1)).put("corpus", "workers");
        }
        return r;
    }

    private static ObjectNode fill(String workerId, String role) {
        ObjectNode a = F.objectNode().put("role", role);
        a.putArray("workers").addObject().put("worker_id", workerId).put("reason", "certified " + role + ", nearby");
        return a;
    }

    private static ObjectNode text(String t) {
        return F.objectNode().put("text", t);
    }

    private static String op(long seed, long i, Instant base, String taskId, String source, String endpoint, String kind,
                             String model, ObjectNode request, ObjectNode artifact, boolean success, ObjectNode validation) {
        ObjectNode o = F.objectNode().put("op_id", "run-" + seed + "-" + i).put("timestamp", base.plusSeconds(i).toString())
                .put("source", source).put("endpoint", endpoint).put("request_id", "req-" + i).put("task_id", taskId);
        if (kind != null) {
            o.put("kind", kind);
        }
        if (model != null) {
            o.put("model", model);
        }
        o.set("request", request);
        ObjectNode result = F.objectNode();
        if (artifact != null) {
            result.set("artifact", artifact);
        }
        if (validation != null) {
            result.set("validation", validation);
        }
        o.set("result", result);
        o.put("success", success).put("latency_ms", 5 + (i % 40));
        if (!success) {
            o.put("error", "validation failed");
        }
        return o.toString();
    }

    private static String opNoVerdict(long seed, long i, Instant base, String taskId, String role) {
        ObjectNode o = F.objectNode().put("op_id", "run-" + seed + "-" + i).put("timestamp", base.plusSeconds(i).toString())
                .put("source", "pathwayd").put("endpoint", "/v1/pathway/upsert").put("task_id", taskId);
        o.putObject("request").put("workflow", "fill " + role);
        o.putObject("result").put("action", "ADD");
        return o.toString();
    }
}

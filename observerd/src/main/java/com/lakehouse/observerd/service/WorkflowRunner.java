package com.lakehouse.observerd.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.lakehouse.contracts.error.ApiException;
import com.lakehouse.contracts.fleet.OutboundUrlPolicy;
import com.lakehouse.contracts.json.Json;
import com.lakehouse.contracts.observer.ObservedOperation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The workflow runner, plain Java: checks a DAG of steps, orders it topologically (ties keep the request's
 * order), runs each step once its dependencies succeeded, substitutes {@code $node.output} /
 * {@code $node.output.field} references in bodies, and skips (cascading) every step downstream of a failure.
 */
public final class WorkflowRunner {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,62}");
    private static final Pattern REF = Pattern.compile("\\$([A-Za-z0-9][A-Za-z0-9_-]{0,62})\\.output((?:\\.[A-Za-z0-9_-]+)*)");
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "DELETE", "PATCH");

    public record Node(String id, String method, String url, String daemon, String path, JsonNode body,
                       List<String> dependsOn) {
    }

    public record Request(String name, List<Node> nodes) {
    }

    public record NodeResult(String id, String status, String method, String url, Integer httpStatus,
                             JsonNode output, String error, Long latencyMs) {
    }

    public record Result(String runId, String name, String status, List<NodeResult> nodes) {
    }

    /** Performs one HTTP step. */
    public interface Caller {
        Reply call(String method, String url, String jsonBody);
    }

    public record Reply(int status, String body, String error) {
    }

    /** A checked, ordered plan. */
    public record Plan(String name, List<Node> order, Map<String, String> urls) {
    }

    private WorkflowRunner() {
    }

    /**
     * Validates and orders; 400 naming the field on any problem (a URL outside {@code policy} included),
     * {@code workflow_cycle} for a cycle.
     */
    public static Plan plan(Request req, int maxNodes, Function<String, String> daemonUrl, OutboundUrlPolicy policy) {
        if (req == null || req.nodes() == null || req.nodes().isEmpty()) {
            throw ApiException.badField("nodes", "nodes must list at least one step");
        }
        if (req.nodes().size() > maxNodes) {
            throw ApiException.unprocessable("nodes", "at most " + maxNodes + " nodes per workflow");
        }
        Map<String, Integer> index = new LinkedHashMap<>();
        Map<String, String> urls = new HashMap<>();
        for (int i = 0; i < req.nodes().size(); i++) {
            Node n = req.nodes().get(i);
            String at = "nodes[" + i + "]";
            if (n == null) {
                throw ApiException.badField(at, "a node is required");
            }
            if (n.id() == null || !ID.matcher(n.id()).matches()) {
                throw ApiException.badField(at + ".id", "id must match " + ID.pattern());
            }
            if (index.put(n.id(), i) != null) {
                throw ApiException.badField(at + ".id", "duplicate node id " + n.id());
            }
            String method = n.method() == null ? "POST" : n.method().toUpperCase();
            if (!METHODS.contains(method)) {
                throw ApiException.badField(at + ".method", "method must be one of " + METHODS);
            }
            String url;
            if (n.url() != null && !n.url().isBlank()) {
                // Only the fleet's daemons and the configured allow-list (issue 25: no open door behind the gateway).
                url = policy.require(at + ".url", n.url());
            } else if (n.daemon() != null && !n.daemon().isBlank()) {
                String base;
                try {
                    base = daemonUrl.apply(n.daemon());
                } catch (IllegalArgumentException e) {
                    throw ApiException.badField(at + ".daemon", "unknown daemon " + n.daemon());
                }
                if (n.path() == null || !n.path().startsWith("/") || n.path().contains("..")) {
                    throw ApiException.badField(at + ".path", "path must start with / (and not contain ..)");
                }
                url = policy.require(at + ".path", (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + n.path());
            } else {
                throw ApiException.badField(at + ".url", "url, or daemon and path, is required");
            }
            urls.put(n.id(), url);
        }
        for (int i = 0; i < req.nodes().size(); i++) {
            Node n = req.nodes().get(i);
            for (String d : deps(n)) {
                if (!index.containsKey(d)) {
                    throw ApiException.badField("nodes[" + i + "].depends_on", "unknown node " + d);
                }
                if (d.equals(n.id())) {
                    throw new ApiException(400, "workflow_cycle", "node " + d + " depends on itself", "nodes[" + i + "].depends_on");
                }
            }
        }
        // Kahn's algorithm; ready nodes are taken in request order so the plan is deterministic.
        Map<String, Integer> indegree = new LinkedHashMap<>();
        for (Node n : req.nodes()) {
            indegree.put(n.id(), (int) deps(n).stream().distinct().count());
        }
        List<Node> order = new ArrayList<>();
        Set<String> placed = new HashSet<>();
        while (order.size() < req.nodes().size()) {
            Node next = null;
            for (Node n : req.nodes()) {
                if (!placed.contains(n.id()) && indegree.get(n.id()) == 0) {
                    next = n;
                    break;
                }
            }
            if (next == null) {
                List<String> stuck = req.nodes().stream().map(Node::id).filter(id -> !placed.contains(id)).toList();
                throw new ApiException(400, "workflow_cycle", "the workflow has a cycle among " + stuck, "nodes");
            }
            placed.add(next.id());
            order.add(next);
            for (Node n : req.nodes()) {
                if (deps(n).stream().distinct().anyMatch(next.id()::equals)) {
                    indegree.merge(n.id(), -1, Integer::sum);
                }
            }
        }
        // References may only name ancestors (so their output exists when the step runs).
        Map<String, Set<String>> ancestors = new HashMap<>();
        for (Node n : order) {
            Set<String> a = new HashSet<>();
            for (String d : deps(n)) {
                a.add(d);
                a.addAll(ancestors.get(d));
            }
            ancestors.put(n.id(), a);
        }
        for (Node n : req.nodes()) {
            for (String ref : references(n.body())) {
                if (!ancestors.get(n.id()).contains(ref)) {
                    throw ApiException.badField("nodes[" + index.get(n.id()) + "].body",
                            "$" + ref + ".output is referenced but " + ref + " is not among the node's dependencies");
                }
            }
        }
        return new Plan(req.name() == null ? "workflow" : req.name(), order, urls);
    }

    private static List<String> deps(Node n) {
        return n.dependsOn() == null ? List.of() : n.dependsOn();
    }

    static Set<String> references(JsonNode body) {
        Set<String> out = new HashSet<>();
        if (body == null) {
            return out;
        }
        if (body.isTextual()) {
            Matcher m = REF.matcher(body.asText());
            while (m.find()) {
                out.add(m.group(1));
            }
        } else if (body.isContainerNode()) {
            for (JsonNode c : body) {
                out.addAll(references(c));
            }
        }
        return out;
    }

    /** Runs a plan; each node runs once all its dependencies succeeded, else it is skipped with the reason. */
    public static Result run(Plan plan, Caller caller) {
        String runId = UUID.randomUUID().toString();
        Map<String, NodeResult> done = new LinkedHashMap<>();
        boolean allOk = true;
        for (Node n : plan.order()) {
            String method = n.method() == null ? "POST" : n.method().toUpperCase();
            String url = plan.urls().get(n.id());
            String blocked = deps(n).stream().filter(d -> !"succeeded".equals(done.get(d).status())).findFirst().orElse(null);
            if (blocked != null) {
                done.put(n.id(), new NodeResult(n.id(), "skipped", method, url, null, null,
                        "dependency " + blocked + " " + done.get(blocked).status(), null));
                allOk = false;
                continue;
            }
            String body = null;
            try {
                if (n.body() != null && !n.body().isNull()) {
                    body = Json.mapper().writeValueAsString(resolve(n.body(), done));
                }
            } catch (IllegalStateException | com.fasterxml.jackson.core.JsonProcessingException e) {
                done.put(n.id(), new NodeResult(n.id(), "failed", method, url, null, null, e.getMessage(), 0L));
                allOk = false;
                continue;
            }
            long t0 = System.nanoTime();
            Reply reply = caller.call(method, url, body);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            JsonNode output = parse(reply.body());
            boolean ok = reply.error() == null && reply.status() / 100 == 2;
            String error = reply.error() != null ? reply.error() : (ok ? null : "HTTP " + reply.status());
            done.put(n.id(), new NodeResult(n.id(), ok ? "succeeded" : "failed", method, url,
                    reply.status() == 0 ? null : reply.status(), output, error, ms));
            allOk &= ok;
        }
        return new Result(runId, plan.name(), allOk ? "succeeded" : "failed", new ArrayList<>(done.values()));
    }

    /** One audit row per node, as observed operations with source {@code workflow} and the run id as task id. */
    public static List<ObservedOperation> auditRows(Result result, Plan plan, String requestId) {
        Instant now = Instant.now();
        List<ObservedOperation> rows = new ArrayList<>();
        for (NodeResult r : result.nodes()) {
            ObjectNode request = JsonNodeFactory.instance.objectNode();
            request.put("workflow", result.name());
            request.put("node", r.id());
            request.put("method", r.method());
            request.put("url", r.url());
            ArrayNode deps = request.putArray("depends_on");
            plan.order().stream().filter(n -> n.id().equals(r.id())).findFirst()
                    .ifPresent(n -> deps(n).forEach(deps::add));
            ObjectNode res = JsonNodeFactory.instance.objectNode();
            res.put("status", r.status());
            if (r.httpStatus() != null) {
                res.put("http_status", r.httpStatus());
            }
            if (r.output() != null) {
                res.set("output", r.output());
            }
            rows.add(new ObservedOperation(result.runId() + ":" + r.id(), now, "workflow", r.method() + " " + r.url(),
                    requestId, result.runId(), "workflow_node", null, request, res, "succeeded".equals(r.status()),
                    r.latencyMs(), r.error(), List.of("workflow:" + result.name(), "node:" + r.id(), r.status())));
        }
        return rows;
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isEmpty()) {
            return null;
        }
        try {
            return Json.mapper().readTree(body);
        } catch (Exception e) {
            return TextNode.valueOf(body);
        }
    }

    static JsonNode resolve(JsonNode node, Map<String, NodeResult> done) {
        if (node.isTextual()) {
            String s = node.asText();
            Matcher whole = REF.matcher(s);
            if (whole.matches()) {
                return lookup(whole.group(1), whole.group(2), done);
            }
            Matcher m = REF.matcher(s);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                JsonNode v = lookup(m.group(1), m.group(2), done);
                m.appendReplacement(sb, Matcher.quoteReplacement(v.isValueNode() ? v.asText() : v.toString()));
            }
            m.appendTail(sb);
            return TextNode.valueOf(sb.toString());
        }
        if (node.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                var e = it.next();
                out.set(e.getKey(), resolve(e.getValue(), done));
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            node.forEach(c -> out.add(resolve(c, done)));
            return out;
        }
        return node;
    }

    private static JsonNode lookup(String id, String path, Map<String, NodeResult> done) {
        NodeResult r = done.get(id);
        JsonNode v = r == null ? null : r.output();
        if (v == null) {
            throw new IllegalStateException("$" + id + ".output is empty");
        }
        if (!path.isEmpty()) {
            for (String f : path.substring(1).split("\\.")) {
                JsonNode next = v.isArray() && f.chars().allMatch(Character::isDigit) ? v.get(Integer.parseInt(f)) : v.get(f);
                if (next == null) {
                    throw new IllegalStateException("$" + id + ".output" + path + " does not exist in " + id + "'s output");
                }
                v = next;
            }
        }
        return v;
    }
}

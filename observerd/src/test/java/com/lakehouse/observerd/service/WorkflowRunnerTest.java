package com.lakehouse.observerd.service;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.lakehouse.contracts.error.ApiException;
import com.lakehouse.contracts.fleet.OutboundUrlPolicy;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class WorkflowRunnerTest {
    static final OutboundUrlPolicy POLICY = new OutboundUrlPolicy(List.of("http://127.0.0.1:9", "http://h"));

    static WorkflowRunner.Node node(String id, String... deps) {
        return new WorkflowRunner.Node(id, "POST", "http://127.0.0.1:9/" + id, null, null, null, List.of(deps));
    }

    @Test
    void topologicalOrderKeepsRequestOrderForTies() {
        var plan = WorkflowRunner.plan(new WorkflowRunner.Request("w", List.of(node("d", "b", "c"), node("b", "a"),
                node("c", "a"), node("a"))), 10, d -> { throw new IllegalArgumentException(); }, POLICY);
        assertEquals(List.of("a", "b", "c", "d"), plan.order().stream().map(WorkflowRunner.Node::id).toList());
    }

    @Test
    void cycleIsRejected() {
        ApiException e = assertThrows(ApiException.class, () -> WorkflowRunner.plan(new WorkflowRunner.Request("w",
                List.of(node("a", "c"), node("b", "a"), node("c", "b"), node("x"))), 10, d -> "http://h", POLICY));
        assertEquals("workflow_cycle", e.code());
        assertEquals(400, e.status());
    }

    @Test
    void failureSkipsEverythingDownstreamAndPassesOutputs() {
        var body = JsonNodeFactory.instance.objectNode().put("v", "$a.output.items.1");
        var b = new WorkflowRunner.Node("b", "POST", "http://h/b", null, null, body, List.of("a"));
        var plan = WorkflowRunner.plan(new WorkflowRunner.Request("w", List.of(node("a"), b, node("c", "b"),
                node("d", "c"), node("e", "a"))), 10, d -> "http://h", POLICY);
        List<String> bodies = new ArrayList<>();
        var result = WorkflowRunner.run(plan, (m, url, json) -> {
            bodies.add(url + " " + json);
            if (url.endsWith("/a")) {
                return new WorkflowRunner.Reply(200, "{\"items\":[\"x\",{\"k\":2}]}", null);
            }
            if (url.endsWith("/c")) {
                return new WorkflowRunner.Reply(500, "{}", null);
            }
            return new WorkflowRunner.Reply(200, "{}", null);
        });
        assertEquals(List.of("succeeded", "succeeded", "failed", "skipped", "succeeded"),
                result.nodes().stream().map(WorkflowRunner.NodeResult::status).toList());
        assertTrue(bodies.contains("http://h/b {\"v\":{\"k\":2}}"), bodies.toString());
        assertEquals(4, bodies.size(), "the skipped node is never called");
        assertEquals(5, WorkflowRunner.auditRows(result, plan, "rid").size());
    }

    /** Issue 25: a node can reach only the fleet's daemons and the allow-list; the 400 names the node's field. */
    @Test
    void urlsOutsideThePolicyAre400NamingTheField() {
        for (String bad : List.of("http://127.0.0.1:10/x", "http://169.254.169.254/latest/meta-data/", "file:///etc/passwd",
                "http://[::1]:9/", "http://2130706433:9/", "http://h@evil.example/", "gopher://h/")) {
            var n = new WorkflowRunner.Node("a", "GET", bad, null, null, null, List.of());
            ApiException e = assertThrows(ApiException.class, () -> WorkflowRunner.plan(
                    new WorkflowRunner.Request("w", List.of(node("ok"), n)), 10, d -> "http://h", POLICY), bad);
            assertEquals(400, e.status(), bad);
            assertEquals("nodes[1].url", e.field(), bad);
        }
        var viaDaemon = new WorkflowRunner.Node("a", "GET", null, "embedd", "/v1/x", null, List.of());
        ApiException e = assertThrows(ApiException.class, () -> WorkflowRunner.plan(
                new WorkflowRunner.Request("w", List.of(viaDaemon)), 10, d -> "http://127.0.0.1:10", POLICY));
        assertEquals("nodes[0].path", e.field());
    }
}

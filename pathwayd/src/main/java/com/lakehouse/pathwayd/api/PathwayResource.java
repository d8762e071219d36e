package com.lakehouse.pathwayd.api;

import com.lakehouse.contracts.error.ApiException;
import com.lakehouse.contracts.observer.ObservedOperation;
import com.lakehouse.contracts.observer.ObserverClient;
import com.lakehouse.contracts.client.UpstreamException;
import com.lakehouse.contracts.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.lakehouse.pathwayd.config.PathwaydConfig;
import com.lakehouse.pathwayd.service.Canonical;
import com.lakehouse.pathwayd.service.PathwayMemory;
import com.lakehouse.pathwayd.service.PathwayService;
import com.lakehouse.pathwayd.service.Trace;
import com.lakehouse.pathwayd.service.TraceSelection;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Pathway memory: upsert, revise, retire, replay, history and semantic search over live traces. */
@Path("/v1/pathway")
public class PathwayResource {
    @Inject
    PathwayService service;
    @Inject
    PathwaydConfig config;
    @Inject
    ObserverClient observer;

    /** Task class and signal class of a Go-shape trace, which has neither (docs/pathwayd.md). */
    static final String GO_TASK_CLASS = "pathway";
    static final String GO_SIGNAL_CLASS = "go_fleet";

    /**
     * ADD a new workflow, UPDATED when the live version has identical steps and verdict, else NOOP. A body with
     * {@code predecessor_uid} (the Go fleet's way to chain a version) is a revise of that trace.
     */
    @POST
    @Path("/upsert")
    public Map<String, Object> upsert(PathwayRequests.Upsert body) {
        if (body == null) {
            throw ApiException.badField("body", "a JSON body is required");
        }
        long t0 = System.nanoTime();
        String uid = PathwayRequests.optionalText("uid", body.uid());
        String role = body.role() == null || body.role().isBlank() ? null : body.role().strip();
        if (body.predecessorUid() != null) {
            PathwayService.ReviseOutcome r = service.revise(uid, PathwayRequests.text("predecessor_uid", body.predecessorUid()),
                    PathwayRequests.content(body.content(), config.maxSteps(), !body.goShape()),
                    body.tags() == null ? null : PathwayRequests.tags(body.tags()), role);
            Map<String, Object> out = reviseAnswer(r);
            capture("/v1/pathway/upsert", body, out, t0);
            return out;
        }
        PathwayService.UpsertOutcome o;
        if (body.goShape()) {
            // The Go fleet's trace has no class or subject: the pathway is the client's uid when it names one,
            // else the content itself, so an identical trace upserted again is an UPDATE, as in the Go fleet.
            JsonNode content = PathwayRequests.content(body.content(), config.maxSteps(), false);
            String subject = uid != null ? "uid:" + uid : "content:" + Canonical.hash(content);
            o = service.upsert(uid, GO_TASK_CLASS, subject, GO_SIGNAL_CLASS, content, PathwayRequests.tags(body.tags()), role);
        } else {
            o = service.upsert(uid, PathwayRequests.text("task_class", body.taskClass()),
                    PathwayRequests.text("subject", body.subject()), PathwayRequests.text("signal_class", body.signalClass()),
                    PathwayRequests.content(body.content(), config.maxSteps(), true), PathwayRequests.tags(body.tags()), role);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("event", o.event().name());
        out.put("action", designName(o.event()));
        out.put("trace", o.trace());
        if (o.reason() != null) {
            out.put("reason", o.reason());
        }
        out.put("indexed", o.indexed());
        capture("/v1/pathway/upsert", body, out, t0);
        return out;
    }

    /** A new version chained to its parent; the parent is superseded. */
    @POST
    @Path("/revise")
    public Response revise(PathwayRequests.Revise body) {
        if (body == null) {
            throw ApiException.badField("body", "a JSON body is required");
        }
        long t0 = System.nanoTime();
        PathwayService.ReviseOutcome o = service.revise(PathwayRequests.optionalText("uid", body.uid()),
                PathwayRequests.text(body.parentField(), body.parent()),
                PathwayRequests.content(body.content(), config.maxSteps(), body.parentTraceUid() != null),
                body.tags() == null ? null : PathwayRequests.tags(body.tags()),
                body.role() == null || body.role().isBlank() ? null : body.role().strip());
        Map<String, Object> out = reviseAnswer(o);
        capture("/v1/pathway/revise", body, out, t0);
        return Response.status(201).entity(out).build();
    }

    private static Map<String, Object> reviseAnswer(PathwayService.ReviseOutcome o) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("event", "REVISED");
        out.put("action", "REVISE");
        out.put("trace", o.trace());
        out.put("parent", o.parent());
        out.put("indexed", o.indexed());
        return out;
    }

    /** DESIGN.md's (and the Go fleet's) spelling of an upsert event: ADD, UPDATE, NOOP. */
    static String designName(PathwayMemory.Event e) {
        return e == PathwayMemory.Event.UPDATED ? "UPDATE" : e.name();
    }

    /** Idempotent: retiring a retired trace changes nothing. Retired traces leave retrieval. */
    @POST
    @Path("/retire")
    public Map<String, Object> retire(PathwayRequests.Retire body) {
        if (body == null) {
            throw ApiException.badField("body", "a JSON body is required");
        }
        PathwayService.RetireOutcome o = service.retire(PathwayRequests.text("trace_uid", body.target()),
                PathwayRequests.text("reason", body.reason()));
        return Map.of("event", o.changed() ? "RETIRED" : "NOOP", "trace", o.trace());
    }

    /** Counts one replay of a live trace. */
    @POST
    @Path("/replay")
    public Map<String, Object> replay(PathwayRequests.Replay body) {
        if (body == null) {
            throw ApiException.badField("body", "a JSON body is required");
        }
        return Map.of("event", "REPLAYED", "trace", service.replay(PathwayRequests.text("trace_uid", body.target())));
    }

    @GET
    @Path("/traces/{uid}")
    public Trace trace(@PathParam("uid") String uid) {
        return service.get(uid);
    }

    /** The chain root to tip through this trace; {@code cycle_detected} when links loop (never hangs). */
    @GET
    @Path("/history/{uid}")
    public Map<String, Object> history(@PathParam("uid") String uid) {
        PathwayMemory.History h = service.history(uid);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("trace_uid", uid);
        out.put("chain", h.chain());
        out.put("length", h.chain().size());
        out.put("cycle_detected", h.cycleDetected());
        return out;
    }

    @POST
    @Path("/search")
    public Map<String, Object> search(PathwayRequests.Search body) {
        if (body == null) {
            throw ApiException.badField("body", "a JSON body is required");
        }
        String query = PathwayRequests.text("query", body.query());
        int k = body.k() == null ? 10 : body.k();
        if (k <= 0 || k > config.maxK()) {
            throw ApiException.badField("k", "'k' must be between 1 and " + config.maxK());
        }
        long t0 = System.nanoTime();
        TraceSelection.Selection s;
        try {
            s = service.search(query, body.role(), PathwayRequests.tags(body.tags()), k);
        } catch (UpstreamException e) {
            throw ApiException.fromUpstream(e);
        }
        List<Map<String, Object>> results = s.results().stream().map(r -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("trace_uid", r.trace().traceUid());
            m.put("uid", r.trace().traceUid());
            m.put("distance", r.distance());
            m.put("score", r.score());
            m.put("trace", r.trace());
            return m;
        }).toList();
        Map<String, Object> gate = new LinkedHashMap<>();
        gate.put("query_role", body.role());
        gate.put("role_source", body.role() == null || body.role().isBlank() ? "none" : "explicit");
        gate.put("dropped", s.droppedByRole());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("results", results);
        out.put("gate", gate);
        out.put("dropped_not_live", s.droppedNotLive());
        out.put("dropped_by_tags", s.droppedByTags());
        capture("/v1/pathway/search", body, Map.of("ids", results.stream().map(r -> r.get("trace_uid")).toList()), t0);
        return out;
    }

    @GET
    @Path("/stats")
    public Map<String, Object> stats() {
        return service.stats();
    }

    private void capture(String endpoint, Object request, Object result, long t0) {
        observer.record(new ObservedOperation(null, null, null, endpoint, null, null, endpoint.substring(endpoint.lastIndexOf('/') + 1),
                null, Json.mapper().valueToTree(request), Json.mapper().valueToTree(result), true,
                (System.nanoTime() - t0) / 1_000_000, null, List.of("pathway")));
    }
}

package com.lakehouse.pathwayd.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.lakehouse.contracts.error.ApiException;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The pathway memory's rules, over in-memory state rebuilt from the operation log. Each command is first
 * decided into an {@link Operation} (checked against the current state, nothing changed yet); the caller makes
 * it durable and then {@link #apply}s it. Replaying the log applies the same operations in order, so the state
 * after a restart is the state that was acknowledged. Not thread-safe: the service serialises commands.
 * A pathway's versions are indexed by pathway id, so deciding an upsert costs the same at 10 or 100k traces.
 */
public final class PathwayMemory {
    /** What an upsert did: ADD a new trace, UPDATED (an identical one was seen again), or NOOP. */
    public enum Event { ADD, UPDATED, NOOP }

    public record Decision(Event event, Operation operation, Trace current, String reason) {
    }

    public record History(List<Trace> chain, boolean cycleDetected) {
    }

    private final Map<String, Trace> traces = new HashMap<>();
    /** pathway id -> the uids of its versions (so {@link #liveTip} never scans every trace). */
    private final Map<String, Set<String>> byPathway = new HashMap<>();
    private final Clock clock;
    private long seq;

    public PathwayMemory(Clock clock) {
        this.clock = clock;
    }

    /** An independent copy of this state (traces are immutable, so only the maps are copied). */
    public PathwayMemory copy() {
        PathwayMemory c = new PathwayMemory(clock);
        c.traces.putAll(traces);
        byPathway.forEach((k, v) -> c.byPathway.put(k, new HashSet<>(v)));
        c.seq = seq;
        return c;
    }

    public long lastSeq() {
        return seq;
    }

    public Optional<Trace> get(String uid) {
        return Optional.ofNullable(traces.get(uid));
    }

    public List<Trace> all() {
        return List.copyOf(traces.values());
    }

    public int size() {
        return traces.size();
    }

    /** The live version of a pathway, if any. */
    public Optional<Trace> liveTip(String pathwayId) {
        Set<String> uids = byPathway.get(pathwayId);
        if (uids == null) {
            return Optional.empty();
        }
        return uids.stream().map(traces::get).filter(t -> t != null && t.live())
                .max((a, b) -> Integer.compare(a.version(), b.version()));
    }

    /**
     * ADD when the pathway has no live version; UPDATED (replay_count + 1) when its live version has the same
     * steps and verdict; NOOP otherwise: a changed workflow is a new version and goes through {@link #decideRevise}.
     */
    public Decision decideUpsert(String taskClass, String subject, String signalClass, JsonNode content,
                                 List<String> tags, String role, String requestId) {
        return decideUpsert(null, taskClass, subject, signalClass, content, tags, role, requestId);
    }

    /**
     * As above, with the trace uid a client chose ({@code uid}, the Go fleet's field; null = a random one). A
     * chosen uid already taken by a trace outside this pathway's live tip is a 409: uids are never reused.
     */
    public Decision decideUpsert(String uid, String taskClass, String subject, String signalClass, JsonNode content,
                                 List<String> tags, String role, String requestId) {
        String pathwayId = Canonical.pathwayId(taskClass, subject, signalClass);
        String hash = Canonical.hash(content);
        Instant now = clock.instant();
        Optional<Trace> tip = liveTip(pathwayId);
        if (uid != null && traces.containsKey(uid) && tip.map(t -> !t.traceUid().equals(uid)).orElse(true)) {
            throw new ApiException(409, "uid_taken", "trace uid " + uid + " is already used by another (or a retired) trace", "uid");
        }
        if (tip.isEmpty()) {
            Trace t = new Trace(uid != null ? uid : UUID.randomUUID().toString(), pathwayId, 1, null, taskClass, subject, signalClass,
                    content, hash, tags, role, now, now, null, null, false, null, 0);
            return new Decision(Event.ADD, new Operation(seq + 1, Operation.ADD, now, t.traceUid(), t, null, requestId), t, null);
        }
        Trace current = tip.get();
        if (current.contentHash().equals(hash)) {
            Trace t = current.replayed(now);
            return new Decision(Event.UPDATED, new Operation(seq + 1, Operation.UPDATE, now, t.traceUid(), t, null, requestId),
                    t, "identical steps and verdict: replay_count bumped");
        }
        return new Decision(Event.NOOP, null, current,
                "pathway already has live version " + current.version() + " with other content; use /v1/pathway/revise");
    }

    /** A new version chained to its parent; refuses a missing (404), retired or superseded (409) parent. */
    public Operation decideRevise(String parentUid, JsonNode content, List<String> tags, String role, String requestId) {
        return decideRevise(null, parentUid, content, tags, role, requestId);
    }

    /** As above, with the new version's uid chosen by the client (null = a random one; a taken uid is 409). */
    public Operation decideRevise(String uid, String parentUid, JsonNode content, List<String> tags, String role, String requestId) {
        if (uid != null && traces.containsKey(uid)) {
            throw new ApiException(409, "uid_taken", "trace uid " + uid + " is already used", "uid");
        }
        Trace parent = traces.get(parentUid);
        if (parent == null) {
            throw ApiException.notFound("trace_not_found", "no trace " + parentUid);
        }
        if (parent.retired()) {
            throw new ApiException(409, "parent_retired", "trace " + parentUid + " is retired and cannot be revised", "parent_trace_uid");
        }
        if (parent.supersededByTraceUid() != null) {
            throw new ApiException(409, "parent_superseded", "trace " + parentUid + " is already superseded by "
                    + parent.supersededByTraceUid() + "; revise the tip", "parent_trace_uid");
        }
        Instant now = clock.instant();
        Trace t = new Trace(uid != null ? uid : UUID.randomUUID().toString(), parent.pathwayId(), parent.version() + 1, parent.traceUid(),
                parent.taskClass(), parent.subject(), parent.signalClass(), content, Canonical.hash(content),
                tags != null ? tags : parent.tags(), role != null ? role : parent.role(), now, now, null, null, false, null, 0);
        return new Operation(seq + 1, Operation.REVISE, now, t.traceUid(), t, null, requestId);
    }

    /** Retires a trace; empty when it already is (retire is idempotent and logs nothing the second time). */
    public Optional<Operation> decideRetire(String uid, String reason, String requestId) {
        Trace t = traces.get(uid);
        if (t == null) {
            throw ApiException.notFound("trace_not_found", "no trace " + uid);
        }
        if (t.retired()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        return Optional.of(new Operation(seq + 1, Operation.RETIRE, now, uid, t.retiredFor(reason, now), reason, requestId));
    }

    /** Counts one replay of a live trace. */
    public Operation decideReplay(String uid, String requestId) {
        Trace t = traces.get(uid);
        if (t == null) {
            throw ApiException.notFound("trace_not_found", "no trace " + uid);
        }
        if (!t.live()) {
            throw new ApiException(409, "trace_not_live", "trace " + uid + " is retired or superseded", "trace_uid");
        }
        Instant now = clock.instant();
        return new Operation(seq + 1, Operation.REPLAY, now, uid, t.replayed(now), null, requestId);
    }

    /** Applies a durable operation; also used to replay the log on start. */
    public void apply(Operation op) {
        Trace t = op.trace();
        Trace before = traces.put(t.traceUid(), t);
        if (before != null && !before.pathwayId().equals(t.pathwayId())) {
            Set<String> old = byPathway.get(before.pathwayId());
            if (old != null) {
                old.remove(t.traceUid());
            }
        }
        byPathway.computeIfAbsent(t.pathwayId(), k -> new HashSet<>()).add(t.traceUid());
        if (Operation.REVISE.equals(op.op()) && t.parentTraceUid() != null) {
            Trace parent = traces.get(t.parentTraceUid());
            if (parent != null) {
                traces.put(parent.traceUid(), parent.supersededBy(t.traceUid(), op.at()));
            }
        }
        seq = Math.max(seq, op.seq());
    }

    /** The chain from its root to its tip through {@code uid}; stops (and says so) where links loop. */
    public History history(String uid) {
        Trace start = traces.get(uid);
        if (start == null) {
            throw ApiException.notFound("trace_not_found", "no trace " + uid);
        }
        boolean cycle = false;
        List<Trace> back = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Trace cur = start;
        while (cur != null) {
            if (!seen.add(cur.traceUid())) {
                cycle = true;
                break;
            }
            back.add(cur);
            cur = cur.parentTraceUid() == null ? null : traces.get(cur.parentTraceUid());
        }
        Collections.reverse(back);
        List<Trace> chain = new ArrayList<>(back);
        cur = start.supersededByTraceUid() == null ? null : traces.get(start.supersededByTraceUid());
        while (cur != null) {
            if (!seen.add(cur.traceUid())) {
                cycle = true;
                break;
            }
            chain.add(cur);
            cur = cur.supersededByTraceUid() == null ? null : traces.get(cur.supersededByTraceUid());
        }
        return new History(chain, cycle);
    }
}

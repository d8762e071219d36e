package com.lakehouse.pathwayd.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;

/**
 * One version of a pathway: the steps taken and the final verdict ({@code content}), with its place in the
 * version chain. Immutable; every change makes a new instance.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Trace(
        String traceUid,
        String pathwayId,
        int version,
        String parentTraceUid,
        String taskClass,
        String subject,
        String signalClass,
        JsonNode content,
        String contentHash,
        List<String> tags,
        String role,
        Instant createdAt,
        Instant updatedAt,
        Instant supersededAt,
        String supersededByTraceUid,
        boolean retired,
        String retirementReason,
        int replayCount) {

    /** The Go fleet's name of {@code trace_uid} (answers carry both; never read back from the log). */
    @JsonProperty(value = "uid", access = JsonProperty.Access.READ_ONLY)
    public String uid() {
        return traceUid;
    }

    /** The Go fleet's name of {@code parent_trace_uid}. */
    @JsonProperty(value = "predecessor_uid", access = JsonProperty.Access.READ_ONLY)
    public String predecessorUid() {
        return parentTraceUid;
    }

    /** DESIGN.md's name of {@code superseded_by_trace_uid}. */
    @JsonProperty(value = "superseded_by", access = JsonProperty.Access.READ_ONLY)
    public String supersededBy() {
        return supersededByTraceUid;
    }

    /** Live traces are the ones retrieval may return: neither retired nor superseded by a newer version. */
    public boolean live() {
        return !retired && supersededByTraceUid == null;
    }

    Trace replayed(Instant at) {
        return new Trace(traceUid, pathwayId, version, parentTraceUid, taskClass, subject, signalClass, content,
                contentHash, tags, role, createdAt, at, supersededAt, supersededByTraceUid, retired, retirementReason,
                replayCount + 1);
    }

    Trace supersededBy(String uid, Instant at) {
        return new Trace(traceUid, pathwayId, version, parentTraceUid, taskClass, subject, signalClass, content,
                contentHash, tags, role, createdAt, at, at, uid, retired, retirementReason, replayCount);
    }

    Trace retiredFor(String reason, Instant at) {
        return new Trace(traceUid, pathwayId, version, parentTraceUid, taskClass, subject, signalClass, content,
                contentHash, tags, role, createdAt, at, supersededAt, supersededByTraceUid, true, reason, replayCount);
    }
}

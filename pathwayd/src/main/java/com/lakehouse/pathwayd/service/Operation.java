package com.lakehouse.pathwayd.service;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;

/**
 * One entry of the append-only operation log: {@code add | update | revise | retire | replay}. The log is the
 * truth; the in-memory state is its replay. {@code trace} is the full trace after the operation (for add and
 * revise, the new trace), so replay needs no other input.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Operation(long seq, String op, Instant at, String traceUid, Trace trace, String reason, String requestId) {
    public static final String ADD = "add";
    public static final String UPDATE = "update";
    public static final String REVISE = "revise";
    public static final String RETIRE = "retire";
    public static final String REPLAY = "replay";
}

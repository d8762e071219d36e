package com.lakehouse.contracts.jobs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;

import java.time.Instant;

/**
 * What {@code GET .../jobs/{id}} answers: {@code {id, kind, state, progress: {done, total, fraction}, message,
 * created_at, started_at, finished_at, result, error, request_id}}. {@code state} is lower case on the wire.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobView(
        String id,
        String kind,
        String state,
        Progress progress,
        String message,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        Object result,
        String error,
        String requestId) {

    public record Progress(long done, long total, Double fraction) {
    }
}

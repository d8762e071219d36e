package com.lakehouse.contracts.observer;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;

/**
 * One observed operation (schema {@code observed_op.v1}): what a daemon did for a request, captured for the
 * learning loop. {@code endpoint} is required; {@code request} and {@code result} are the JSON exchanged
 * (daemons decide what to include; prompts are kept out of logs, not out of runs).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ObservedOperation(
        String opId,
        Instant timestamp,
        String source,
        String endpoint,
        String requestId,
        String taskId,
        String kind,
        String model,
        JsonNode request,
        JsonNode result,
        Boolean success,
        Long latencyMs,
        String error,
        List<String> tags) {
}

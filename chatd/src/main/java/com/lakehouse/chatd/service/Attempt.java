package com.lakehouse.chatd.service;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One provider tried for a request. {@code status}: ok, error, timeout, circuit_open, not_configured.
 * {@code tries} counts HTTP calls including retries.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Attempt(String provider, String model, String status, String error, long latencyMs, int tries) {
}

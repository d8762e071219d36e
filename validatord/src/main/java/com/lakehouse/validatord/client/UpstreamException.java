package com.lakehouse.validatord.client;

/**
 * A call to another daemon failed. {@code status} is the upstream's HTTP status, or 0 when it could not be
 * reached at all (connection refused, timeout, circuit open).
 */
public class UpstreamException extends RuntimeException {
    private final String upstream;
    private final int status;

    public UpstreamException(String upstream, int status, String message, Throwable cause) {
        super(message, cause);
        this.upstream = upstream;
        this.status = status;
    }

    public String upstream() {
        return upstream;
    }

    public int status() {
        return status;
    }

    /** Unreachable, timed out, circuit open, or the upstream itself said 503. */
    public boolean unavailable() {
        return status == 0 || status == 503;
    }
}

package com.lakehouse.contracts.client;

/** A peer daemon failed: answered non-2xx ({@code status}), answered garbage, timed out or was unreachable (status 0). */
public class UpstreamException extends RuntimeException {
    private final String upstream;
    private final int status;

    public UpstreamException(String upstream, int status, String message) {
        super(upstream + ": " + message);
        this.upstream = upstream;
        this.status = status;
    }

    public UpstreamException(String upstream, String message, Throwable cause) {
        super(upstream + ": " + message, cause);
        this.upstream = upstream;
        this.status = 0;
    }

    public String upstream() {
        return upstream;
    }

    public int status() {
        return status;
    }

    /** A 4xx: the request was refused, retrying or counting it against the peer's health is pointless. */
    public boolean clientError() {
        return status >= 400 && status < 500;
    }
}

package com.lakehouse.chatd.client;

/**
 * A provider call that did not produce an answer. {@code kind} is a stable short string (connect, http_429,
 * http_5xx, http_4xx, timeout, malformed, upstream_error, stream_error); the message never contains the
 * prompt or the API key.
 */
public class UpstreamException extends RuntimeException {
    private final String kind;
    private final int status;

    public UpstreamException(String kind, int status, String message) {
        super(message);
        this.kind = kind;
        this.status = status;
    }

    public UpstreamException(String kind, int status, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.status = status;
    }

    public String kind() {
        return kind;
    }

    /** The upstream HTTP status or error code, 0 when there was none. */
    public int status() {
        return status;
    }

    /** Worth another try at the same provider: connect errors, 408, 429 and 5xx. Retried with backoff. */
    public static final class Retryable extends UpstreamException {
        private final long retryAfterMillis;

        public Retryable(String kind, int status, String message, long retryAfterMillis, Throwable cause) {
            super(kind, status, message, cause);
            this.retryAfterMillis = retryAfterMillis;
        }

        /** The wait the upstream asked for (Retry-After), or -1 when it asked for none. */
        public long retryAfterMillis() {
            return retryAfterMillis;
        }
    }

    /**
     * The upstream refused this request itself (a 4xx other than 408/429: bad model name, bad key, bad
     * parameters). Not retried, and it does not count against the provider's circuit breaker.
     */
    public static final class Rejected extends UpstreamException {
        public Rejected(int status, String message) {
            super("http_4xx", status, message);
        }
    }

    /** Classifies an HTTP status or an in-body numeric error code. */
    public static UpstreamException forStatus(int status, String message, long retryAfterMillis) {
        if (status == 429) {
            return new Retryable("http_429", status, message, retryAfterMillis, null);
        }
        if (status == 408 || status >= 500) {
            return new Retryable(status == 408 ? "http_408" : "http_5xx", status, message, -1, null);
        }
        if (status >= 400) {
            return new Rejected(status, message);
        }
        return new UpstreamException("upstream_error", status, message);
    }
}

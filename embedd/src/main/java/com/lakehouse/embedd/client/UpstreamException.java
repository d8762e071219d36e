package com.lakehouse.embedd.client;

/**
 * A provider could not answer: unreachable ({@code status == 0}), an HTTP error status, or a malformed answer.
 * Retriable when the provider may succeed on a later attempt: connect errors, 5xx and 429.
 */
public class UpstreamException extends RuntimeException {
    private final String provider;
    private final int status;
    private final boolean retriable;

    public UpstreamException(String provider, int status, String message, boolean retriable, Throwable cause) {
        super(message, cause);
        this.provider = provider;
        this.status = status;
        this.retriable = retriable;
    }

    public static UpstreamException unreachable(String provider, String url, Throwable cause) {
        return new UpstreamException(provider, 0, provider + " at " + url + " is unreachable: "
                + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()), true, cause);
    }

    public static UpstreamException httpStatus(String provider, int status, String bodySnippet) {
        boolean retriable = status >= 500 || status == 429;
        return new UpstreamException(provider, status, provider + " answered HTTP " + status
                + (bodySnippet == null || bodySnippet.isBlank() ? "" : ": " + bodySnippet), retriable, null);
    }

    public static UpstreamException malformed(String provider, String what) {
        return new UpstreamException(provider, 200, provider + " answered a malformed response: " + what, false, null);
    }

    public String provider() {
        return provider;
    }

    /** The upstream HTTP status; 0 when it could not be reached. */
    public int status() {
        return status;
    }

    public boolean retriable() {
        return retriable;
    }
}

package com.lakehouse.contracts.error;

import com.lakehouse.contracts.client.UpstreamException;

/**
 * Thrown anywhere in a daemon to answer with a problem+json. Carries the HTTP status, a stable code and,
 * for bad input, the name of the offending field. Mapped by {@link ProblemExceptionMappers}.
 */
public class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final String field;

    public ApiException(int status, String code, String detail, String field) {
        super(detail);
        this.status = status;
        this.code = code;
        this.field = field;
    }

    public ApiException(int status, String code, String detail) {
        this(status, code, detail, null);
    }

    /** 400: a request field is missing or malformed. */
    public static ApiException badField(String field, String detail) {
        return new ApiException(400, "invalid_field", detail, field);
    }

    /** 422: a request is well formed but cannot be processed as asked (limits, semantic checks). */
    public static ApiException unprocessable(String field, String detail) {
        return new ApiException(422, "unprocessable", detail, field);
    }

    public static ApiException notFound(String code, String detail) {
        return new ApiException(404, code, detail);
    }

    public static ApiException conflict(String code, String detail) {
        return new ApiException(409, code, detail);
    }

    /** 501: a route that exists in the design but is not built in this daemon yet. Truthful, never fake data. */
    public static ApiException notImplemented(String what) {
        return new ApiException(501, "not_implemented", what + " is not implemented in this build");
    }

    /** 502: an upstream answered with an error or garbage. */
    public static ApiException badGateway(String code, String detail) {
        return new ApiException(502, code, detail);
    }

    /** 503: an upstream or a dependency is unavailable right now. */
    public static ApiException unavailable(String code, String detail) {
        return new ApiException(503, code, detail);
    }

    /**
     * The fleet rule for a failed call to a peer daemon, so a daemon that is down makes the routes that need it
     * answer 503 fast: a peer that was unreachable, timed out or sat behind an open circuit breaker (status 0)
     * or that answered 503 is a 503 {@code <peer>_unavailable}; any other failure (a 5xx other than 503, a 4xx
     * the caller did not accept, a 2xx with a body it could not use) is a 502 {@code <peer>_error}. The peer is
     * {@link UpstreamException#upstream()}; the detail is the exception's message, which names it too.
     */
    public static ApiException fromUpstream(UpstreamException e) {
        if (e.status() == 0 || e.status() == 503) {
            return unavailable(e.upstream() + "_unavailable", e.getMessage());
        }
        return badGateway(e.upstream() + "_error", e.getMessage());
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String field() {
        return field;
    }
}

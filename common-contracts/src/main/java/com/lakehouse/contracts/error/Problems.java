package com.lakehouse.contracts.error;

import com.lakehouse.contracts.http.RequestIds;
import jakarta.ws.rs.core.Response;

/** Builds problem documents and responses with the current request id filled in. */
public final class Problems {
    private Problems() {
    }

    public static Problem of(int status, String code, String detail, String field) {
        return new Problem(Problem.typeFor(code), titleFor(status), status, detail, null, code,
                RequestIds.current(), field);
    }

    public static Response response(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    public static Response response(int status, String code, String detail, String field) {
        return response(of(status, code, detail, field));
    }

    public static String titleFor(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 406 -> "Not Acceptable";
            case 409 -> "Conflict";
            case 413 -> "Content Too Large";
            case 415 -> "Unsupported Media Type";
            case 422 -> "Unprocessable Content";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> Response.Status.fromStatusCode(status) != null
                    ? Response.Status.fromStatusCode(status).getReasonPhrase() : "Error";
        };
    }
}

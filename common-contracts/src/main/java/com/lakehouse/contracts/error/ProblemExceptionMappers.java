package com.lakehouse.contracts.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.stream.Collectors;

/**
 * Turns every exception that escapes a resource into problem+json: bad JSON and wrong types become a 400
 * naming the field, framework errors keep their status, anything unexpected is a 500 without a stack
 * trace (the trace goes to the log with the request id).
 */
public class ProblemExceptionMappers {
    private static final Logger LOG = Logger.getLogger(ProblemExceptionMappers.class);

    @ServerExceptionMapper
    public Response api(ApiException e, UriInfo uri) {
        return Problems.response(Problems.of(e.status(), e.code(), e.getMessage(), e.field())
                .withInstance(path(uri)));
    }

    @ServerExceptionMapper(priority = 1)
    public Response json(JsonProcessingException e, UriInfo uri) {
        String field = null;
        String detail;
        if (e instanceof JsonMappingException jme && !jme.getPath().isEmpty()) {
            field = fieldPath(jme);
        }
        if (e instanceof UnrecognizedPropertyException upe) {
            detail = "unknown field '" + upe.getPropertyName() + "'";
        } else if (e instanceof InvalidFormatException ife) {
            detail = "field '" + field + "' has an invalid value: " + String.valueOf(ife.getValue())
                    + " (expected " + ife.getTargetType().getSimpleName() + ")";
        } else if (e instanceof MismatchedInputException mie && field != null) {
            detail = "field '" + field + "' has the wrong type"
                    + (mie.getTargetType() != null ? " (expected " + describe(mie.getTargetType()) + ")" : "");
        } else {
            detail = "malformed JSON body: " + e.getOriginalMessage();
        }
        return Problems.response(Problems.of(400, "invalid_json", detail, field).withInstance(path(uri)));
    }

    /**
     * Quarkus brings its own mappers for these two; an exception is mapped by the closest type, so they are
     * named here explicitly to keep every bad body a problem naming the field.
     */
    @ServerExceptionMapper(priority = 1)
    public Response mismatched(MismatchedInputException e, UriInfo uri) {
        return json(e, uri);
    }

    @ServerExceptionMapper(priority = 1)
    public Response parse(com.fasterxml.jackson.core.JsonParseException e, UriInfo uri) {
        return json(e, uri);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse() != null ? e.getResponse().getStatus() : 500;
        Throwable cause = e.getCause();
        if (cause instanceof JsonProcessingException jpe) {
            return json(jpe, uri);
        }
        if (status >= 500) {
            LOG.errorf(e, "request failed with %d", status);
        }
        String code = switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthorized";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 406 -> "not_acceptable";
            case 413 -> "body_too_large";
            case 415 -> "unsupported_media_type";
            default -> "http_" + status;
        };
        String detail = status >= 500 ? "internal error" : (e.getMessage() == null ? Problems.titleFor(status) : e.getMessage());
        return Problems.response(Problems.of(status, code, detail, null).withInstance(path(uri)));
    }

    /**
     * A peer daemon's failure that escapes a route (every daemon calls peers through contracts.client.Upstream):
     * the fleet rule of {@link ApiException#fromUpstream}, 503 when the peer is down, 502 otherwise, never a 500.
     */
    @ServerExceptionMapper
    public Response upstream(com.lakehouse.contracts.client.UpstreamException e, UriInfo uri) {
        return api(ApiException.fromUpstream(e), uri);
    }

    @ServerExceptionMapper(priority = 10_000)
    public Response unexpected(Throwable e, UriInfo uri) {
        LOG.errorf(e, "unexpected error on %s", path(uri));
        return Problems.response(Problems.of(500, "internal_error",
                "internal error; the log has the details under this request id", null).withInstance(path(uri)));
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : "/" + uri.getPath().replaceFirst("^/", "");
    }

    static String fieldPath(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static String describe(Class<?> type) {
        if (type.isArray() || java.util.Collection.class.isAssignableFrom(type)) {
            return "array";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive() && type != boolean.class) {
            return "number";
        }
        if (type == String.class) {
            return "string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "boolean";
        }
        return "object";
    }
}

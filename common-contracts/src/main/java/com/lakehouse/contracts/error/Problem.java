package com.lakehouse.contracts.error;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An RFC 9457 problem document, the one error body of the fleet (served as {@code application/problem+json}).
 *
 * <p>{@code code} is a stable machine string callers can switch on; {@code field} names the offending
 * request field when the problem is bad input, so a client never has to parse {@code detail}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
        String type,
        String title,
        int status,
        String detail,
        String instance,
        String code,
        @JsonProperty("request_id") String requestId,
        String field) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** The {@code type} URI for a code; a stable, documented namespace rather than a resolvable URL. */
    public static String typeFor(String code) {
        return "urn:lakehouse:problem:" + code;
    }

    public Problem withRequestId(String id) {
        return new Problem(type, title, status, detail, instance, code, id, field);
    }

    public Problem withInstance(String path) {
        return new Problem(type, title, status, detail, path, code, requestId, field);
    }
}

package com.lakehouse.contracts.http;

import org.jboss.logging.MDC;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The fleet's request id: taken from {@code X-Request-Id} or made at the first hop, kept in the logging MDC
 * (which Quarkus scopes to the request's Vert.x context) so logs, outgoing calls, runs and journal entries
 * can all name it.
 */
public final class RequestIds {
    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "request_id";
    /** A caller-provided id is kept only when it is short and printable, so it cannot inject into logs. */
    private static final Pattern ACCEPTABLE = Pattern.compile("[A-Za-z0-9._:\\-]{1,128}");

    private RequestIds() {
    }

    /** The id of the request being served, or null outside a request. */
    public static String current() {
        Object v = MDC.get(MDC_KEY);
        return v == null ? null : v.toString();
    }

    /** The id to use for an incoming header value: the value itself when acceptable, else a new one. */
    public static String acceptOrCreate(String incoming) {
        if (incoming != null && ACCEPTABLE.matcher(incoming).matches()) {
            return incoming;
        }
        return newId();
    }

    public static String newId() {
        return UUID.randomUUID().toString();
    }

    /** The current id, or a fresh one for work that starts outside a request (jobs, schedulers). */
    public static String currentOrNew() {
        String id = current();
        return id != null ? id : newId();
    }

    public static void set(String id) {
        if (id == null) {
            MDC.remove(MDC_KEY);
        } else {
            MDC.put(MDC_KEY, id);
        }
    }
}

package com.lakehouse.gateway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.lakehouse.contracts.error.Problem;
import com.lakehouse.contracts.error.Problems;
import com.lakehouse.contracts.http.RequestIds;
import com.lakehouse.contracts.json.Json;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/** problem+json answers from the gateway's Vert.x routes (outside RESTEasy's exception mappers). */
final class VertxProblems {
    static final String REQUEST_ID_KEY = "lakehouse.request_id";
    /** How long an unread request body is drained after an early error before the connection is closed. */
    private static final long DRAIN_MILLIS = 5_000;

    private VertxProblems() {
    }

    static String requestId(RoutingContext ctx) {
        Object id = ctx.get(REQUEST_ID_KEY);
        return id != null ? id.toString() : RequestIds.acceptOrCreate(ctx.request().getHeader(RequestIds.HEADER));
    }

    static Problem problem(RoutingContext ctx, int status, String code, String detail) {
        return new Problem(Problem.typeFor(code), Problems.titleFor(status), status, detail, ctx.normalizedPath(), code,
                requestId(ctx), null);
    }

    /** Ends the response with a problem document unless the head has already gone out. */
    static void send(RoutingContext ctx, int status, String code, String detail) {
        HttpServerResponse resp = ctx.response();
        if (resp.headWritten() || resp.ended() || resp.closed()) {
            return;
        }
        String body;
        try {
            body = Json.mapper().writeValueAsString(problem(ctx, status, code, detail));
        } catch (JsonProcessingException e) {
            body = "{\"status\":" + status + ",\"code\":\"" + code + "\"}";
        }
        HttpServerRequest req = ctx.request();
        boolean unreadBody = !req.isEnded();
        // HTTP/2 (also h2c, which Java's HttpClient asks for) has no Connection header and one connection carries
        // many streams: there only this stream's body is drained, the connection stays.
        boolean http1 = req.version() != io.vertx.core.http.HttpVersion.HTTP_2;
        if (unreadBody && http1) {
            // The body will not be read: answer, then drop the rest of it and close the connection, so the
            // client reads the problem instead of a reset and the connection cannot carry stray bytes.
            resp.putHeader("Connection", "close");
        }
        resp.setStatusCode(status)
                .putHeader("Content-Type", Problem.MEDIA_TYPE)
                .putHeader(RequestIds.HEADER, requestId(ctx))
                .end(body);
        if (unreadBody && !http1) {
            req.handler(b -> {
            });
            req.exceptionHandler(e -> {
            });
            req.resume();
        } else if (unreadBody) {
            HttpConnection conn = req.connection();
            long timer = ctx.vertx().setTimer(DRAIN_MILLIS, t -> conn.close());
            req.handler(b -> {
            });
            req.endHandler(v -> {
                ctx.vertx().cancelTimer(timer);
                conn.close();
            });
            req.exceptionHandler(e -> {
            });
            req.resume();
        }
    }
}

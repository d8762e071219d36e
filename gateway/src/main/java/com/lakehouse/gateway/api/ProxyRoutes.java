package com.lakehouse.gateway.api;

import com.lakehouse.contracts.http.RequestIds;
import com.lakehouse.gateway.client.UpstreamClient;
import com.lakehouse.gateway.config.GatewayConfig;
import com.lakehouse.gateway.service.RoutingTable;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.jboss.logging.Logger;

import java.net.ConnectException;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The proxy: every {@code /v1} path of DESIGN.md's routing table goes to its daemon through {@link UpstreamClient},
 * bodies streamed both ways (an SSE answer flows chunk by chunk), hop-by-hop headers dropped, X-Request-Id and
 * X-Forwarded-* added. A Vert.x route rather than a JAX-RS resource, so nothing is buffered.
 */
@ApplicationScoped
public class ProxyRoutes {
    private static final Logger LOG = Logger.getLogger(ProxyRoutes.class);

    /** RFC 9110 7.6.1 hop-by-hop headers, plus the ones the gateway sets itself. */
    static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "host",
            "expect", "content-length");

    /** The same, less content-length: an answer's length passes through. */
    static final Set<String> HOP_BY_HOP_KEEP_LENGTH = HOP_BY_HOP.stream().filter(h -> !h.equals("content-length"))
            .collect(java.util.stream.Collectors.toUnmodifiableSet());

    /** The fixed hop-by-hop set, plus the headers a {@code Connection} header names (RFC 9110 7.6.1). */
    static Set<String> dropped(Set<String> fixed, String connection) {
        if (connection == null || connection.isBlank() || connection.equalsIgnoreCase("keep-alive")
                || connection.equalsIgnoreCase("close")) {
            return fixed;
        }
        Set<String> out = new java.util.HashSet<>(fixed);
        for (String h : connection.split(",")) {
            out.add(h.trim().toLowerCase(Locale.ROOT));
        }
        return out;
    }

    @Inject
    UpstreamClient upstream;

    @Inject
    GatewayConfig config;

    void routes(@Observes Router router) {
        router.routeWithRegex("/v1(/.*)?").order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT).handler(this::proxy);
        // Anything no route, static file or JAX-RS resource took: a 404 problem, never a bare page.
        router.route().order(Integer.MAX_VALUE).handler(ctx -> VertxProblems.send(ctx, 404, "not_found",
                "no route for " + ctx.request().method() + " " + ctx.normalizedPath()));
    }

    void proxy(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        String daemon = RoutingTable.daemonFor(path).orElse(null);
        if (daemon == null) {
            VertxProblems.send(ctx, 404, "not_found", "no route for " + path + "; the gateway routes "
                    + String.join(", ", RoutingTable.patterns()));
            return;
        }
        if (RoutingTable.SELF.equals(daemon)) {
            ctx.next();
            return;
        }
        HttpServerRequest in = ctx.request();
        long max = config.maxBodyBytes();
        String cl = in.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (cl != null) {
            long declared;
            try {
                declared = Long.parseLong(cl.trim());
            } catch (NumberFormatException e) {
                VertxProblems.send(ctx, 400, "bad_request", "Content-Length is not a number");
                return;
            }
            if (declared > max) {
                VertxProblems.send(ctx, 413, "body_too_large",
                        "request body of " + declared + " bytes is over the limit of " + max + " bytes");
                return;
            }
        }
        if (!in.isEnded()) {
            in.pause();
        }
        long start = System.nanoTime();
        Context vctx = Vertx.currentContext();
        MultiMap headers = outgoingHeaders(ctx);
        String pathAndQuery = path + (in.query() != null ? "?" + in.query() : "");
        AtomicReference<HttpClientRequest> current = new AtomicReference<>();
        AtomicLong bodyBytes = new AtomicLong();
        AtomicReference<String> clientAbort = new AtomicReference<>();
        HttpServerResponse out = ctx.response();
        out.closeHandler(v -> {
            clientAbort.compareAndSet(null, "client closed the connection");
            HttpClientRequest r = current.get();
            if (r != null) {
                r.reset();
            }
        });
        boolean chunkedIn = "chunked".equalsIgnoreCase(in.getHeader(HttpHeaders.TRANSFER_ENCODING));
        boolean hasBody = chunkedIn || (cl != null && !cl.trim().equals("0"));
        upstream.exchange(daemon, in.method(), pathAndQuery, headers, hasBody, req -> {
            if (cl != null) {
                req.putHeader(HttpHeaders.CONTENT_LENGTH, cl.trim());
            } else if (chunkedIn) {
                req.setChunked(true);
            }
            return pump(ctx, req, max, bodyBytes, clientAbort);
        }, current, clientAbort).whenComplete((exchange, err) -> {
            // The upstream client answers on this request's own event loop (one client per loop), so this is
            // normally a direct call; a hand-off only when it completed elsewhere (a timer, the shared client).
            if (Vertx.currentContext() == vctx) {
                complete(ctx, daemon, exchange, err, bodyBytes.get(), max, start, current.get());
            } else {
                vctx.runOnContext(v -> complete(ctx, daemon, exchange, err, bodyBytes.get(), max, start, current.get()));
            }
        });
    }

    private void complete(RoutingContext ctx, String daemon, UpstreamClient.Exchange exchange, Throwable err,
                          long bodyBytes, long max, long start, HttpClientRequest pending) {
        if (err != null) {
            fail(ctx, daemon, unwrap(err), bodyBytes, max, start, pending);
        } else {
            respond(ctx, daemon, exchange.request(), exchange.response(), start);
        }
    }

    /** Streams the client's body to the upstream with back pressure, counting bytes against the limit. */
    private static Future<Void> pump(RoutingContext ctx, HttpClientRequest req, long max, AtomicLong count,
                                     AtomicReference<String> clientAbort) {
        HttpServerRequest in = ctx.request();
        Promise<Void> done = Promise.promise();
        if (in.isEnded()) {
            req.end();
            done.tryComplete();
            return done.future();
        }
        in.handler(buf -> {
            if (count.addAndGet(buf.length()) > max) {
                in.handler(null);
                clientAbort.compareAndSet(null, "body over the limit");
                done.tryFail(new UpstreamClient.ClientSideAbort("body over the limit"));
                req.reset();
                return;
            }
            req.write(buf);
            if (req.writeQueueFull()) {
                in.pause();
                req.drainHandler(v -> in.resume());
            }
        });
        in.endHandler(v -> {
            if (done.tryComplete()) {
                req.end();
            }
        });
        in.exceptionHandler(e -> {
            clientAbort.compareAndSet(null, "client request failed");
            done.tryFail(new UpstreamClient.ClientSideAbort("client request failed: " + e.getMessage()));
            req.reset();
        });
        in.resume();
        return done.future();
    }

    /** The client's headers minus hop-by-hop ones (and the gateway's own credentials), plus request id and X-Forwarded-*. */
    static MultiMap outgoingHeaders(RoutingContext ctx) {
        HttpServerRequest in = ctx.request();
        Set<String> dropped = dropped(HOP_BY_HOP, in.getHeader(HttpHeaders.CONNECTION));
        MultiMap h = MultiMap.caseInsensitiveMultiMap();
        in.headers().forEach(e -> {
            String name = e.getKey().toLowerCase(Locale.ROOT);
            if (!dropped.contains(name) && !name.equals("authorization") && !name.equals("x-api-key")
                    && !name.equals("x-request-id")) {
                h.add(e.getKey(), e.getValue());
            }
        });
        h.set(RequestIds.HEADER, VertxProblems.requestId(ctx));
        String client = in.remoteAddress() != null ? in.remoteAddress().hostAddress() : null;
        if (client != null) {
            String prior = in.getHeader("X-Forwarded-For");
            h.set("X-Forwarded-For", prior == null || prior.isBlank() ? client : prior + ", " + client);
        }
        if (in.getHeader("X-Forwarded-Proto") == null) {
            h.set("X-Forwarded-Proto", in.scheme() == null ? "http" : in.scheme());
        }
        if (in.getHeader("X-Forwarded-Host") == null && in.authority() != null) {
            h.set("X-Forwarded-Host", in.authority().toString());
        }
        return h;
    }

    private void respond(RoutingContext ctx, String daemon, HttpClientRequest req, HttpClientResponse resp, long start) {
        HttpServerResponse out = ctx.response();
        if (out.closed() || out.ended()) {
            req.reset();
            return;
        }
        out.setStatusCode(resp.statusCode());
        if (resp.statusMessage() != null) {
            out.setStatusMessage(resp.statusMessage());
        }
        Set<String> dropped = dropped(HOP_BY_HOP_KEEP_LENGTH, resp.getHeader(HttpHeaders.CONNECTION));
        resp.headers().forEach(e -> {
            String name = e.getKey().toLowerCase(Locale.ROOT);
            if (!dropped.contains(name) && !name.equals("x-request-id")) {
                out.headers().add(e.getKey(), e.getValue());
            }
        });
        out.putHeader(RequestIds.HEADER, VertxProblems.requestId(ctx));
        int code = resp.statusCode();
        boolean bodyless = code == 204 || code == 304 || code < 200 || ctx.request().method() == io.vertx.core.http.HttpMethod.HEAD;
        if (!bodyless && resp.getHeader(HttpHeaders.CONTENT_LENGTH) == null
                && ctx.request().version() != io.vertx.core.http.HttpVersion.HTTP_1_0) {
            out.setChunked(true);
        }
        String status = Integer.toString(resp.statusCode());
        // endOnFailure(false): an upstream that dies mid-body must not look like a complete answer; reset instead.
        resp.pipe().endOnFailure(false).to(out).onComplete(ar -> {
            upstream.record(daemon, ar.succeeded() ? status : "aborted", System.nanoTime() - start);
            if (ar.failed()) {
                LOG.debugf("stream from %s broke: %s", daemon, ar.cause().getMessage());
                req.reset();
                out.reset();
            }
        });
    }

    private void fail(RoutingContext ctx, String daemon, Throwable err, long bodyBytes, long max, long start,
                      HttpClientRequest pending) {
        int status;
        String code;
        String detail;
        if (err instanceof UpstreamClient.ClientSideAbort) {
            if (bodyBytes > max) {
                status = 413;
                code = "body_too_large";
                detail = "request body is over the limit of " + max + " bytes";
            } else {
                upstream.record(daemon, "client_aborted", System.nanoTime() - start);
                return;
            }
        } else if (err instanceof CircuitBreakerOpenException) {
            status = 503;
            code = "upstream_unavailable";
            detail = daemon + " is unavailable (circuit breaker open after repeated failures); retry later";
        } else if (err instanceof ConnectException) {
            status = 503;
            code = "upstream_unavailable";
            detail = daemon + " is unavailable: " + err.getMessage();
        } else if (err instanceof UpstreamClient.UpstreamGone) {
            status = 503;
            code = "upstream_unavailable";
            detail = daemon + " is unavailable: " + err.getMessage();
        } else if (err instanceof TimeoutException) {
            status = 504;
            code = "upstream_timeout";
            detail = daemon + " did not answer within its timeout";
        } else {
            status = 502;
            code = "upstream_error";
            detail = daemon + " failed: " + err.getClass().getSimpleName()
                    + (err.getMessage() != null ? ": " + err.getMessage() : "");
        }
        if (pending != null && status != 413) {
            pending.reset();
        }
        if (status != 413) {
            LOG.warnf("%s %s -> %s: %d %s", ctx.request().method(), ctx.normalizedPath(), daemon, status, detail);
        }
        upstream.record(daemon, Integer.toString(status), System.nanoTime() - start);
        VertxProblems.send(ctx, status, code, detail);
    }

    private static Throwable unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}

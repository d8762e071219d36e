package com.lakehouse.validatord.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.lakehouse.contracts.http.RequestIds;
import com.lakehouse.contracts.json.Json;
import io.smallrye.faulttolerance.api.Guard;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

import java.net.URI;
import java.time.Duration;

/** Blocking JSON calls over the Mutiny Vert.x WebClient, behind a SmallRye Fault Tolerance guard. */
final class Http {
    private Http() {
    }

    static JsonNode call(Guard guard, WebClient client, String upstream, String method, URI base, String path,
                         Object body, Duration timeout, String requestId) {
        try {
            return guard.call(() -> once(client, upstream, method, base, path, body, timeout, requestId), JsonNode.class);
        } catch (UpstreamException e) {
            throw e;
        } catch (CircuitBreakerOpenException e) {
            throw new UpstreamException(upstream, 0, upstream + " circuit breaker is open after repeated failures", e);
        } catch (Exception e) {
            throw new UpstreamException(upstream, 0, upstream + " unreachable: " + e.getMessage(), e);
        }
    }

    private static JsonNode once(WebClient client, String upstream, String method, URI base, String path,
                                 Object body, Duration timeout, String requestId) throws Exception {
        int port = base.getPort() > 0 ? base.getPort() : ("https".equals(base.getScheme()) ? 443 : 80);
        String prefix = base.getPath() == null ? "" : base.getPath().replaceAll("/$", "");
        HttpRequest<Buffer> req = "POST".equals(method)
                ? client.post(port, base.getHost(), prefix + path)
                : client.get(port, base.getHost(), prefix + path);
        req.ssl("https".equals(base.getScheme()))
                .putHeader(RequestIds.HEADER, requestId)
                .putHeader("Accept", "application/json")
                .timeout(timeout.toMillis());
        HttpResponse<Buffer> resp;
        try {
            if (body != null) {
                req.putHeader("Content-Type", "application/json");
                resp = req.sendBuffer(Buffer.buffer(Json.mapper().writeValueAsBytes(body)))
                        .await().atMost(timeout.plusSeconds(1));
            } else {
                resp = req.send().await().atMost(timeout.plusSeconds(1));
            }
        } catch (RuntimeException e) {
            throw new UpstreamException(upstream, 0, upstream + " unreachable: " + describe(e), e);
        }
        String text = resp.bodyAsString();
        if (resp.statusCode() / 100 != 2) {
            String detail = text == null ? "" : text.length() > 300 ? text.substring(0, 300) : text;
            throw new UpstreamException(upstream, resp.statusCode(),
                    upstream + " answered " + resp.statusCode() + ": " + detail, null);
        }
        try {
            return Json.mapper().readTree(text == null ? "null" : text);
        } catch (Exception e) {
            throw new UpstreamException(upstream, 502, upstream + " answered something that is not JSON", e);
        }
    }

    private static String describe(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getMessage() == null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    /** Failures that should count against the circuit and be retried: unreachable or 5xx. */
    static boolean transientFailure(Throwable t) {
        return t instanceof UpstreamException u && (u.status() == 0 || u.status() >= 500);
    }
}

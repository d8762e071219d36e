package com.lakehouse.observerd.client;

import com.lakehouse.contracts.http.RequestIds;
import com.lakehouse.observerd.config.ObserverdConfig;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;

/**
 * Calls one workflow step's fleet endpoint. No retries on purpose (steps may not be idempotent); the step
 * timeout comes from config and a timeout or transport error is reported as the step's failure.
 */
@ApplicationScoped
public class StepCaller {
    /** What a step answered: HTTP status and body text (null when the call itself failed). */
    public record Reply(int status, String body, String error) {
    }

    @Inject
    Vertx vertx;
    @Inject
    ObserverdConfig config;

    private WebClient client;

    @PostConstruct
    void init() {
        // Never follow a redirect: its target would escape the OutboundUrlPolicy the step's URL was checked against.
        client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(2000).setFollowRedirects(false));
    }

    public Reply call(String method, String url, String jsonBody, String requestId) {
        long timeout = config.workflow().stepTimeout().toMillis();
        try {
            HttpRequest<Buffer> req = client.requestAbs(HttpMethod.valueOf(method), url)
                    .putHeader(RequestIds.HEADER, requestId)
                    .putHeader("Accept", "application/json")
                    .timeout(timeout);
            HttpResponse<Buffer> resp;
            if (jsonBody != null) {
                resp = req.putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(jsonBody))
                        .await().atMost(Duration.ofMillis(timeout + 1000));
            } else {
                resp = req.send().await().atMost(Duration.ofMillis(timeout + 1000));
            }
            return new Reply(resp.statusCode(), resp.bodyAsString(), null);
        } catch (RuntimeException e) {
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return new Reply(0, null, msg);
        }
    }
}

package com.lakehouse.replayd.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.lakehouse.contracts.client.Upstream;
import com.lakehouse.contracts.fleet.FleetConfig;
import com.lakehouse.replayd.config.ReplaydConfig;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * replayd's peers: the gateway (every replayed request goes through it, with the stack's gateway key) and
 * observerd (the recorded operations).
 */
@ApplicationScoped
public class ReplayPeers {
    /** A replayed call's answer: status and JSON body (problem bodies included). */
    public record Answer(int status, JsonNode body) {
    }

    private static final Set<Integer> ANY_CLIENT_ERROR = Set.of(400, 401, 403, 404, 409, 413, 422, 429);
    private final WebClient client;
    private final Upstream gateway;
    private final Upstream observerd;
    private final String gatewayUrl;
    private final String observerdUrl;
    private final Duration gatewayWait;
    private final Duration observerWait;

    @Inject
    public ReplayPeers(Vertx vertx, ReplaydConfig config, FleetConfig fleet) {
        this.client = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true).setMaxPoolSize(8)
                .setConnectTimeout(2000).setUserAgent("lakehouse-replayd"));
        this.gateway = Upstream.of("replayd", "gateway", client, config.gateway());
        fleet.gatewayKey().ifPresent(k -> gateway.header("Authorization", "Bearer " + k));
        this.observerd = Upstream.of("replayd", "observerd", client, config.observerd());
        this.gatewayUrl = fleet.gateway().replaceAll("/+$", "");
        this.observerdUrl = fleet.observerd().replaceAll("/+$", "");
        this.gatewayWait = config.gateway().timeout().multipliedBy(3);
        this.observerWait = config.observerd().timeout().multipliedBy(3);
    }

    /** Re-issues a recorded request through the gateway; 4xx/422 answers are answers, not failures. */
    public Answer replay(String path, JsonNode body) {
        Upstream.Reply r = gateway.call(HttpMethod.POST, gatewayUrl + path, body, ANY_CLIENT_ERROR).await().atMost(gatewayWait);
        return new Answer(r.status(), r.json("gateway"));
    }

    /** One page of recorded operations: {@code {ops, next_cursor}}. */
    public JsonNode ops(String source, Instant since, Instant until, String cursor, int limit) {
        StringBuilder q = new StringBuilder("/v1/observer/ops?limit=").append(limit);
        if (source != null) {
            q.append("&source=").append(URLEncoder.encode(source, StandardCharsets.UTF_8));
        }
        if (since != null) {
            q.append("&since=").append(since);
        }
        if (until != null) {
            q.append("&until=").append(until);
        }
        if (cursor != null) {
            q.append("&cursor=").append(URLEncoder.encode(cursor, StandardCharsets.UTF_8));
        }
        return observerd.call(HttpMethod.GET, observerdUrl + q, null, Set.of()).await().atMost(observerWait).json("observerd");
    }

    @PreDestroy
    void close() {
        client.close();
    }
}

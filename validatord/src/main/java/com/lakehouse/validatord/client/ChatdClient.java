package com.lakehouse.validatord.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.lakehouse.contracts.fleet.FleetConfig;
import com.lakehouse.contracts.http.RequestIds;
import com.lakehouse.validatord.config.ValidatordConfig;
import io.smallrye.faulttolerance.api.Guard;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.net.URI;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** chatd's {@code POST /v1/chat}. Not retried (a chat call is slow and not free); guarded by a circuit breaker. */
@ApplicationScoped
public class ChatdClient {
    @Inject
    FleetConfig fleet;
    @Inject
    ValidatordConfig config;
    @Inject
    Vertx vertx;

    private WebClient client;
    private Guard guard;
    private URI base;

    public record Message(String role, String content) {
    }

    /** What validatord keeps of chatd's answer. */
    public record ChatReply(String provider, String model, String content, JsonNode usage, long latencyMs) {
    }

    @PostConstruct
    void init() {
        base = URI.create(fleet.chatd());
        ValidatordConfig.Chatd c = config.chatd();
        client = WebClient.create(vertx, new WebClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, c.connectTimeout().toMillis())));
        guard = Guard.create().withDescription("chatd")
                .withCircuitBreaker().requestVolumeThreshold(c.cbRequestVolume()).failureRatio(c.cbFailureRatio())
                .delay(c.cbDelay().toMillis(), ChronoUnit.MILLIS).when(Http::transientFailure).done()
                .build();
    }

    public ChatReply chat(String model, List<Message> messages, double temperature, int maxTokens) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", model);
        body.put("messages", messages);
        body.put("temperature", temperature);
        body.put("max_tokens", maxTokens);
        body.put("format", "json");
        JsonNode doc = Http.call(guard, client, "chatd", "POST", base, "/v1/chat", body, config.chatd().timeout(),
                RequestIds.currentOrNew());
        JsonNode content = doc.path("message").get("content");
        if (content == null || !content.isTextual()) {
            throw new UpstreamException("chatd", 502, "chatd's answer has no message.content", null);
        }
        return new ChatReply(doc.path("provider").asText(null), doc.path("model").asText(model), content.asText(),
                doc.get("usage"), doc.path("latency_ms").asLong(0));
    }
}

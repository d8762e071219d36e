package com.lakehouse.validatord.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.lakehouse.contracts.client.Upstream;
import com.lakehouse.contracts.client.UpstreamException;
import com.lakehouse.contracts.fleet.FleetConfig;
import com.lakehouse.validatord.config.ValidatordConfig;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * chatd's {@code POST /v1/chat}, through the shared {@link Upstream} with the numbers of
 * {@code lakehouse.validatord.chatd.*}: never retried (a chat call is slow and not free), guarded by a circuit
 * breaker, and a short connect timeout so a chatd that is down is reported fast.
 */
@ApplicationScoped
public class ChatdClient {
    private final WebClient client;
    private final Upstream upstream;
    private final String url;

    public record Message(String role, String content) {
    }

    /** What validatord keeps of chatd's answer. */
    public record ChatReply(String provider, String model, String content, JsonNode usage, long latencyMs) {
    }

    @Inject
    public ChatdClient(Vertx vertx, FleetConfig fleet, ValidatordConfig config) {
        ValidatordConfig.Chatd c = config.chatd();
        this.client = WebClient.create(vertx, new WebClientOptions().setUserAgent("lakehouse-validatord")
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, c.connectTimeout().toMillis())));
        this.upstream = new Upstream("validatord", "chatd", client, c.timeout(), 0, c.cbRequestVolume(),
                c.cbFailureRatio(), c.cbDelay());
        this.url = fleet.chatd().replaceAll("/+$", "") + "/v1/chat";
    }

    @PreDestroy
    void close() {
        client.close();
    }

    public ChatReply chat(String model, List<Message> messages, double temperature, int maxTokens) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", model);
        body.put("messages", messages);
        body.put("temperature", temperature);
        body.put("max_tokens", maxTokens);
        body.put("format", "json");
        // blocking caller (the iterate request's worker thread); the guard's timeout bounds the call
        JsonNode doc = upstream.call(HttpMethod.POST, url, body, Set.of()).await().indefinitely().json("chatd");
        JsonNode content = doc.path("message").get("content");
        if (content == null || !content.isTextual()) {
            throw new UpstreamException("chatd", 502, "the answer has no message.content");
        }
        return new ChatReply(doc.path("provider").asText(null), doc.path("model").asText(model), content.asText(),
                doc.get("usage"), doc.path("latency_ms").asLong(0));
    }
}

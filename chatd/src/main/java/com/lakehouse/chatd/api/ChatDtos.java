package com.lakehouse.chatd.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.lakehouse.chatd.client.ChatResult;
import com.lakehouse.chatd.service.Attempt;

import java.util.List;

/** Request and response records of chatd's own API (snake_case on the wire). */
public final class ChatDtos {
    private ChatDtos() {
    }

    /** {@code POST /v1/chat}. {@code format}: "json" or a JSON Schema object. */
    public record ChatRequest(String model, List<MessageIn> messages, JsonNode format, Double temperature,
                              Integer maxTokens, Boolean think) {
    }

    public record MessageIn(String role, String content) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MessageOut(String role, String content, String thinking) {
    }

    public record ChatResponse(String provider, String model, MessageOut message, ChatResult.Usage usage,
                               long latencyMs, List<Attempt> attempts) {
    }

    public record ProviderView(String name, boolean configured, boolean usable, String breaker, String baseUrl,
                               String wire) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record WeakModels(List<String> weakModels, String model, Boolean weak) {
    }
}

package com.lakehouse.chatd.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lakehouse.contracts.json.Json;

import java.io.IOException;

/**
 * The OpenAI chat-completions wire (kimi, opencode, openrouter): {@code POST {base}/chat/completions},
 * SSE streaming of {@code data: {chunk}} lines ending in {@code data: [DONE]}. OpenRouter may report an error
 * with a numeric {@code error.code} inside a 200 body or as one SSE event; both are errors here.
 */
public final class OpenAiWire implements WireFormat {
    public static final OpenAiWire INSTANCE = new OpenAiWire();

    @Override
    public String chatPath() {
        return "/chat/completions";
    }

    @Override
    public ObjectNode requestBody(String model, ChatCall call, boolean stream) {
        ObjectNode body = WireFormat.baseBody(model, call);
        if (call.temperature() != null) {
            body.put("temperature", call.temperature());
        }
        if (call.maxTokens() != null) {
            body.put("max_tokens", call.maxTokens());
        }
        if (call.responseFormat() != null) {
            body.set("response_format", call.responseFormat());
        } else if (call.format() != null) {
            if (call.format().isTextual()) {
                body.putObject("response_format").put("type", "json_object");
            } else {
                ObjectNode rf = body.putObject("response_format").put("type", "json_schema");
                rf.putObject("json_schema").put("name", "response").set("schema", call.format());
            }
        }
        if (stream) {
            body.put("stream", true);
            body.putObject("stream_options").put("include_usage", true);
        }
        return body;
    }

    @Override
    public ChatResult parseAnswer(byte[] raw) {
        JsonNode root = readJson(raw);
        throwIfError(root);
        JsonNode choice = root.path("choices").path(0);
        JsonNode message = choice.path("message");
        if (!message.isObject()) {
            throw new UpstreamException("malformed", 0, "answer has no choices[0].message");
        }
        String content = message.path("content").isTextual() ? message.path("content").asText() : "";
        String thinking = message.path("reasoning_content").isTextual() ? message.path("reasoning_content").asText()
                : message.path("reasoning").isTextual() ? message.path("reasoning").asText() : null;
        String finish = choice.path("finish_reason").isTextual() ? choice.path("finish_reason").asText() : "stop";
        return new ChatResult(content, thinking, finish, usage(root.path("usage")));
    }

    @Override
    public StreamEvent parseStreamLine(String line) {
        if (line.isBlank() || line.startsWith(":") || !line.startsWith("data:")) {
            return null; // comments (": OPENROUTER PROCESSING"), event:/id: fields, separators
        }
        String data = line.substring(5).strip();
        if (data.equals("[DONE]")) {
            return new StreamEvent(null, null, null, true);
        }
        JsonNode root = readJson(data.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        throwIfError(root);
        JsonNode choice = root.path("choices").path(0);
        String content = choice.path("delta").path("content").isTextual() ? choice.path("delta").path("content").asText() : null;
        String finish = choice.path("finish_reason").isTextual() ? choice.path("finish_reason").asText() : null;
        ChatResult.Usage usage = root.path("usage").isObject() ? usage(root.path("usage")) : null;
        if (content == null && finish == null && usage == null) {
            return null;
        }
        return new StreamEvent(content, finish, usage, false);
    }

    static JsonNode readJson(byte[] raw) {
        try {
            JsonNode n = Json.mapper().readTree(raw);
            if (n == null || !n.isObject()) {
                throw new UpstreamException("malformed", 0, "upstream answer is not a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw new UpstreamException("malformed", 0, "upstream answer is not valid JSON");
        }
    }

    /** An {@code error} member means failure whatever the HTTP status; a numeric code classifies it. */
    static void throwIfError(JsonNode root) {
        JsonNode e = root.get("error");
        if (e == null || e.isNull()) {
            return;
        }
        int code = e.path("code").canConvertToInt() ? e.path("code").asInt()
                : e.path("code").isTextual() && e.path("code").asText().matches("\\d{3}") ? Integer.parseInt(e.path("code").asText()) : 0;
        String text = "upstream error" + (code > 0 ? " " + code : "") + ": " + WireFormat.errorText(root, null);
        if (code == 429 || code == 408 || code >= 500) {
            throw UpstreamException.forStatus(code, text, -1);
        }
        throw new UpstreamException("upstream_error", code, text);
    }

    static ChatResult.Usage usage(JsonNode u) {
        if (u == null || !u.isObject()) {
            return ChatResult.Usage.of(0, 0);
        }
        long p = u.path("prompt_tokens").asLong(0);
        long c = u.path("completion_tokens").asLong(0);
        long t = u.path("total_tokens").asLong(p + c);
        return new ChatResult.Usage(p, c, t);
    }
}

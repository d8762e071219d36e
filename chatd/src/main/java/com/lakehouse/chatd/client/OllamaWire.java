package com.lakehouse.chatd.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lakehouse.contracts.json.Json;

import java.nio.charset.StandardCharsets;

/**
 * The native Ollama wire (local ollama and ollama_cloud): {@code POST {base}/chat}, NDJSON streaming; an error
 * mid-stream arrives as one more line {@code {"error": "..."}} under a 200.
 */
public final class OllamaWire implements WireFormat {
    public static final OllamaWire INSTANCE = new OllamaWire();

    @Override
    public String chatPath() {
        return "/chat";
    }

    @Override
    public ObjectNode requestBody(String model, ChatCall call, boolean stream) {
        ObjectNode body = WireFormat.baseBody(model, call);
        body.put("stream", stream);
        JsonNode format = call.format();
        if (format == null && call.responseFormat() != null) {
            format = fromResponseFormat(call.responseFormat());
        }
        if (format != null) {
            body.set("format", format);
        }
        if (call.think() != null) {
            body.put("think", call.think());
        }
        if (call.temperature() != null || call.maxTokens() != null) {
            ObjectNode options = body.putObject("options");
            if (call.temperature() != null) {
                options.put("temperature", call.temperature());
            }
            if (call.maxTokens() != null) {
                options.put("num_predict", call.maxTokens());
            }
        }
        return body;
    }

    /** OpenAI's response_format in Ollama terms: json_object -> "json", json_schema -> the schema. */
    static JsonNode fromResponseFormat(JsonNode rf) {
        String type = rf.path("type").asText("");
        if (type.equals("json_object")) {
            return Json.mapper().getNodeFactory().textNode("json");
        }
        if (type.equals("json_schema") && rf.path("json_schema").path("schema").isObject()) {
            return rf.path("json_schema").path("schema");
        }
        return null;
    }

    @Override
    public ChatResult parseAnswer(byte[] raw) {
        JsonNode root = OpenAiWire.readJson(raw);
        throwIfError(root);
        JsonNode message = root.path("message");
        if (!message.isObject() || !message.path("content").isTextual()) {
            throw new UpstreamException("malformed", 0, "answer has no message.content");
        }
        return new ChatResult(message.path("content").asText(),
                message.path("thinking").isTextual() ? message.path("thinking").asText() : null,
                root.path("done_reason").asText("stop"), usage(root));
    }

    @Override
    public StreamEvent parseStreamLine(String line) {
        if (line.isBlank()) {
            return null;
        }
        JsonNode root = OpenAiWire.readJson(line.getBytes(StandardCharsets.UTF_8));
        throwIfError(root);
        String content = root.path("message").path("content").isTextual() ? root.path("message").path("content").asText() : null;
        if (root.path("done").asBoolean(false)) {
            return new StreamEvent(content, root.path("done_reason").asText("stop"), usage(root), true);
        }
        return content == null ? null : new StreamEvent(content, null, null, false);
    }

    private static void throwIfError(JsonNode root) {
        JsonNode e = root.get("error");
        if (e != null && !e.isNull()) {
            throw new UpstreamException("upstream_error", 0, "upstream error: " + WireFormat.errorText(root, null));
        }
    }

    private static ChatResult.Usage usage(JsonNode root) {
        return ChatResult.Usage.of(root.path("prompt_eval_count").asLong(0), root.path("eval_count").asLong(0));
    }
}

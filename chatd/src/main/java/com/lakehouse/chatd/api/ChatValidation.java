package com.lakehouse.chatd.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.lakehouse.chatd.client.ChatCall;
import com.lakehouse.contracts.error.ApiException;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Input checks for both chat surfaces; every failure is a 400 naming the field. */
final class ChatValidation {
    static final Set<String> ROLES = Set.of("system", "user", "assistant", "tool");

    private ChatValidation() {
    }

    static ChatCall fromChat(ChatDtos.ChatRequest r, int maxMessages) {
        if (r == null) {
            throw ApiException.badField("body", "a JSON body is required");
        }
        requireModel(r.model());
        if (r.messages() == null || r.messages().isEmpty()) {
            throw ApiException.badField("messages", "'messages' must be a non-empty array");
        }
        if (r.messages().size() > maxMessages) {
            throw ApiException.badField("messages", "at most " + maxMessages + " messages per request");
        }
        List<ChatCall.Message> msgs = new ArrayList<>();
        for (int i = 0; i < r.messages().size(); i++) {
            ChatDtos.MessageIn m = r.messages().get(i);
            if (m == null) {
                throw ApiException.badField("messages[" + i + "]", "message " + i + " is null");
            }
            msgs.add(new ChatCall.Message(role(m.role(), i), m.content() == null ? "" : m.content()));
        }
        JsonNode format = r.format();
        if (format != null && !format.isNull()) {
            if (!(format.isTextual() && format.asText().equals("json")) && !format.isObject()) {
                throw ApiException.badField("format", "'format' must be \"json\" or a JSON Schema object");
            }
        } else {
            format = null;
        }
        checkNumbers(r.temperature(), r.maxTokens(), "max_tokens");
        return new ChatCall(r.model().strip(), msgs, format, null, r.temperature(), r.maxTokens(), r.think());
    }

    /** The OpenAI chat-completions body; lenient about fields chatd does not use (tools, n, ...). */
    static ChatCall fromCompletions(JsonNode body, int maxMessages) {
        if (body == null || !body.isObject()) {
            throw ApiException.badField("body", "a JSON object body is required");
        }
        JsonNode model = body.get("model");
        if (model == null || !model.isTextual()) {
            throw ApiException.badField("model", "'model' is required and must be a string");
        }
        requireModel(model.asText());
        JsonNode messages = body.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw ApiException.badField("messages", "'messages' must be a non-empty array");
        }
        if (messages.size() > maxMessages) {
            throw ApiException.badField("messages", "at most " + maxMessages + " messages per request");
        }
        List<ChatCall.Message> msgs = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            if (!m.isObject()) {
                throw ApiException.badField("messages[" + i + "]", "message " + i + " must be an object");
            }
            String role = m.path("role").isTextual() ? m.path("role").asText() : null;
            if ("developer".equals(role)) {
                role = "system"; // newer OpenAI SDKs send system prompts as "developer"
            }
            msgs.add(new ChatCall.Message(role(role, i), content(m.get("content"), i)));
        }
        Double temperature = number(body, "temperature");
        Integer maxTokens = body.hasNonNull("max_completion_tokens") ? integer(body, "max_completion_tokens")
                : integer(body, "max_tokens");
        checkNumbers(temperature, maxTokens, body.hasNonNull("max_completion_tokens") ? "max_completion_tokens" : "max_tokens");
        JsonNode rf = body.get("response_format");
        JsonNode responseFormat = null;
        if (rf != null && !rf.isNull()) {
            String type = rf.path("type").asText("");
            if (!Set.of("text", "json_object", "json_schema").contains(type)) {
                throw ApiException.badField("response_format.type", "'response_format.type' must be text, json_object or json_schema");
            }
            if (type.equals("json_schema") && !rf.path("json_schema").path("schema").isObject()) {
                throw ApiException.badField("response_format.json_schema.schema", "a json_schema response_format needs json_schema.schema");
            }
            responseFormat = type.equals("text") ? null : rf;
        }
        JsonNode stream = body.get("stream");
        if (stream != null && !stream.isNull() && !stream.isBoolean()) {
            throw ApiException.badField("stream", "'stream' must be a boolean");
        }
        return new ChatCall(model.asText().strip(), msgs, null, responseFormat, temperature, maxTokens, null);
    }

    /**
     * Ollama's {@code /api/chat {model, messages, format?, options{temperature, num_predict}?, think?}} or, with
     * {@code generate}, {@code /api/generate {model, prompt, system?, ...}} (a user message after the system one).
     * Fields chatd does not use (images, tools, keep_alive, ...) are ignored, as Ollama ignores unknown ones.
     */
    static ChatCall fromOllama(JsonNode body, boolean generate, int maxMessages) {
        if (body == null || !body.isObject()) {
            throw ApiException.badField("body", "a JSON object body is required");
        }
        List<ChatDtos.MessageIn> messages = new ArrayList<>();
        if (generate) {
            JsonNode prompt = body.get("prompt");
            if (prompt == null || !prompt.isTextual() || prompt.asText().isEmpty()) {
                throw ApiException.badField("prompt", "'prompt' is required and must be a non-empty string");
            }
            if (body.path("system").isTextual() && !body.path("system").asText().isBlank()) {
                messages.add(new ChatDtos.MessageIn("system", body.get("system").asText()));
            }
            messages.add(new ChatDtos.MessageIn("user", prompt.asText()));
        } else {
            JsonNode ms = body.get("messages");
            if (ms == null || !ms.isArray()) {
                throw ApiException.badField("messages", "'messages' must be a non-empty array");
            }
            for (int i = 0; i < ms.size(); i++) {
                JsonNode m = ms.get(i);
                if (!m.isObject()) {
                    throw ApiException.badField("messages[" + i + "]", "message " + i + " must be an object");
                }
                messages.add(new ChatDtos.MessageIn(m.path("role").isTextual() ? m.get("role").asText() : null,
                        content(m.get("content"), i)));
            }
        }
        JsonNode options = body.path("options");
        if (!options.isMissingNode() && !options.isNull() && !options.isObject()) {
            throw ApiException.badField("options", "'options' must be an object");
        }
        Double temperature = options.isObject() ? number(options, "temperature") : null;
        Integer maxTokens = options.isObject() ? integer(options, "num_predict") : null;
        if (maxTokens != null && maxTokens < 0) {
            maxTokens = null; // Ollama's -1 = no limit
        }
        JsonNode stream = body.get("stream");
        if (stream != null && !stream.isNull() && !stream.isBoolean()) {
            throw ApiException.badField("stream", "'stream' must be a boolean");
        }
        Boolean think = body.path("think").isBoolean() ? body.get("think").asBoolean() : null;
        String model = body.path("model").isTextual() ? body.get("model").asText() : null;
        return fromChat(new ChatDtos.ChatRequest(model, messages, body.get("format"), temperature, maxTokens, think), maxMessages);
    }

    static boolean includeUsage(JsonNode body) {
        return body.path("stream_options").path("include_usage").asBoolean(false);
    }

    private static void requireModel(String model) {
        if (model == null || model.isBlank()) {
            throw ApiException.badField("model", "'model' is required");
        }
    }

    private static String role(String role, int i) {
        if (role == null || !ROLES.contains(role)) {
            throw ApiException.badField("messages[" + i + "].role", "message " + i + " has role '" + role
                    + "'; allowed: system, user, assistant, tool");
        }
        return role;
    }

    /** A string, null (assistant tool calls), or an array of parts whose text parts are joined. */
    private static String content(JsonNode c, int i) {
        if (c == null || c.isNull()) {
            return "";
        }
        if (c.isTextual()) {
            return c.asText();
        }
        if (c.isArray()) {
            StringBuilder sb = new StringBuilder();
            for (JsonNode part : c) {
                if (part.path("type").asText("").equals("text") && part.path("text").isTextual()) {
                    sb.append(part.path("text").asText());
                } else {
                    throw ApiException.badField("messages[" + i + "].content",
                            "only text content parts are supported");
                }
            }
            return sb.toString();
        }
        throw ApiException.badField("messages[" + i + "].content", "content must be a string or an array of text parts");
    }

    private static Double number(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isNumber()) {
            throw ApiException.badField(field, "'" + field + "' must be a number");
        }
        return n.asDouble();
    }

    private static Integer integer(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw ApiException.badField(field, "'" + field + "' must be an integer");
        }
        return n.asInt();
    }

    private static void checkNumbers(Double temperature, Integer maxTokens, String maxTokensField) {
        if (temperature != null && (temperature.isNaN() || temperature < 0 || temperature > 2)) {
            throw ApiException.badField("temperature", "'temperature' must be between 0 and 2");
        }
        if (maxTokens != null && maxTokens <= 0) {
            throw ApiException.badField(maxTokensField, "'" + maxTokensField + "' must be positive");
        }
    }

}

package com.lakehouse.chatd.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lakehouse.contracts.json.Json;

/** How one provider family speaks: the path, the request body, and how answers and stream lines read. */
public interface WireFormat {
    /** Appended to the provider's base URL. */
    String chatPath();

    ObjectNode requestBody(String model, ChatCall call, boolean stream);

    /** Reads a 2xx answer; throws {@link UpstreamException} for errors inside it or malformed JSON. */
    ChatResult parseAnswer(byte[] body);

    /** Reads one stream line: null when it carries nothing (blank, comment, keep-alive). Throws on an error line. */
    StreamEvent parseStreamLine(String line);

    /** {@code {model, messages: [{role, content}]}}: what both wire formats start a request body with. */
    static ObjectNode baseBody(String model, ChatCall call) {
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("model", model);
        ArrayNode msgs = body.putArray("messages");
        for (ChatCall.Message m : call.messages()) {
            msgs.addObject().put("role", m.role()).put("content", m.content());
        }
        return body;
    }

    /** The human-readable error inside an error body, or a short prefix of the body. */
    static String errorText(JsonNode root, String raw) {
        if (root != null) {
            JsonNode e = root.get("error");
            if (e != null && e.isTextual()) {
                return e.asText();
            }
            if (e != null && e.isObject()) {
                JsonNode m = e.get("message");
                if (m != null && m.isTextual()) {
                    return m.asText();
                }
            }
            JsonNode m = root.get("message");
            if (m != null && m.isTextual()) {
                return m.asText();
            }
        }
        return raw == null ? "" : shorten(raw.strip(), 300);
    }

    static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "...";
    }
}

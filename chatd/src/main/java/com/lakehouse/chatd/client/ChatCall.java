package com.lakehouse.chatd.client;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * A provider-neutral chat request, already validated.
 *
 * @param format         null, the text {@code "json"}, or a JSON Schema object
 * @param responseFormat the caller's OpenAI {@code response_format}, passed through verbatim to OpenAI-wire providers
 */
public record ChatCall(String model, List<Message> messages, JsonNode format, JsonNode responseFormat,
                       Double temperature, Integer maxTokens, Boolean think) {

    public record Message(String role, String content) {
    }
}

package com.lakehouse.chatd.client;

/** One provider's complete answer. */
public record ChatResult(String content, String thinking, String finishReason, Usage usage) {

    public record Usage(long promptTokens, long completionTokens, long totalTokens) {
        public static Usage of(long prompt, long completion) {
            return new Usage(prompt, completion, prompt + completion);
        }
    }
}

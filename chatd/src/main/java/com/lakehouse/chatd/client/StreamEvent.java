package com.lakehouse.chatd.client;

/**
 * One meaningful piece of a streamed answer: some content, the finish reason, usage, or the end.
 */
public record StreamEvent(String content, String finishReason, ChatResult.Usage usage, boolean done) {
    public boolean hasContent() {
        return content != null && !content.isEmpty();
    }
}

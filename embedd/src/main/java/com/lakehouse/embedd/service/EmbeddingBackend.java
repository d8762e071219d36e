package com.lakehouse.embedd.service;

import java.util.List;
import java.util.concurrent.CompletionStage;

/** One model's provider: embeds a batch in one call, one vector per text in order. */
public interface EmbeddingBackend {
    /** The provider's name as reported in errors and stats: local, ollama or openai. */
    String provider();

    /** The vector dimension when known (configured, built in, or learned from an answer), else 0. */
    int dimension();

    /**
     * Embeds {@code texts} (never empty). Fails with {@link com.lakehouse.embedd.client.UpstreamException} or a
     * fault-tolerance exception (timeout, open circuit) when the provider cannot answer.
     *
     * @param requestId the caller's request id, sent upstream as X-Request-Id (may be null)
     */
    CompletionStage<List<float[]>> embed(List<String> texts, String requestId);

    /** Token count of a text as this model counts it, or an estimate when the provider does not say. */
    int countTokens(String text);
}

package com.lakehouse.embedd.client;

import com.lakehouse.contracts.json.Json;
import com.lakehouse.embedd.config.EmbeddConfig;
import io.vertx.mutiny.ext.web.client.WebClient;

import java.io.IOException;
import java.util.List;

/**
 * Ollama: {@code POST {base}/api/embed {model, input: [..]}} -> {@code {embeddings: [[..]]}}, one call per batch.
 * Ollama answers float64; the vectors are kept as float32.
 */
public class OllamaBackend extends HttpEmbeddingBackend {
    record EmbedRequest(String model, List<String> input) {
    }

    record EmbedAnswer(String model, List<float[]> embeddings) {
    }

    public OllamaBackend(WebClient client, String name, EmbeddConfig.Model model, EmbeddConfig.Upstream ft) {
        super(client, name, model, stripSlash(model.baseUrl().orElseThrow()) + "/api/embed", ft);
    }

    static String stripSlash(String base) {
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    @Override
    public String provider() {
        return "ollama";
    }

    @Override
    protected Object requestBody(List<String> texts) {
        return new EmbedRequest(upstreamModel, texts);
    }

    @Override
    protected List<float[]> parse(byte[] body, int expected) throws IOException {
        EmbedAnswer a = Json.mapper().readValue(body, EmbedAnswer.class);
        return a.embeddings();
    }
}

package com.lakehouse.embedd.client;

import com.lakehouse.contracts.json.Json;
import com.lakehouse.embedd.config.EmbeddConfig;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.WebClient;

import java.io.IOException;
import java.util.List;

/**
 * Any OpenAI-compatible server: {@code POST {base}/v1/embeddings {model, input: [..], encoding_format: float}}
 * with an optional bearer key -> {@code {data: [{index, embedding}]}}; the answer is put back in input order by
 * {@code index}.
 */
public class OpenAiBackend extends HttpEmbeddingBackend {
    record EmbeddingsRequest(String model, List<String> input, String encodingFormat) {
    }

    record Item(int index, float[] embedding) {
    }

    record Answer(List<Item> data) {
    }

    private final String apiKey;

    public OpenAiBackend(WebClient client, String name, EmbeddConfig.Model model, EmbeddConfig.Upstream ft,
            String apiKey) {
        super(client, name, model, endpoint(model.baseUrl().orElseThrow()), ft);
        this.apiKey = apiKey;
    }

    static String endpoint(String base) {
        String b = OllamaBackend.stripSlash(base);
        return b.endsWith("/v1") ? b + "/embeddings" : b + "/v1/embeddings";
    }

    @Override
    public String provider() {
        return "openai";
    }

    @Override
    protected Object requestBody(List<String> texts) {
        return new EmbeddingsRequest(upstreamModel, texts, "float");
    }

    @Override
    protected void decorate(HttpRequest<Buffer> request) {
        if (apiKey != null && !apiKey.isEmpty()) {
            request.putHeader("Authorization", "Bearer " + apiKey);
        }
    }

    @Override
    protected List<float[]> parse(byte[] body, int expected) throws IOException {
        Answer a = Json.mapper().readValue(body, Answer.class);
        if (a.data() == null) {
            return null;
        }
        float[][] out = new float[expected][];
        for (Item item : a.data()) {
            if (item == null || item.index() < 0 || item.index() >= expected || out[item.index()] != null
                    || item.embedding() == null) {
                throw UpstreamException.malformed(provider(), "bad or repeated index in data");
            }
            out[item.index()] = item.embedding();
        }
        return a.data().size() == expected ? List.of(out) : a.data().stream().map(Item::embedding).toList();
    }
}

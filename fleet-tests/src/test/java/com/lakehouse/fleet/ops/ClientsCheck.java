package com.lakehouse.fleet.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.models.Model;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.ollama.OllamaEmbeddingModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real client libraries, unchanged, against a running fleet's gateway: the official OpenAI Java SDK, LangChain4j's
 * Ollama and OpenAI models (embeddings against embedd's local model, chat against whatever chat upstream the fleet
 * has, in the tests a fake in the provider's wire format), and the npm {@code ollama} and {@code openai} packages
 * ({@code fleet-tests/clients/clients-test.mjs}, {@code npm ci} first when {@code node_modules} is missing).
 */
public final class ClientsCheck {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ClientsCheck() {
    }

    /** The OpenAI Java SDK: models list/retrieve, embeddings (the SDK's default encoding), streamed chat with usage. */
    public static void openAiJava(String gateway, String key, String chatModel) {
        OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(gateway + "/v1").apiKey(key)
                .timeout(Duration.ofSeconds(60)).build();
        try {
            List<Model> models = client.models().list().data();
            assertTrue(models.stream().anyMatch(m -> m.id().equals("all-minilm-l6-v2") && m.ownedBy().equals("local")), models.toString());
            assertTrue(models.stream().anyMatch(m -> m.id().equals(chatModel)), models.toString());
            assertEquals("all-minilm-l6-v2", client.models().retrieve("all-minilm").id());
            assertThrows(NotFoundException.class, () -> client.models().retrieve("no-such-model"));

            CreateEmbeddingResponse e = client.embeddings().create(EmbeddingCreateParams.builder().model("all-minilm")
                    .inputOfArrayOfStrings(List.of("forklift operator", "picker packer")).build());
            assertEquals(2, e.data().size());
            assertEquals(384, e.data().get(0).embedding().size());
            CreateEmbeddingResponse b64 = client.embeddings().create(EmbeddingCreateParams.builder().model("all-minilm:latest")
                    .input("forklift operator").encodingFormat(EmbeddingCreateParams.EncodingFormat.BASE64).build());
            List<Float> a = e.data().get(0).embedding();
            List<Float> b = b64.data().get(0).embedding();
            for (int i = 0; i < a.size(); i++) {
                assertEquals(a.get(i), b.get(i), 1e-6f, "base64 and float differ at " + i);
            }

            StringBuilder text = new StringBuilder();
            List<ChatCompletionChunk> chunks = new ArrayList<>();
            try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(
                    ChatCompletionCreateParams.builder().model(chatModel).addUserMessage("confirm the shift")
                            .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
                s.stream().forEach(c -> {
                    chunks.add(c);
                    c.choices().forEach(ch -> ch.delta().content().ifPresent(text::append));
                });
            }
            assertTrue(text.length() > 0, "no streamed content");
            ChatCompletionChunk last = chunks.get(chunks.size() - 1);
            assertTrue(last.choices().isEmpty(), "the usage chunk has choices");
            assertTrue(last.usage().orElseThrow().totalTokens() > 0, "no usage in the last chunk");
        } finally {
            client.close();
        }
    }

    /** LangChain4j's Ollama and OpenAI models: the same local embedding under both, and chat through both surfaces. */
    public static void langChain4j(String gateway, String key, String chatModel) {
        Map<String, String> auth = Map.of("Authorization", "Bearer " + key);
        Embedding viaOllama = OllamaEmbeddingModel.builder().baseUrl(gateway).modelName("all-minilm").customHeaders(auth)
                .timeout(Duration.ofSeconds(60)).build().embed("forklift operator").content();
        Embedding viaOpenAi = OpenAiEmbeddingModel.builder().baseUrl(gateway + "/v1").apiKey(key).modelName("all-minilm:22m")
                .timeout(Duration.ofSeconds(60)).build().embed("forklift operator").content();
        assertEquals(384, viaOllama.dimension());
        assertArrayEquals(viaOllama.vector(), viaOpenAi.vector(), 1e-6f);

        String ollamaAnswer = OllamaChatModel.builder().baseUrl(gateway).modelName(chatModel).customHeaders(auth)
                .timeout(Duration.ofSeconds(60)).build().chat("confirm the shift");
        String openAiAnswer = OpenAiChatModel.builder().baseUrl(gateway + "/v1").apiKey(key).modelName(chatModel)
                .timeout(Duration.ofSeconds(60)).build().chat("confirm the shift");
        assertTrue(!ollamaAnswer.isBlank(), "LangChain4j Ollama chat answered nothing");
        assertEquals(ollamaAnswer, openAiAnswer);
    }

    /** The npm ollama and openai packages; answers the script's JSON summary. */
    public static JsonNode node(String gateway, String key, String chatModel) {
        Path dir = com.lakehouse.fleet.FleetSupport.root().resolve("fleet-tests/clients");
        if (!Files.isDirectory(dir.resolve("node_modules/ollama")) || !Files.isDirectory(dir.resolve("node_modules/openai"))) {
            ConsoleCheck.Result ci = ConsoleCheck.exec(dir, List.of("npm", "ci", "--no-audit", "--no-fund"), 300);
            if (ci.exit() != 0) {
                throw new AssertionError("npm ci in " + dir + " failed (" + ci.exit() + "):\n" + ci.out() + ci.err());
            }
        }
        ConsoleCheck.Result r = ConsoleCheck.exec(dir, List.of("node", "clients-test.mjs", gateway, key, chatModel), 120);
        if (r.exit() != 0) {
            throw new AssertionError("npm clients test failed (exit " + r.exit() + "):\n" + r.err() + "\nsummary: " + r.out());
        }
        String line = r.out().lines().filter(l -> l.startsWith("{")).reduce((x, y) -> y)
                .orElseThrow(() -> new AssertionError("clients test printed no JSON summary:\n" + r.out() + r.err()));
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new AssertionError("clients test summary is not JSON: " + line, e);
        }
    }
}

package com.lakehouse.chatd.service;

import com.lakehouse.chatd.client.ChatCall;
import com.lakehouse.chatd.client.OllamaWire;
import com.lakehouse.chatd.client.OpenAiWire;
import com.lakehouse.chatd.client.ProviderKeys;
import com.lakehouse.chatd.client.StreamEvent;
import com.lakehouse.chatd.client.UpstreamException;
import com.lakehouse.contracts.error.ApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/** Plain-Java checks of model routing, key lookup and the two wire formats' error handling. */
class RoutingAndWireTest {
    private final ModelRouter router = new ModelRouter(Map.of("fast", List.of("ollama/qwen3:4b", "openrouter/qwen/qwen3-8b")), true);

    private static ModelRouter.Route one(ModelRouter r, String model) {
        List<ModelRouter.Route> routes = r.resolve(model, "model");
        assertEquals(1, routes.size());
        return routes.get(0);
    }

    @Test
    void routesByPrefixSuffixAndBareName() {
        assertEquals(new ModelRouter.Route("ollama", "qwen3:4b"), one(router, "ollama/qwen3:4b"));
        assertEquals(new ModelRouter.Route("ollama", "llama3.2"), one(router, "llama3.2"));
        assertEquals(new ModelRouter.Route("ollama_cloud", "gpt-oss:120b"), one(router, "gpt-oss:120b:cloud"));
        assertEquals(new ModelRouter.Route("ollama_cloud", "gpt-oss:120b"), one(router, "ollama_cloud/gpt-oss:120b"));
        assertEquals(new ModelRouter.Route("openrouter", "anthropic/claude-3.5"), one(router, "openrouter/anthropic/claude-3.5"));
        assertEquals(new ModelRouter.Route("opencode", "grok-code"), one(router, "opencode/grok-code"));
        assertEquals(new ModelRouter.Route("kimi", "kimi-k2"), one(router, "kimi/kimi-k2"));
        assertEquals(List.of(new ModelRouter.Route("ollama", "qwen3:4b"), new ModelRouter.Route("openrouter", "qwen/qwen3-8b")),
                router.resolve("fast", "model"));
    }

    @Test
    void badModelsNameTheField() {
        assertEquals("model", assertThrows(ApiException.class, () -> router.resolve("acme/x", "model")).field());
        assertEquals("model", assertThrows(ApiException.class, () -> router.resolve("kimi/", "model")).field());
        assertEquals("model", assertThrows(ApiException.class, () -> router.resolve("openrouter/gpt", "model")).field());
        assertEquals("model", assertThrows(ApiException.class, () -> router.resolve(" ", "model")).field());
        ModelRouter noLocal = new ModelRouter(Map.of("fast", List.of("kimi/k2")), false);
        ApiException e = assertThrows(ApiException.class, () -> noLocal.resolve("fsat", "model"));
        assertTrue(e.getMessage().contains("not a known alias"));
    }

    @Test
    void badAliasesFailStartup() {
        assertThrows(IllegalStateException.class, () -> new ModelRouter(Map.of("a", List.of("nope/x")), true));
        assertThrows(IllegalStateException.class, () -> new ModelRouter(Map.of("a", List.of("b"), "b", List.of("kimi/k")), true));
    }

    @Test
    void keysComeFromConfigThenEnvThenFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("kimi.env");
        Files.writeString(file, "# key\nexport MOONSHOT_API_KEY=\"from-file\"\n");
        assertEquals(Optional.of("cfg"), ProviderKeys.resolve("kimi", Optional.of("cfg"), Optional.of(file), Map.of("KIMI_API_KEY", "env")));
        assertEquals(Optional.of("env"), ProviderKeys.resolve("kimi", Optional.empty(), Optional.of(file), Map.of("KIMI_API_KEY", "env")));
        assertEquals(Optional.of("from-file"), ProviderKeys.resolve("kimi", Optional.empty(), Optional.of(file), Map.of()));
        assertEquals(Optional.empty(), ProviderKeys.resolve("openrouter", Optional.empty(), Optional.empty(), Map.of()));
        assertEquals(Optional.empty(), ProviderKeys.resolve("openrouter", Optional.empty(), Optional.of(dir.resolve("missing.env")), Map.of()));
    }

    @Test
    void openRouterNumericErrorCodesInside200AreClassified() {
        byte[] retryable = "{\"error\":{\"code\":429,\"message\":\"rate limited\"}}".getBytes(StandardCharsets.UTF_8);
        assertInstanceOf(UpstreamException.Retryable.class, assertThrows(UpstreamException.class, () -> OpenAiWire.INSTANCE.parseAnswer(retryable)));
        UpstreamException e = assertThrows(UpstreamException.class, () -> OpenAiWire.INSTANCE.parseStreamLine(
                "data: {\"error\":{\"code\":\"502\",\"message\":\"gone\"},\"choices\":[]}"));
        assertEquals(502, e.status());
        assertNull(OpenAiWire.INSTANCE.parseStreamLine(": OPENROUTER PROCESSING"));
        assertTrue(OpenAiWire.INSTANCE.parseStreamLine("data: [DONE]").done());
        assertEquals("malformed", assertThrows(UpstreamException.class,
                () -> OpenAiWire.INSTANCE.parseStreamLine("data: {oops")).kind());
    }

    @Test
    void ollamaLinesAndFormats() {
        StreamEvent last = OllamaWire.INSTANCE.parseStreamLine("{\"message\":{\"content\":\"\"},\"done\":true,\"prompt_eval_count\":2,\"eval_count\":3}");
        assertTrue(last.done());
        assertEquals(5, last.usage().totalTokens());
        assertThrows(UpstreamException.class, () -> OllamaWire.INSTANCE.parseStreamLine("{\"error\":\"boom\"}"));
        ChatCall call = new ChatCall("m", List.of(new ChatCall.Message("user", "hi")), null,
                com.lakehouse.contracts.json.Json.mapper().createObjectNode().put("type", "json_object"), 0.1, 10, true);
        var body = OllamaWire.INSTANCE.requestBody("m", call, false);
        assertEquals("json", body.path("format").asText());
        assertEquals(10, body.path("options").path("num_predict").asInt());
        assertTrue(body.path("think").asBoolean());
    }
}

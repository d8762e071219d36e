package com.lakehouse.embedd.api;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts {@link FakeUpstreams} and configures embedd's models against it, plus a model whose provider is down
 * (a closed port). Fault tolerance is tightened so retries are quick and the breaker opens after a few failures.
 */
public class FakeUpstreamsResource implements QuarkusTestResourceLifecycleManager {
    private FakeUpstreams fake;
    private Path keyFile;

    @Override
    public Map<String, String> start() {
        fake = new FakeUpstreams();
        String base = fake.baseUrl();
        Map<String, String> c = new HashMap<>();
        try {
            keyFile = Files.createTempFile("embedd-openai", ".key");
            Files.writeString(keyFile, FakeUpstreams.KEY + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ollama(c, "fake-ollama", base, "nomic-embed-text");
        c.put("lakehouse.embedd.models.fake-ollama.dimension", String.valueOf(FakeUpstreams.DIM));
        ollama(c, "ollama-500", base, "always-500");
        ollama(c, "ollama-429", base, "always-429");
        ollama(c, "ollama-flaky", base, "flaky");
        ollama(c, "ollama-toggle", base, "toggle");
        ollama(c, "ollama-short", base, "short");
        c.put("lakehouse.embedd.models.fake-openai.provider", "openai");
        c.put("lakehouse.embedd.models.fake-openai.base-url", base + "/v1");
        c.put("lakehouse.embedd.models.fake-openai.upstream-model", "text-embedding-3-small");
        c.put("lakehouse.embedd.models.fake-openai.api-key-file", keyFile.toString());
        c.put("lakehouse.embedd.models.fake-openai.aliases", "text-embedding-3-small,Small-Embedder");
        c.put("lakehouse.embedd.models.openai-nokey.provider", "openai");
        c.put("lakehouse.embedd.models.openai-nokey.base-url", base);
        c.put("lakehouse.embedd.models.openai-down.provider", "openai");
        c.put("lakehouse.embedd.models.openai-down.base-url", "http://127.0.0.1:" + closedPort());
        c.put("lakehouse.embedd.models.openai-down.api-key", FakeUpstreams.KEY);
        c.put("lakehouse.embedd.upstream.max-retries", "2");
        c.put("lakehouse.embedd.upstream.retry-delay", "10ms");
        c.put("lakehouse.embedd.upstream.retry-max-delay", "20ms");
        c.put("lakehouse.embedd.upstream.retry-jitter", "0ms");
        c.put("lakehouse.embedd.upstream.circuit-volume", "4");
        c.put("lakehouse.embedd.upstream.circuit-delay", "60s");
        c.put("lakehouse.embedd.upstream.timeout", "10s");
        c.put("lakehouse.embedd.limits.max-batch", "16");
        c.put("lakehouse.embedd.limits.max-text-chars", "200");
        return c;
    }

    private static void ollama(Map<String, String> c, String name, String base, String upstream) {
        c.put("lakehouse.embedd.models." + name + ".provider", "ollama");
        c.put("lakehouse.embedd.models." + name + ".base-url", base);
        c.put("lakehouse.embedd.models." + name + ".upstream-model", upstream);
    }

    private static int closedPort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        if (fake != null) {
            fake.close();
        }
        try {
            if (keyFile != null) {
                Files.deleteIfExists(keyFile);
            }
        } catch (IOException ignored) {
            // temp file
        }
    }
}

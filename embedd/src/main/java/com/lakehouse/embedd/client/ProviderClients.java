package com.lakehouse.embedd.client;

import com.lakehouse.embedd.config.EmbeddConfig;
import com.lakehouse.embedd.service.EmbeddingBackend;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Builds one backend per configured model (plus the built-in local one) with its own fault-tolerance guard, and
 * owns the HTTP client and the local model's threads. A misconfigured model (no base URL, unreadable key file)
 * fails startup with a message naming the key.
 */
@Singleton
public class ProviderClients {
    /** The built-in model that always exists unless a configured model of the same name replaces it. */
    public static final String BUILT_IN_LOCAL = "all-minilm-l6-v2";

    private final Map<String, EmbeddingBackend> backends;
    private final LocalModelBackend local;
    private final WebClient web;
    private final ExecutorService modelThreads;
    private final ExecutorService localCallers;

    @Inject
    public ProviderClients(EmbeddConfig config, Vertx vertx) {
        int threads = config.local().threads() > 0 ? config.local().threads()
                : Runtime.getRuntime().availableProcessors();
        this.modelThreads = Executors.newFixedThreadPool(threads, named("embedd-local-model"));
        this.localCallers = Executors.newFixedThreadPool(threads, named("embedd-local-batch"));
        this.local = new LocalModelBackend(modelThreads, localCallers, config.local().intraOpThreads());
        EmbeddConfig.Upstream ft = config.upstream();
        this.web = WebClient.create(vertx, new WebClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, ft.connectTimeout().toMillis()))
                .setMaxPoolSize(ft.maxConnections())
                .setProtocolVersion(HttpVersion.HTTP_1_1)
                .setTryUseCompression(true)
                .setUserAgent("lakehouse-embedd"));
        Map<String, EmbeddingBackend> m = new LinkedHashMap<>();
        m.put(BUILT_IN_LOCAL, local);
        config.models().forEach((name, model) -> m.put(name, build(name, model, ft)));
        this.backends = Collections.unmodifiableMap(m);
        if (!backends.containsKey(config.defaultModel())) {
            throw new IllegalStateException("lakehouse.embedd.default-model=" + config.defaultModel()
                    + " is not a configured model; known: " + backends.keySet());
        }
    }

    private EmbeddingBackend build(String name, EmbeddConfig.Model model, EmbeddConfig.Upstream ft) {
        String prefix = "lakehouse.embedd.models.\"" + name + "\".";
        return switch (model.provider()) {
            case local -> local;
            case ollama -> {
                requireUrl(prefix, model);
                yield new OllamaBackend(web, name, model, ft);
            }
            case openai -> {
                requireUrl(prefix, model);
                yield new OpenAiBackend(web, name, model, ft, apiKey(prefix, model));
            }
        };
    }

    private static void requireUrl(String prefix, EmbeddConfig.Model model) {
        String url = model.baseUrl().orElse("");
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            throw new IllegalStateException(prefix + "base-url must be an http(s) URL, got '" + url + "'");
        }
        try {
            java.net.URI.create(url).toURL();
        } catch (IllegalArgumentException | java.net.MalformedURLException e) {
            throw new IllegalStateException(prefix + "base-url is malformed: " + url);
        }
    }

    private static String apiKey(String prefix, EmbeddConfig.Model model) {
        if (model.apiKeyFile().isPresent()) {
            try {
                return Files.readString(Path.of(model.apiKeyFile().get())).trim();
            } catch (IOException e) {
                throw new UncheckedIOException(prefix + "api-key-file cannot be read: " + e.getMessage(), e);
            }
        }
        return model.apiKey().map(String::trim).orElse(null);
    }

    private static java.util.concurrent.ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Every model by name, the built-in local one first. */
    public Map<String, EmbeddingBackend> backends() {
        return backends;
    }

    public LocalModelBackend local() {
        return local;
    }

    @PreDestroy
    void close() {
        web.close();
        localCallers.shutdownNow();
        modelThreads.shutdownNow();
    }
}

package com.lakehouse.embedd.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Every knob of embedd ({@code lakehouse.embedd.*}). Unknown keys under this prefix fail startup.
 *
 * <p>Models: {@code lakehouse.embedd.models.<name>.provider=local|ollama|openai} plus base URL, upstream model
 * name, key and dimension. The built-in {@code all-minilm-l6-v2} on the local provider always exists (a
 * configured model of that name replaces it), so the fleet runs with no Ollama and no network.
 */
@ConfigMapping(prefix = "lakehouse.embedd")
public interface EmbeddConfig {
    /** The model used when a request names none. Must be a configured model or the built-in local one. */
    @WithDefault("all-minilm-l6-v2")
    String defaultModel();

    /** The Ollama release whose API the {@code /api/*} routes follow, answered by {@code GET /api/version}. */
    @WithDefault("0.12.6")
    String ollamaApiVersion();

    /** Models served besides the built-in local one, keyed by the name clients send as {@code model}. */
    Map<String, Model> models();

    /** Request limits. */
    Limits limits();

    /** The Caffeine cache in front of every provider. */
    Cache cache();

    /** Fault tolerance around remote providers (ollama, openai); the local model runs in-process. */
    Upstream upstream();

    /** The in-process local model. */
    Local local();

    interface Model {
        /** Which provider serves this model: {@code local}, {@code ollama} or {@code openai}. */
        @WithDefault("local")
        Provider provider();

        /**
         * Base URL of the provider: Ollama's (e.g. {@code http://127.0.0.1:11434}, then {@code POST
         * {base}/api/embed}), or an OpenAI-compatible server's (e.g. {@code https://api.openai.com}, then
         * {@code POST {base}/v1/embeddings}; a base ending in {@code /v1} is accepted too). Required for
         * ollama and openai; ignored for local.
         */
        Optional<String> baseUrl();

        /** The model name sent upstream; defaults to this model's own name. */
        Optional<String> upstreamModel();

        /** Bearer key for an OpenAI-compatible provider, given inline (prefer {@code api-key-file}). */
        Optional<String> apiKey();

        /** File holding the bearer key (trimmed); read once at startup. Wins over {@code api-key}. */
        Optional<String> apiKeyFile();

        /**
         * Other names clients may send for this model (Ollama names with or without a tag, an OpenAI-style id),
         * matched ignoring case; each listed with the model in {@code /v1/embed/models}, {@code /api/tags} and
         * {@code /v1/models}. Default: none.
         */
        Optional<List<String>> aliases();

        /**
         * Expected vector dimension. When set, an upstream answer of another dimension is refused (502);
         * when unset, the first answer's dimension is learned. The local model is always 384.
         */
        OptionalInt dimension();
    }

    enum Provider {
        local, ollama, openai
    }

    interface Limits {
        /** Most texts in one request; more is a 422 naming the field. */
        @WithDefault("256")
        int maxBatch();

        /** Longest text in characters; longer is a 422 naming the item. */
        @WithDefault("8192")
        int maxTextChars();
    }

    interface Cache {
        /**
         * Bound of the cache in bytes (vectors plus per-entry overhead, estimated); 0 turns caching off
         * (identical concurrent misses are still coalesced). Default 30 MiB, about 19k 384-d vectors.
         */
        @WithDefault("31457280")
        long maxBytes();

        /** Write one snapshot per model to S3 ({@code embedd/cache/<model>.bin}) on shutdown. */
        @WithDefault("false")
        boolean snapshotOnShutdown();

        /** Load the snapshots from S3 into the cache at startup (warm start). */
        @WithDefault("false")
        boolean warmStart();
    }

    interface Upstream {
        /** Timeout of one upstream attempt. */
        @WithDefault("30s")
        Duration timeout();

        /** Retries after a failed attempt (connect error, timeout, HTTP 5xx or 429); 0 = none. */
        @WithDefault("2")
        int maxRetries();

        /** First retry delay; doubles per retry (exponential backoff) up to {@code retry-max-delay}. */
        @WithDefault("200ms")
        Duration retryDelay();

        /** Upper bound of the backoff delay. */
        @WithDefault("2s")
        Duration retryMaxDelay();

        /** Random jitter added to each retry delay. */
        @WithDefault("50ms")
        Duration retryJitter();

        /** Circuit breaker: attempts in the rolling window before it may open. */
        @WithDefault("20")
        int circuitVolume();

        /** Circuit breaker: failure ratio in the window that opens it. */
        @WithDefault("0.5")
        double circuitFailureRatio();

        /** Circuit breaker: how long it stays open before a trial call. */
        @WithDefault("10s")
        Duration circuitDelay();

        /** Connect timeout of the HTTP client. */
        @WithDefault("5s")
        Duration connectTimeout();

        /** Pooled connections per upstream host. */
        @WithDefault("16")
        int maxConnections();
    }

    interface Local {
        /** Threads that run the local model (its per-text parallelism); 0 = number of CPUs. */
        @WithDefault("0")
        int threads();

        /**
         * ONNX intra-op threads per model run (no spinning). The texts of a batch already run in parallel on
         * {@code threads}, so 1 keeps the CPUs for them.
         */
        @WithDefault("1")
        int intraOpThreads();

        /** Load the local model at startup (else on first use). */
        @WithDefault("true")
        boolean loadAtStart();

        /**
         * Other names of the built-in {@code all-minilm-l6-v2}: the Ollama library's ({@code all-minilm} with
         * and without its tags) and the Hugging Face id OpenAI-compatible servers list. Matched ignoring case.
         */
        @WithDefault("all-minilm,all-minilm:latest,all-minilm:22m,all-minilm:l6-v2,sentence-transformers/all-MiniLM-L6-v2")
        List<String> aliases();
    }
}

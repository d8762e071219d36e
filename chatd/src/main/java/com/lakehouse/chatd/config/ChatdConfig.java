package com.lakehouse.chatd.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every knob of chatd. Property {@code lakehouse.chatd.providers.kimi.api-key} is also read from the
 * environment as {@code LAKEHOUSE_CHATD_PROVIDERS_KIMI_API_KEY} (standard MicroProfile Config mapping).
 */
@ConfigMapping(prefix = "lakehouse.chatd")
public interface ChatdConfig {

    /** The five providers, one group each. */
    Providers providers();

    /**
     * Aliases: a name mapped to an ordered fallback chain of concrete model names, e.g.
     * {@code lakehouse.chatd.aliases.fast=ollama/qwen3:4b,openrouter/qwen/qwen3-8b}. Default: none.
     * Chain entries are concrete routes (provider-prefixed or bare local Ollama names), never other aliases.
     */
    Map<String, List<String>> aliases();

    /**
     * Models known to produce answers that need extra validation (validatord and replayd ask via
     * {@code GET /v1/chat/models/weak}). Comma-separated model names or aliases. Default: empty.
     */
    Optional<List<String>> weakModels();

    /**
     * Calls to embedd, which chatd asks for the embedding models so that {@code /v1/models} and {@code /api/tags}
     * list everything the fleet serves ({@code lakehouse.fleet.embedd} is its URL). When embedd does not answer,
     * the lists carry the chat models alone.
     */
    com.lakehouse.contracts.client.UpstreamSettings embedd();

    /** Most messages accepted in one request (400 past it). Default 500. */
    @WithDefault("500")
    int maxMessages();

    /** Connections kept per upstream host by the outgoing HTTP client. Default 64. */
    @WithDefault("64")
    int maxConnectionsPerHost();

    /** Connect timeout of the outgoing HTTP client. Default 5s. */
    @WithDefault("5s")
    Duration connectTimeout();

    interface Providers {
        /** Moonshot Kimi, OpenAI wire format. Default base URL {@code https://api.moonshot.ai/v1}. */
        Provider kimi();

        /** OpenCode Zen, OpenAI wire format. Default base URL {@code https://opencode.ai/zen/v1}. */
        Provider opencode();

        /** OpenRouter, OpenAI wire format. Default base URL {@code https://openrouter.ai/api/v1}. */
        Provider openrouter();

        /** Ollama's cloud, native Ollama API. Default base URL {@code https://ollama.com/api}. */
        @WithName("ollama_cloud")
        Provider ollamaCloud();

        /** Local Ollama, native Ollama API, needs no key. Default base URL {@code http://127.0.0.1:11434/api}. */
        Provider ollama();
    }

    interface Provider {
        /** Off: the provider is never called and reported as not configured. Default true. */
        @WithDefault("true")
        boolean enabled();

        /**
         * Base URL; {@code /chat/completions} (OpenAI wire) or {@code /chat} (Ollama wire) is appended.
         * Default: the provider's public endpoint (see each provider).
         */
        Optional<String> baseUrl();

        /**
         * API key (bearer). Default: none; then the provider's usual environment variables are tried
         * (KIMI_API_KEY or MOONSHOT_API_KEY, OPENCODE_API_KEY, OPENROUTER_API_KEY, OLLAMA_API_KEY for
         * ollama_cloud), then {@link #keyFile()}. A cloud provider without a key is "not configured". Never logged.
         */
        Optional<String> apiKey();

        /**
         * An env-style file ({@code NAME=value} lines, e.g. {@code /etc/lakehouse/kimi.env}) holding the key
         * under one of the provider's environment variable names or {@code API_KEY}. Default: none.
         */
        Optional<Path> keyFile();

        /** Timeout of one attempt (until the whole answer, or until the first streamed line). Default 60s. */
        @WithDefault("60s")
        Duration timeout();

        /** Longest silence between two lines of a streamed answer before it is abandoned. Default 60s. */
        @WithDefault("60s")
        Duration streamIdleTimeout();

        /** Retries after the first attempt on connect errors, 429 and 5xx. Default 2. */
        @WithDefault("2")
        int maxRetries();

        /** First retry delay; doubles per retry (exponential backoff). Default 250ms. */
        @WithDefault("250ms")
        Duration retryDelay();

        /** Longest wait honoured from a 429's Retry-After header; longer values are capped to this. Default 5s. */
        @WithDefault("5s")
        Duration retryAfterCap();

        /** Calls in the breaker's rolling window before it may open. Default 10. */
        @WithDefault("10")
        int breakerRequestVolume();

        /** Failure ratio in the window that opens the breaker. Default 0.5. */
        @WithDefault("0.5")
        double breakerFailureRatio();

        /** How long an open breaker stays open before a trial call. Default 30s. */
        @WithDefault("30s")
        Duration breakerDelay();

        /** Models this provider is known to serve, listed by {@code GET /v1/models}. Default: none. */
        Optional<List<String>> models();

        /** OpenRouter only: the {@code HTTP-Referer} header sent for app attribution. Default: none. */
        Optional<String> referer();

        /** OpenRouter only: the {@code X-Title} header sent for app attribution. Default: none. */
        Optional<String> title();
    }
}

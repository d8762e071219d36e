package com.lakehouse.chatd.client;

import com.lakehouse.chatd.config.ChatdConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/** The five providers, built once from config (at startup, so a malformed base URL fails the boot). */
@ApplicationScoped
public class ProviderRegistry {
    public static final String KIMI = "kimi";
    public static final String OPENCODE = "opencode";
    public static final String OPENROUTER = "openrouter";
    public static final String OLLAMA_CLOUD = "ollama_cloud";
    public static final String OLLAMA = "ollama";

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(ProviderRegistry.class);

    @Inject
    ChatdConfig config;
    @Inject
    HttpTransport http;

    private final Map<String, ProviderClient> providers = new LinkedHashMap<>();

    @PostConstruct
    void init() {
        Map<String, String> env = System.getenv();
        ChatdConfig.Providers p = config.providers();
        add(KIMI, OpenAiWire.INSTANCE, "https://api.moonshot.ai/v1", true, p.kimi(), env);
        add(OPENCODE, OpenAiWire.INSTANCE, "https://opencode.ai/zen/v1", true, p.opencode(), env);
        add(OPENROUTER, OpenAiWire.INSTANCE, "https://openrouter.ai/api/v1", true, p.openrouter(), env);
        add(OLLAMA_CLOUD, OllamaWire.INSTANCE, "https://ollama.com/api", true, p.ollamaCloud(), env);
        add(OLLAMA, OllamaWire.INSTANCE, "http://127.0.0.1:11434/api", false, p.ollama(), env);
    }

    private void add(String name, WireFormat wire, String defaultBase, boolean needsKey, ChatdConfig.Provider c,
                     Map<String, String> env) {
        String base = c.baseUrl().orElse(defaultBase);
        try {
            java.net.URI u = java.net.URI.create(base);
            if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https")) || u.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("lakehouse.chatd.providers." + name + ".base-url is malformed: " + e.getMessage());
        }
        ProviderClient client = new ProviderClient(name, wire, defaultBase, needsKey, c,
                ProviderKeys.resolve(name, c.apiKey(), c.keyFile(), env), http);
        providers.put(name, client);
        // Which providers are live, never the key itself.
        LOG.infof("provider %s: %s, base URL %s", name, client.configured() ? "configured"
                : c.enabled() ? "not configured (no API key)" : "disabled", client.baseUrl());
    }

    /** Forces construction at startup instead of on the first request. */
    void onStart(@Observes StartupEvent ev) {
        providers.size();
    }

    public boolean exists(String name) {
        return providers.containsKey(name);
    }

    public ProviderClient get(String name) {
        return providers.get(name);
    }

    public Collection<ProviderClient> all() {
        return providers.values();
    }
}

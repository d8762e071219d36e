package com.lakehouse.chatd.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.lakehouse.chatd.client.EmbeddModels;
import com.lakehouse.chatd.client.ProviderClient;
import com.lakehouse.chatd.client.ProviderRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Every model the fleet can serve, each once: the configured chat providers' models ({@code <provider>/<model>},
 * owned by the provider), chatd's aliases (owned by {@code chatd-alias}), and embedd's embedding models with
 * their aliases (owned by the provider that serves them: local, ollama, openai). chatd is the one place that
 * answers "which models exist" ({@code /v1/models}, {@code /api/tags}); it asks embedd for the embedding half,
 * and when embedd does not answer it lists the chat half alone rather than failing the whole list.
 */
@ApplicationScoped
public class ModelCatalog {
    private static final Logger LOG = Logger.getLogger(ModelCatalog.class);

    public enum Kind { chat, embedding }

    public record Entry(String id, Kind kind, String ownedBy, List<String> aliases) {
        /** The id or an alias, ignoring case and Ollama's {@code :latest}. */
        public boolean answersTo(String name) {
            String n = strip(name);
            return strip(id).equals(n) || aliases.stream().anyMatch(a -> strip(a).equals(n));
        }

        private static String strip(String s) {
            String l = s.strip().toLowerCase(Locale.ROOT);
            return l.endsWith(":latest") ? l.substring(0, l.length() - ":latest".length()) : l;
        }
    }

    @Inject
    ProviderRegistry providers;
    @Inject
    ChatService chat;
    @Inject
    EmbeddModels embedd;

    /** The chat models chatd itself knows (no peer call). */
    public List<Entry> chatModels() {
        List<Entry> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (ProviderClient p : providers.all()) {
            if (!p.configured()) {
                continue;
            }
            for (String m : p.models()) {
                String id = p.name() + "/" + m;
                if (seen.add(id)) {
                    out.add(new Entry(id, Kind.chat, p.name(), List.of()));
                }
            }
        }
        for (String alias : chat.router().aliases().keySet()) {
            if (seen.add(alias)) {
                out.add(new Entry(alias, Kind.chat, "chatd-alias", List.of()));
            }
        }
        return out;
    }

    /** Chat models, then embedd's embedding models (none when embedd does not answer). */
    public Uni<List<Entry>> all() {
        return embedd.models().map(ModelCatalog::embeddingEntries)
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("embedd's models not listed: %s", e.getMessage());
                    return List.of();
                })
                .map(emb -> {
                    List<Entry> out = new ArrayList<>(chatModels());
                    out.addAll(emb);
                    return out;
                });
    }

    static List<Entry> embeddingEntries(JsonNode answer) {
        List<Entry> out = new ArrayList<>();
        for (JsonNode m : answer.path("models")) {
            List<String> aliases = new ArrayList<>();
            m.path("aliases").forEach(a -> aliases.add(a.asText()));
            out.add(new Entry(m.path("name").asText(), Kind.embedding, m.path("provider").asText("embedd"), List.copyOf(aliases)));
        }
        return out;
    }
}

package com.lakehouse.embedd.api;

import com.lakehouse.contracts.json.CanonicalJson;
import com.lakehouse.embedd.client.LocalModelBackend;
import com.lakehouse.embedd.config.EmbeddConfig;
import com.lakehouse.embedd.service.EmbedService;
import com.lakehouse.embedd.service.EmbeddingBackend;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * embedd's models in Ollama's listing shapes ({@code /api/tags}, {@code /api/show}, {@code /api/ps}). Ollama's
 * {@code digest} is the sha256 of a blob; here it is the sha256 of the model's identity (provider, name,
 * dimension), stable across restarts, which is what clients use it for. {@code modified_at} is when this embedd
 * started serving the model.
 */
@Singleton
public class OllamaModels {
    public record Details(String parentModel, String format, String family, List<String> families,
                          String parameterSize, String quantizationLevel) {
    }

    /** One /api/tags entry; {@code aliases} and {@code provider} are ours (clients ignore unknown fields). */
    public record Tag(String name, String model, Instant modifiedAt, long size, String digest, Details details,
                      List<String> aliases, String provider, String kind) {
    }

    public record Running(String name, String model, long size, String digest, Details details, Instant expiresAt,
                          long sizeVram) {
    }

    public record Show(String modelfile, String parameters, String template, Details details,
                       Map<String, Object> modelInfo, List<String> capabilities, Instant modifiedAt,
                       List<String> aliases) {
    }

    private final Instant since = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    @Inject
    EmbedService service;
    @Inject
    EmbeddConfig config;

    public List<Tag> tags() {
        List<Tag> out = new ArrayList<>();
        service.models().forEach((name, b) -> out.add(new Tag(tagged(name), tagged(name), since, size(b), digest(name, b),
                details(b), service.names().aliasesOf(name), b.provider(), "embedding")));
        return out;
    }

    public List<Running> running() {
        List<Running> out = new ArrayList<>();
        service.models().forEach((name, b) -> {
            if (b instanceof LocalModelBackend local && local.loaded()) {
                // in-process: it stays loaded for the life of the process (Ollama's keep_alive does not apply)
                out.add(new Running(tagged(name), tagged(name), size(b), digest(name, b), details(b),
                        Instant.parse("9999-12-31T23:59:59Z"), 0));
            }
        });
        return out;
    }

    public Show show(String name) {
        EmbeddingBackend b = service.models().get(name);
        Map<String, Object> info = new LinkedHashMap<>();
        String family = details(b).family();
        info.put("general.architecture", family);
        if (b instanceof LocalModelBackend) {
            info.put("general.parameter_count", 22_713_216L);
            info.put("bert.context_length", 512);
        }
        if (b.dimension() > 0) {
            info.put(family + ".embedding_length", b.dimension());
        }
        return new Show("", "", "", details(b), info, List.of("embedding"), since, service.names().aliasesOf(name));
    }

    public String apiVersion() {
        return config.ollamaApiVersion();
    }

    /** Ollama lists every model with its tag. */
    static String tagged(String name) {
        return name.contains(":") ? name : name + ":latest";
    }

    private static long size(EmbeddingBackend b) {
        return b instanceof LocalModelBackend local ? local.sizeBytes() : 0;
    }

    private static String digest(String name, EmbeddingBackend b) {
        return CanonicalJson.sha256(b.provider() + "\n" + name + "\n" + b.dimension());
    }

    /** The local model is the int8-quantized all-MiniLM-L6-v2 (a BERT) in ONNX; remote ones say only who serves them. */
    private static Details details(EmbeddingBackend b) {
        if (b instanceof LocalModelBackend) {
            return new Details("", "onnx", "bert", List.of("bert"), "22M", "Q8_0");
        }
        return new Details("", b.provider(), b.provider(), List.of(b.provider()), "", "");
    }
}

package com.lakehouse.chatd.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds a provider's API key: the configured value, else the provider's usual environment variables, else an
 * env-style key file. Keys are never logged or returned on the wire.
 */
public final class ProviderKeys {
    private ProviderKeys() {
    }

    /** The environment variables each provider's key is conventionally found in. */
    public static List<String> envNames(String provider) {
        return switch (provider) {
            case "kimi" -> List.of("KIMI_API_KEY", "MOONSHOT_API_KEY");
            case "opencode" -> List.of("OPENCODE_API_KEY");
            case "openrouter" -> List.of("OPENROUTER_API_KEY");
            case "ollama_cloud" -> List.of("OLLAMA_API_KEY");
            default -> List.of(); // local ollama needs no key; an explicit api-key is still sent
        };
    }

    public static Optional<String> resolve(String provider, Optional<String> configured, Optional<Path> keyFile,
                                           Map<String, String> env) {
        if (configured.isPresent() && !configured.get().isBlank()) {
            return Optional.of(configured.get().strip());
        }
        for (String name : envNames(provider)) {
            String v = env.get(name);
            if (v != null && !v.isBlank()) {
                return Optional.of(v.strip());
            }
        }
        if (keyFile.isPresent()) {
            return fromFile(keyFile.get(), envNames(provider));
        }
        return Optional.empty();
    }

    /** Reads {@code NAME=value} lines ({@code export}, quotes and comments allowed); the first known name wins. */
    static Optional<String> fromFile(Path file, List<String> names) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            return Optional.empty();
        }
        java.util.Map<String, String> found = new java.util.HashMap<>();
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ")) {
                line = line.substring(7).strip();
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String value = line.substring(eq + 1).strip();
            if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                    || value.startsWith("'") && value.endsWith("'"))) {
                value = value.substring(1, value.length() - 1);
            }
            found.put(line.substring(0, eq).strip(), value);
        }
        for (String name : names) {
            if (found.containsKey(name) && !found.get(name).isBlank()) {
                return Optional.of(found.get(name));
            }
        }
        String generic = found.get("API_KEY");
        return generic == null || generic.isBlank() ? Optional.empty() : Optional.of(generic);
    }
}

package com.lakehouse.validatord.store;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.lakehouse.validatord.service.TruthRule;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Truth rule files in a directory: {@code *.toml} with {@code [[rule]]} tables, {@code *.yaml}/{@code *.yml}
 * with a top-level {@code rules:} list (or a bare list). Files load in name order; an unknown key or an
 * incomplete rule fails the whole load with a message naming the file.
 */
public final class TruthRuleFiles {
    private static final ObjectMapper TOML = configure(new TomlMapper());
    private static final ObjectMapper YAML = configure(new YAMLMapper());

    private TruthRuleFiles() {
    }

    private static ObjectMapper configure(ObjectMapper m) {
        m.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
        m.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        return m;
    }

    public static List<TruthRule> load(Path dir) throws IOException {
        List<TruthRule> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            throw new IOException("truth-dir " + dir + " is not a directory");
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                return n.endsWith(".toml") || n.endsWith(".yaml") || n.endsWith(".yml");
            }).sorted().toList();
        }
        for (Path f : files) {
            out.addAll(parse(f.getFileName().toString(), Files.readString(f)));
        }
        return out;
    }

    /** Parses one file's text; the format follows the name's extension. */
    public static List<TruthRule> parse(String name, String text) throws IOException {
        boolean toml = name.toLowerCase(Locale.ROOT).endsWith(".toml");
        ObjectMapper m = toml ? TOML : YAML;
        JsonNode root;
        try {
            root = m.readTree(text);
        } catch (IOException e) {
            throw new IOException(name + ": " + message(e), e);
        }
        JsonNode list = root == null ? null : root.isArray() ? root : root.has("rule") ? root.get("rule") : root.get("rules");
        if (list == null || !list.isArray()) {
            throw new IOException(name + ": expected " + (toml ? "[[rule]] tables" : "a 'rules:' list"));
        }
        List<TruthRule> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            TruthRule r;
            try {
                r = m.treeToValue(list.get(i), TruthRule.class);
            } catch (IOException e) {
                throw new IOException(name + ": rule " + (i + 1) + ": " + message(e), e);
            }
            String problem = r.problem();
            if (problem != null) {
                throw new IOException(name + ": " + problem);
            }
            out.add(r.withSource(name));
        }
        return out;
    }

    private static String message(IOException e) {
        return e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    }
}

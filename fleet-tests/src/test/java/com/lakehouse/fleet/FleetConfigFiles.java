package com.lakehouse.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fleet's own configuration, read at test time so the deploy checks follow whoever changes it: each
 * daemon's application.properties and its systemd unit (memory limits, environment).
 */
final class FleetConfigFiles {
    static final Path ROOT = FleetSupport.root();
    static final List<String> DAEMONS = DeployFilesTest.DAEMONS;
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private FleetConfigFiles() {
    }

    static Properties properties(String daemon) throws IOException {
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(ROOT.resolve(daemon + "/src/main/resources/application.properties"))) {
            p.load(in);
        }
        return p;
    }

    static int httpPort(String daemon) throws IOException {
        return Integer.parseInt(properties(daemon).getProperty("quarkus.http.port").strip());
    }

    /** Daemons that keep state in S3 (build-time {@code lakehouse.s3.enabled=true}) and so need credentials. */
    static boolean usesS3(String daemon) throws IOException {
        return Boolean.parseBoolean(properties(daemon).getProperty("lakehouse.s3.enabled", "false").strip());
    }

    static String unit(String daemon) throws IOException {
        return Files.readString(ROOT.resolve("deploy/systemd/lakehouse-" + daemon + ".service"));
    }

    /** A systemd size (K, M, G, T suffixes are powers of 1024) in bytes. */
    static long systemdBytes(String daemon, String key) throws IOException {
        Matcher m = Pattern.compile("(?m)^" + key + "=([0-9]+)([KMGT]?)\\s*$").matcher(unit(daemon));
        if (!m.find()) {
            throw new AssertionError("lakehouse-" + daemon + ".service has no " + key + "= in bytes");
        }
        long n = Long.parseLong(m.group(1));
        int shift = switch (m.group(2)) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            case "T" -> 40;
            default -> 0;
        };
        return n << shift;
    }

    /** A Kubernetes memory quantity (Ki, Mi, Gi, Ti; or plain bytes) in bytes. */
    static long k8sBytes(String quantity) {
        Matcher m = Pattern.compile("([0-9]+)(Ki|Mi|Gi|Ti)?").matcher(quantity);
        if (!m.matches()) {
            throw new AssertionError("not a binary memory quantity: " + quantity);
        }
        long n = Long.parseLong(m.group(1));
        int shift = m.group(2) == null ? 0 : switch (m.group(2)) {
            case "Ki" -> 10;
            case "Mi" -> 20;
            case "Gi" -> 30;
            default -> 40;
        };
        return n << shift;
    }

    /**
     * The unit's own settings as environment variables: every {@code Environment=NAME=value} except the JVM
     * launch lines (JAVA_OPTS, the java binary) and what the image sets for every daemon (deploy/Dockerfile.jvm:
     * the JSON-logs switch, glibc's arena cap), which {@code DeployFilesTest} checks there.
     */
    static Map<String, String> unitSettings(String daemon) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : unit(daemon).lines().toList()) {
            if (line.startsWith("Environment=") && !line.startsWith("Environment=\"")) {
                String kv = line.substring("Environment=".length());
                String k = kv.substring(0, kv.indexOf('='));
                if (!List.of("LAKEHOUSE_JAVA", "QUARKUS_LOG_CONSOLE_JSON_ENABLED", "MALLOC_ARENA_MAX").contains(k)) {
                    env.put(k, kv.substring(kv.indexOf('=') + 1));
                }
            }
        }
        return env;
    }

    /** Every document of a multi-document YAML text (kubectl kustomize output). */
    static List<JsonNode> yamlDocuments(String text) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (YAMLParser parser = (YAMLParser) YAML.getFactory().createParser(text)) {
            var it = YAML.readValues(parser, JsonNode.class);
            while (it.hasNext()) {
                JsonNode n = it.next();
                if (n != null && !n.isNull() && !n.isMissingNode()) {
                    docs.add(n);
                }
            }
        }
        return docs;
    }
}

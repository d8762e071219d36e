package com.lakehouse.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The deploy files are checked by the tools that consume them (systemd-analyze, docker-compose) and against the
 * fleet's own config: ports from application.properties, state directories from the units.
 */
class DeployFilesTest {
    static final List<String> DAEMONS = List.of("gateway", "embedd", "vectord", "matrixd", "chatd", "validatord",
            "distilld", "replayd", "observerd", "pathwayd", "catalogd");
    static final Path ROOT = FleetSupport.root();
    static final Path SYSTEMD = ROOT.resolve("deploy/systemd");

    @Test
    void everyDaemonHasAHardenedUnitWithMemoryLimits() throws IOException {
        for (String d : DAEMONS) {
            Path unit = SYSTEMD.resolve("lakehouse-" + d + ".service");
            assertTrue(Files.exists(unit), "missing unit for " + d);
            String text = Files.readString(unit);
            for (String must : List.of("Type=simple", "User=lakehouse-" + d, "MemoryHigh=", "MemoryMax=",
                    "Restart=on-failure", "NoNewPrivileges=true", "ProtectSystem=strict", "ProtectHome=true",
                    "PrivateTmp=true", "EnvironmentFile=", "PartOf=lakehouse.target", "Environment=\"JAVA_OPTS=-Xmx",
                    "StateDirectory=lakehouse/" + d + "\n", "WorkingDirectory=/var/lib/lakehouse/" + d + "\n",
                    "CapabilityBoundingSet=\n", "SystemCallFilter=@system-service\n",
                    "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX\n", "ProtectProc=invisible\n", "UMask=0077\n",
                    "EnvironmentFile=-/opt/lakehouse/build.env\n")) {
                assertTrue(text.contains(must), unit.getFileName() + " lacks " + must.strip());
            }
            // Each daemon writes only its own state directory: no shared writable path, no dead settings.
            for (String mustNot : List.of("ReadWritePaths=", "LAKEHOUSE_DATA_DIR", "-Dlakehouse.")) {
                assertFalse(text.contains(mustNot), unit.getFileName() + " still has " + mustNot);
            }
            // Ordering only on what the project ships (and systemd's own network-online.target).
            for (String line : text.lines().filter(l -> l.startsWith("After=") || l.startsWith("Wants=")).toList()) {
                for (String dep : line.substring(line.indexOf('=') + 1).trim().split("\\s+")) {
                    assertTrue(dep.equals("network-online.target") || Files.exists(SYSTEMD.resolve(dep)),
                            unit.getFileName() + " orders on " + dep + ", which the project does not ship");
                }
            }
        }
        String target = Files.readString(SYSTEMD.resolve("lakehouse.target"));
        for (String d : DAEMONS) {
            assertTrue(target.contains("lakehouse-" + d + ".service"), "target does not pull in " + d);
        }
    }

    @Test
    void systemdAnalyzeVerifyFindsNothing() throws Exception {
        List<String> cmd = new ArrayList<>(List.of("systemd-analyze", "verify", "--man=no"));
        try (var files = Files.list(SYSTEMD)) {
            files.filter(p -> p.toString().endsWith(".service") || p.toString().endsWith(".target"))
                    .sorted().forEach(p -> cmd.add(p.toString()));
        }
        Result r = run(cmd);
        assertEquals(0, r.exit, r.output);
        // verify exits 0 on many warnings (a bad MemoryMax= is only "ignoring"): any output is a finding.
        assertEquals("", r.output.strip(), "systemd-analyze verify reported:\n" + r.output);
    }

    /** Every unit scores "OK" or better in systemd's own exposure analysis (the scores are in docs/operations.md). */
    @Test
    void systemdAnalyzeSecurityRatesEveryUnitOkOrBetter() throws Exception {
        for (String d : DAEMONS) {
            Path unit = SYSTEMD.resolve("lakehouse-" + d + ".service");
            Result r = run(List.of("systemd-analyze", "security", "--offline=yes", "--no-pager", unit.toString()));
            assertEquals(0, r.exit, r.output);
            var m = java.util.regex.Pattern.compile("Overall exposure level for \\S+: ([0-9.]+) (\\w+)")
                    .matcher(r.output);
            assertTrue(m.find(), "no exposure level for " + d + ":\n" + r.output);
            assertTrue(List.of("PERFECT", "SAFE", "OK").contains(m.group(2)),
                    d + " is rated " + m.group(1) + " " + m.group(2) + ", not OK or better");
        }
    }

    static final Path COMPOSE = ROOT.resolve("deploy/docker-compose.yml");
    static final Path MINIO = ROOT.resolve("deploy/docker-compose.minio.yml");

    /** deploy/.env.example with every required secret filled in, as ./lakehouse compose-env or an operator would. */
    static Path filledEnvFile(Path dir) throws IOException {
        String filled = Files.readString(ROOT.resolve("deploy/.env.example"))
                .replaceAll("(?m)^S3_ACCESS_KEY=$", "S3_ACCESS_KEY=lhtestaccess")
                .replaceAll("(?m)^S3_SECRET_KEY=$", "S3_SECRET_KEY=test-secret-0123456789")
                .replaceAll("(?m)^GRAFANA_ADMIN_PASSWORD=$", "GRAFANA_ADMIN_PASSWORD=test-grafana")
                .replaceAll("(?m)^LAKEHOUSE_API_KEY=$", "LAKEHOUSE_API_KEY=lh_test_operator")
                .replaceAll("(?m)^LAKEHOUSE_REPLAYD_KEY=$", "LAKEHOUSE_REPLAYD_KEY=lh_test_replayd");
        Path env = dir.resolve("compose.env");
        Files.writeString(env, filled);
        return env;
    }

    static Result compose(Path envFile, Path... files) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("docker-compose", "--env-file", envFile.toString()));
        for (Path f : files) {
            cmd.add("-f");
            cmd.add(f.toString());
        }
        cmd.add("config");
        ProcessBuilder pb = new ProcessBuilder(cmd);
        // Only the env file speaks: nothing from this shell's environment leaks into the rendering.
        pb.environment().keySet().removeIf(k -> k.startsWith("LAKEHOUSE_") || k.startsWith("S3_")
                || k.startsWith("GRAFANA_") || k.endsWith("_API_KEY"));
        return run(pb);
    }

    @Test
    void dockerComposeRefusesToRenderWithoutItsSecrets(@TempDir Path tmp) throws Exception {
        // The template has no values: compose names the first missing one and renders nothing.
        Result empty = compose(ROOT.resolve("deploy/.env.example"), COMPOSE);
        assertTrue(empty.exit != 0, "compose rendered with the empty template:\n" + empty.output);
        assertTrue(empty.output.contains("deploy/.env"), empty.output);
        Result none = compose(Files.writeString(tmp.resolve("none.env"), ""), COMPOSE);
        assertTrue(none.exit != 0, "compose rendered with no env file values");
        // No secret has a default in the file itself: a ${NAME:-value} default only for optional, empty keys.
        String text = Files.readString(COMPOSE) + Files.readString(MINIO);
        var defaults = java.util.regex.Pattern.compile("\\$\\{([A-Z_]*(KEY|PASSWORD|SECRET|USER)[A-Z_]*):-([^}]*)}")
                .matcher(text);
        while (defaults.find()) {
            assertEquals("", defaults.group(3), defaults.group(1) + " has a default value in the compose file");
        }
    }

    @Test
    void dockerComposeRunsTheWholeFleetWithItsStateOnVolumes(@TempDir Path tmp) throws Exception {
        Path env = filledEnvFile(tmp);
        Result r = compose(env, COMPOSE);
        assertEquals(0, r.exit, r.output);
        JsonNode cfg = FleetConfigFiles.YAML.readTree(r.output);
        JsonNode services = cfg.path("services");
        for (String s : List.of("s3", "ollama", "ollama-models", "prometheus", "grafana")) {
            assertTrue(services.has(s), "compose lacks " + s);
        }
        for (String d : DAEMONS) {
            JsonNode svc = services.path(d);
            assertTrue(svc.isObject(), "compose lacks " + d);
            JsonNode e = svc.path("environment");
            // JAVA_OPTS come from the unit through the image; ports are the daemon's own.
            assertFalse(e.has("JAVA_OPTS"), d + " sets JAVA_OPTS in compose: the image takes them from the unit");
            assertFalse(e.has("QUARKUS_HTTP_PORT"), d + " overrides its port in compose");
            assertEquals(d, svc.path("build").path("args").path("DAEMON").asText(), d + " image build arg");
            // Memory: the unit's figures, read now (another engineer may change them).
            assertEquals(FleetConfigFiles.systemdBytes(d, "MemoryMax"), composeBytes(svc.path("mem_limit").asText()),
                    d + " mem_limit vs the unit's MemoryMax");
            assertEquals(FleetConfigFiles.systemdBytes(d, "MemoryHigh"), composeBytes(svc.path("mem_reservation").asText()),
                    d + " mem_reservation vs the unit's MemoryHigh");
            int port = FleetConfigFiles.httpPort(d) + (d.equals("gateway") ? 12 : 0);
            assertEquals("http://127.0.0.1:" + port + "/q/health/ready", svc.path("healthcheck").path("test").get(3).asText(),
                    d + " health check");
            for (String peer : DAEMONS) {
                assertEquals("http://" + peer + ":" + FleetConfigFiles.httpPort(peer),
                        e.path("LAKEHOUSE_FLEET_" + peer.toUpperCase()).asText(), d + "'s URL of " + peer);
            }
            assertEquals("http://s3:9000", e.path("LAKEHOUSE_S3_ENDPOINT").asText(), d);
            assertEquals("lakehouse", e.path("LAKEHOUSE_S3_BUCKET").asText(), d);
            // S3 credentials only where S3 is used, and only from the env file.
            if (FleetConfigFiles.usesS3(d)) {
                assertEquals("lhtestaccess", e.path("LAKEHOUSE_S3_ACCESS_KEY").asText(), d);
                assertEquals("test-secret-0123456789", e.path("LAKEHOUSE_S3_SECRET_KEY").asText(), d);
            } else {
                assertFalse(e.has("LAKEHOUSE_S3_SECRET_KEY"), d + " gets S3 credentials it does not use");
            }
            // The unit's own settings (state directories) are the same here.
            FleetConfigFiles.unitSettings(d).forEach((k, v) -> {
                if (!k.equals("LAKEHOUSE_GIT_COMMIT")) {
                    assertEquals(v, e.path(k).asText(null), d + ": " + k + " differs between unit and compose");
                }
            });
        }
        // Local state that holds acknowledged writes is on named volumes.
        for (var vol : Map.of("vectord", "vectord-wal", "observerd", "observerd-spool", "catalogd", "catalogd-journal")
                .entrySet()) {
            String mount = vol.getValue() + ":/var/lib/lakehouse/" + vol.getKey();
            assertTrue(services.path(vol.getKey()).path("volumes").toString().contains(mount),
                    vol.getKey() + " lacks volume " + mount + ": " + services.path(vol.getKey()).path("volumes"));
            assertTrue(cfg.path("volumes").has(vol.getValue()), "volume " + vol.getValue() + " not declared");
        }
        // replayd calls through the gateway with a key the gateway accepts; both from the env file.
        String gatewayKeys = services.path("gateway").path("environment").path("LAKEHOUSE_GATEWAY_API_KEYS").asText();
        String replaydKey = services.path("replayd").path("environment").path("LAKEHOUSE_FLEET_GATEWAY_KEY").asText();
        assertEquals("lh_test_replayd", replaydKey);
        assertTrue(List.of(gatewayKeys.split(",")).contains(replaydKey), "gateway does not accept replayd's key");
        assertTrue(List.of(gatewayKeys.split(",")).contains("lh_test_operator"), gatewayKeys);
        // The gateway's /q/* on its management port (public port + 12), reachable by Prometheus in the compose network.
        JsonNode gw = services.path("gateway").path("environment");
        assertEquals("0.0.0.0", gw.path("QUARKUS_MANAGEMENT_HOST").asText());
        assertEquals(String.valueOf(FleetConfigFiles.httpPort("gateway") + 12), gw.path("QUARKUS_MANAGEMENT_PORT").asText());
        assertTrue(Files.readString(PROMETHEUS.resolve("prometheus-compose.yml"))
                .contains("'gateway:" + (FleetConfigFiles.httpPort("gateway") + 12) + "'"), "Prometheus does not scrape the gateway's management port");
        // Grafana: a login from the env file, no anonymous access.
        JsonNode grafana = services.path("grafana").path("environment");
        assertEquals("test-grafana", grafana.path("GF_SECURITY_ADMIN_PASSWORD").asText());
        assertEquals("false", grafana.path("GF_AUTH_ANONYMOUS_ENABLED").asText());
        // The default S3 server is SeaweedFS (maintained); its S3 gateway keeps the endpoint's port.
        for (String s : List.of("seaweedfs-master", "seaweedfs-volume", "seaweedfs-filer")) {
            assertTrue(services.path(s).path("image").asText().startsWith("chrislusf/seaweedfs:"), s);
        }
        JsonNode s3 = services.path("s3");
        assertTrue(s3.path("image").asText().startsWith("chrislusf/seaweedfs:"), "s3 is not SeaweedFS: " + s3);
        assertTrue(s3.path("command").toString().contains("weed s3 -filer=seaweedfs-filer:8888"), s3.toString());
        assertTrue(s3.path("command").toString().contains("-port=9000"), "the S3 gateway must keep the endpoint's port");
        assertEquals("lhtestaccess", s3.path("environment").path("S3_ACCESS_KEY").asText());
        // The init job pulls every Ollama model the compose config names.
        String pull = services.path("ollama-models").path("command").toString();
        for (String line : Files.readAllLines(ROOT.resolve("deploy/compose/embedd.properties"))) {
            var m = java.util.regex.Pattern.compile("^lakehouse\\.embedd\\.models\\.([^.]+)\\.provider=ollama$").matcher(line);
            if (m.find()) {
                assertTrue(pull.contains("ollama pull " + m.group(1)), "ollama-models does not pull " + m.group(1));
            }
        }
        assertTrue(pull.contains("OLLAMA_CHAT_MODEL"), pull);
    }

    @Test
    void dockerComposeMinioOverrideSwapsTheS3ServerBack(@TempDir Path tmp) throws Exception {
        Result r = compose(filledEnvFile(tmp), COMPOSE, MINIO);
        assertEquals(0, r.exit, r.output);
        JsonNode services = FleetConfigFiles.YAML.readTree(r.output).path("services");
        JsonNode s3 = services.path("s3");
        assertTrue(s3.path("image").asText().startsWith("minio/minio:"), "s3 is not MinIO: " + s3);
        assertFalse(s3.has("depends_on") && s3.path("depends_on").size() > 0, "MinIO must not wait on SeaweedFS: " + s3);
        assertFalse(s3.path("command").toString().contains("weed"), s3.toString());
        // MinIO's image has no curl: its health check is its own client.
        assertEquals("[\"CMD\",\"mc\",\"ready\",\"local\"]", s3.path("healthcheck").path("test").toString());
        for (String s : List.of("seaweedfs-master", "seaweedfs-volume", "seaweedfs-filer")) {
            assertEquals("[\"seaweedfs\"]", services.path(s).path("profiles").toString(), s + " still runs under MinIO");
        }
        assertEquals("http://s3:9000", services.path("vectord").path("environment").path("LAKEHOUSE_S3_ENDPOINT").asText());
    }

    /** A compose byte value: a number with an optional b, k, m, g suffix (powers of 1024). */
    static long composeBytes(String v) {
        var m = java.util.regex.Pattern.compile("([0-9]+)([bkmgBKMG]?)").matcher(v.strip());
        assertTrue(m.matches(), "not a compose byte value: '" + v + "'");
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2).toLowerCase()) {
            case "k" -> n << 10;
            case "m" -> n << 20;
            case "g" -> n << 30;
            default -> n;
        };
    }

    /** The build context: only what deploy/Dockerfile.jvm copies, never .run/ (local keys), env files or keys. */
    @Test
    void dockerignoreKeepsKeysAndBuildTreesOutOfTheImageContext() throws IOException {
        List<String> rules = Files.readAllLines(ROOT.resolve(".dockerignore")).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        for (String p : List.of(".run/lakehouse/api-key", ".run/t1/data/s3/lakehouse/x.parquet", "deploy/.env",
                "gateway/target/classes/application.properties", "gateway/src/main/java/X.java", "target/tools/s3proxy.jar",
                "datagen/target/datagen.jar", "vectord/target/quarkus-app/lib/tls.key", "chatd/target/quarkus-app/x.env",
                "bench/results/raw/run.txt", ".git/config")) {
            assertFalse(DockerIgnore.included(rules, p), p + " would be sent to the docker build");
        }
        String dockerfile = Files.readString(ROOT.resolve("deploy/Dockerfile.jvm"));
        var copies = java.util.regex.Pattern.compile("(?m)^COPY (?:--\\S+ )*(\\S+) ").matcher(dockerfile);
        int n = 0;
        while (copies.find()) {
            n++;
            for (String d : DAEMONS) {
                String src = copies.group(1).replace("${DAEMON}", d);
                String probe = src.endsWith("/") ? src + "quarkus-run.jar" : src;
                assertTrue(DockerIgnore.included(rules, probe), probe + " (COPY " + copies.group(1) + ") is excluded");
            }
        }
        assertTrue(n >= 2, "expected the Dockerfile to COPY the app and the unit");
        // JAVA_OPTS from one place: the image extracts the unit's line exactly as the launcher does.
        String extract = "sed -n 's/^Environment=\"JAVA_OPTS=\\(.*\\)\"$/\\1/p'";
        assertTrue(Files.readString(ROOT.resolve("lakehouse")).contains(extract), "the launcher no longer reads JAVA_OPTS with " + extract);
        assertTrue(dockerfile.contains(extract + " /opt/lakehouse/lakehouse-${DAEMON}.service"), "the image does not read the unit's JAVA_OPTS");
    }

    /** Docker's .dockerignore rules: a pattern matches a path or one of its parents; the last match decides. */
    static final class DockerIgnore {
        static boolean included(List<String> rules, String path) {
            boolean excluded = false;
            for (String rule : rules) {
                boolean negate = rule.startsWith("!");
                String pat = (negate ? rule.substring(1) : rule).replaceAll("/+$", "");
                if (matchesOrParent(pat, path)) {
                    excluded = !negate;
                }
            }
            return !excluded;
        }

        static boolean matchesOrParent(String pattern, String path) {
            var re = java.util.regex.Pattern.compile(toRegex(pattern));
            String p = path;
            while (true) {
                if (re.matcher(p).matches()) {
                    return true;
                }
                int slash = p.lastIndexOf('/');
                if (slash < 0) {
                    return false;
                }
                p = p.substring(0, slash);
            }
        }

        static String toRegex(String glob) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < glob.length(); i++) {
                char c = glob.charAt(i);
                if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                    boolean slash = i + 2 < glob.length() && glob.charAt(i + 2) == '/';
                    sb.append(slash ? "(?:.*/)?" : ".*");
                    i += slash ? 2 : 1;
                } else if (c == '*') {
                    sb.append("[^/]*");
                } else if (c == '?') {
                    sb.append("[^/]");
                } else {
                    sb.append(java.util.regex.Pattern.quote(String.valueOf(c)));
                }
            }
            return sb.toString();
        }
    }

    /** What every unit sets the same way (glibc's arena cap, JSON logs) the image sets for every daemon too. */
    @Test
    void theImageSetsWhatEveryUnitSets() throws Exception {
        String env = Files.readString(ROOT.resolve("deploy/Dockerfile.jvm")).lines()
                .filter(l -> l.startsWith("ENV ")).findFirst().orElse("");
        for (String setting : List.of("MALLOC_ARENA_MAX", "QUARKUS_LOG_CONSOLE_JSON_ENABLED")) {
            java.util.Set<String> values = new java.util.HashSet<>();
            for (String d : DAEMONS) {
                Files.readString(SYSTEMD.resolve("lakehouse-" + d + ".service")).lines()
                        .filter(l -> l.startsWith("Environment=" + setting + "="))
                        .forEach(l -> values.add(l.substring(l.indexOf('=', "Environment=".length()) + 1)));
            }
            assertEquals(1, values.size(), setting + " differs between units: " + values);
            assertTrue(env.contains(setting + "=" + values.iterator().next()), "the image does not set " + setting
                    + "=" + values + ": " + env);
        }
    }

    /** distilld's audit baselines record the real commit: the launcher, the units and the images all pass it. */
    @Test
    void everyDeployPathPassesTheGitCommit(@TempDir Path tmp) throws Exception {
        assertTrue(Files.readString(ROOT.resolve("lakehouse")).contains("-Dlakehouse.git-commit=$(git_commit)"),
                "the launcher does not pass lakehouse.git-commit");
        String dockerfile = Files.readString(ROOT.resolve("deploy/Dockerfile.jvm"));
        assertTrue(dockerfile.contains("ARG GIT_COMMIT") && dockerfile.contains("LAKEHOUSE_GIT_COMMIT=${GIT_COMMIT}"),
                "the image does not carry LAKEHOUSE_GIT_COMMIT");
        for (String d : DAEMONS) {
            assertTrue(Files.readString(SYSTEMD.resolve("lakehouse-" + d + ".service"))
                    .contains("EnvironmentFile=-/opt/lakehouse/build.env"), d + " unit does not read build.env");
        }
        Result r = compose(filledEnvFile(tmp), COMPOSE);
        assertEquals(0, r.exit, r.output);
        JsonNode services = FleetConfigFiles.YAML.readTree(r.output).path("services");
        for (String d : DAEMONS) {
            assertTrue(services.path(d).path("build").path("args").has("GIT_COMMIT"), d + " image built without GIT_COMMIT");
        }
        // distilld reads it: its git-commit knob defaults to the fleet-wide key.
        assertTrue(Files.readString(ROOT.resolve("distilld/src/main/java/com/lakehouse/distilld/config/DistilldConfig.java"))
                .contains("@WithDefault(\"${lakehouse.git-commit:unknown}\")"), "distilld does not read lakehouse.git-commit");
    }

    static final Path PROMETHEUS = ROOT.resolve("deploy/prometheus");

    /** promtool (Debian's prometheus package): both scrape configs load the rules, the rules parse and pass their unit tests. */
    @Test
    void prometheusAlertRulesPassPromtool() throws Exception {
        for (String config : List.of("prometheus.yml", "prometheus-compose.yml")) {
            Result r = run(new ProcessBuilder("promtool", "check", "config", config).directory(PROMETHEUS.toFile()));
            assertEquals(0, r.exit, r.output);
            assertTrue(r.output.contains("1 rule files found"), config + " does not load alerts.yml:\n" + r.output);
        }
        Result check = run(new ProcessBuilder("promtool", "check", "rules", "alerts.yml").directory(PROMETHEUS.toFile()));
        assertEquals(0, check.exit, check.output);
        Result test = run(new ProcessBuilder("promtool", "test", "rules", "alerts.test.yml").directory(PROMETHEUS.toFile()));
        assertEquals(0, test.exit, test.output);
        assertTrue(test.output.contains("SUCCESS"), test.output);
    }

    /** Every metric an alert reads is one the fleet exports: its Micrometer name is registered in the code. */
    @Test
    void alertRulesReadMetricsTheFleetExports() throws Exception {
        JsonNode rules = FleetConfigFiles.YAML.readTree(PROMETHEUS.resolve("alerts.yml").toFile());
        StringBuilder code = new StringBuilder();
        for (String module : concat(DAEMONS, List.of("common-contracts"))) {
            try (var files = Files.walk(ROOT.resolve(module + "/src/main/java"))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    code.append(Files.readString(f));
                }
            }
        }
        java.util.Set<String> alerts = new java.util.TreeSet<>();
        for (JsonNode group : rules.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                alerts.add(rule.path("alert").asText());
                for (String metric : com.lakehouse.fleet.ops.PromQl.metricNames(rule.path("expr").asText())) {
                    if (metric.equals("up")) {
                        continue; // Prometheus' own, per scrape target
                    }
                    String dotted = metric.replaceAll("_seconds_(bucket|count|sum|max)$", "").replaceAll("_total$", "")
                            .replace('_', '.');
                    assertTrue(code.indexOf("\"" + dotted + "\"") >= 0 || builtIn(dotted),
                            rule.path("alert").asText() + " reads " + metric + ", but no daemon registers \"" + dotted + "\"");
                }
            }
        }
        // The p99 alerts need latency buckets on Quarkus' HTTP timer: common-contracts' LatencyHistograms adds them.
        assertTrue(code.indexOf("HTTP_SERVER_REQUESTS = \"http.server.requests\"") >= 0, "no latency buckets on http.server.requests");
        for (String must : List.of("LakehouseDaemonDown", "LakehouseGatewayBreakerOpen", "LakehouseHigh5xxRate",
                "LakehouseP99OverTarget", "LakehouseObservedOperationsDropped", "LakehouseVectordUnsavedWritesGrowing")) {
            assertTrue(alerts.contains(must), "missing alert " + must + ": " + alerts);
        }
        String down = Files.readString(PROMETHEUS.resolve("alerts.yml"));
        for (String d : DAEMONS) {
            assertTrue(down.contains("|" + d + "|") || down.contains("\"" + d + "|") || down.contains("|" + d + "\""),
                    "LakehouseDaemonDown does not cover " + d);
        }
    }

    static boolean builtIn(String dotted) {
        return dotted.equals("http.server.requests"); // Quarkus' HTTP server binder
    }

    static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    record Result(int exit, String output) {
    }

    static Result run(List<String> cmd) throws Exception {
        return run(new ProcessBuilder(cmd));
    }

    static Result run(ProcessBuilder pb) throws Exception {
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timed out: " + pb.command());
        return new Result(p.exitValue(), out);
    }
}

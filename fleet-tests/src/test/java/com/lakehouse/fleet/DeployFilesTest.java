package com.lakehouse.fleet;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The deploy files are checked by the tools that consume them: systemd-analyze and docker-compose. */
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

    @Test
    void dockerComposeFileIsValidAndHasTheWholeFleet() throws Exception {
        Path compose = ROOT.resolve("deploy/docker-compose.yml");
        ProcessBuilder pb = new ProcessBuilder("docker-compose", "-f", compose.toString(), "config", "--services");
        pb.environment().put("LAKEHOUSE_API_KEY", "compose-check");
        Result r = run(pb);
        assertEquals(0, r.exit, r.output);
        List<String> services = r.output.lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
        for (String s : List.of("minio", "ollama", "prometheus", "grafana")) {
            assertTrue(services.contains(s), "compose lacks " + s + ": " + services);
        }
        for (String d : DAEMONS) {
            assertTrue(services.contains(d), "compose lacks " + d + ": " + services);
        }
        // Without a gateway key compose refuses to render: the fleet is never started open by accident.
        ProcessBuilder noKey = new ProcessBuilder("docker-compose", "-f", compose.toString(), "config", "-q");
        noKey.environment().remove("LAKEHOUSE_API_KEY");
        assertTrue(run(noKey).exit != 0, "compose rendered without LAKEHOUSE_API_KEY");
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

package com.lakehouse.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A whole fleet for one test class: started through {@code ./lakehouse up} on a stack of its own (own bucket,
 * ports, run directory), from the jars the reactor already packaged, and stopped through {@code down}.
 */
public final class FleetSupport implements AutoCloseable {
    public static final Map<String, Integer> OFFSETS = Map.ofEntries(
            Map.entry("gateway", 0), Map.entry("embedd", 1), Map.entry("vectord", 2), Map.entry("matrixd", 3),
            Map.entry("chatd", 4), Map.entry("validatord", 5), Map.entry("distilld", 6), Map.entry("replayd", 7),
            Map.entry("observerd", 8), Map.entry("pathwayd", 9), Map.entry("catalogd", 10));
    static final ObjectMapper JSON = new ObjectMapper();

    private final String stack;
    private final int portBase;
    private final Path runDir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private String apiKey;
    private final Map<String, String> env = new java.util.HashMap<>();

    private FleetSupport(String stack, int portBase) {
        this.stack = stack;
        this.portBase = portBase;
        this.runDir = root().resolve(".run").resolve(stack);
    }

    /** Starts a fleet on a fresh stack; extra launcher args (e.g. --no-demo) and extra JVM options for all daemons. */
    public static FleetSupport start(String prefix, List<String> launcherArgs, String extraOpts) {
        return start(prefix, launcherArgs, extraOpts, Map.of());
    }

    /** As above, with extra environment for the launcher (e.g. LAKEHOUSE_DEMO_SIZES). */
    public static FleetSupport start(String prefix, List<String> launcherArgs, String extraOpts, Map<String, String> env) {
        String stack = prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
        FleetSupport f = new FleetSupport(stack, freePortBlock());
        List<String> cmd = new ArrayList<>(List.of("bash", root().resolve("lakehouse").toString(), "up",
                "--stack", stack, "--port-base", String.valueOf(f.portBase), "--no-build"));
        cmd.addAll(launcherArgs);
        f.env.put("LAKEHOUSE_AOT", "use"); // AOT caches if there are any, no training run: `down` stays short
        f.env.putAll(env);
        LauncherResult r = f.launcher(cmd, extraOpts, Duration.ofMinutes(12));
        if (r.exit != 0) {
            String logs = f.tailLogs();
            f.close();
            throw new IllegalStateException("./lakehouse up failed (" + r.exit + "):\n" + r.output + "\n" + logs);
        }
        try {
            f.apiKey = Files.readString(f.runDir.resolve("api-key")).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return f;
    }

    public record LauncherResult(int exit, String output) {
    }

    public LauncherResult launcher(List<String> cmd, String extraOpts, Duration timeout) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(root().toFile()).redirectErrorStream(true);
            pb.environment().putAll(env);
            if (extraOpts != null) {
                pb.environment().put("LAKEHOUSE_EXTRA_OPTS", extraOpts);
            }
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new LauncherResult(-1, out + "\n(timed out)");
            }
            return new LauncherResult(p.exitValue(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public LauncherResult restart(String daemon) {
        return launcher(List.of("bash", root().resolve("lakehouse").toString(), "restart", daemon, "--stack", stack),
                null, Duration.ofMinutes(3));
    }

    /** {@code ./lakehouse demo} on this stack. */
    public LauncherResult demo(List<String> args) {
        List<String> cmd = new ArrayList<>(List.of("bash", root().resolve("lakehouse").toString(), "demo", "--stack", stack));
        cmd.addAll(args);
        return launcher(cmd, null, Duration.ofMinutes(10));
    }

    /** An object of this stack's bucket, read from the embedded S3 server's filesystem store. */
    public Path s3Object(String key) {
        return runDir.resolve("data/s3").resolve(stack).resolve(key);
    }

    public String stack() {
        return stack;
    }

    public String apiKey() {
        return apiKey;
    }

    public Path runDir() {
        return runDir;
    }

    public String url(String daemon) {
        return "http://127.0.0.1:" + (portBase + OFFSETS.get(daemon));
    }

    public String gateway() {
        return url("gateway");
    }

    /** Where a daemon serves /q/*: the gateway on its loopback management port (port base + 12), the rest on their own. */
    public String managementUrl(String daemon) {
        return "gateway".equals(daemon) ? "http://127.0.0.1:" + (portBase + 12) : url(daemon);
    }

    public long pid(String daemon) {
        try {
            return Long.parseLong(Files.readString(runDir.resolve("pids").resolve(daemon + ".pid")).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** kill -9 of one daemon, by the pid the launcher recorded. */
    public void kill9(String daemon) {
        ProcessHandle.of(pid(daemon)).ifPresent(ProcessHandle::destroyForcibly);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (ProcessHandle.of(pid(daemon)).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
            sleep(50);
        }
    }

    public HttpResponse<String> get(String url, String key) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET();
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return send(b.build());
    }

    public HttpResponse<String> post(String url, String key, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return send(b.build());
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON (" + r.statusCode() + "): " + r.body(), e);
        }
    }

    public String tailLogs() {
        StringBuilder sb = new StringBuilder();
        try (var files = Files.list(runDir.resolve("logs"))) {
            for (Path p : files.sorted().toList()) {
                List<String> lines = Files.readAllLines(p);
                sb.append("== ").append(p.getFileName()).append('\n');
                lines.subList(Math.max(0, lines.size() - 15), lines.size()).forEach(l -> sb.append(l).append('\n'));
            }
        } catch (IOException e) {
            sb.append("(no logs: ").append(e.getMessage()).append(")");
        }
        return sb.toString();
    }

    @Override
    public void close() {
        launcher(List.of("bash", root().resolve("lakehouse").toString(), "down", "--stack", stack), null,
                Duration.ofMinutes(2));
    }

    /** The repository root: the nearest parent holding the launcher. */
    public static Path root() {
        String prop = System.getProperty("lakehouse.root");
        if (prop != null && Files.exists(Path.of(prop, "lakehouse"))) {
            return Path.of(prop).toAbsolutePath();
        }
        Path here = Path.of("").toAbsolutePath();
        while (here != null && !Files.exists(here.resolve("lakehouse"))) {
            here = here.getParent();
        }
        if (here == null) {
            throw new IllegalStateException("cannot find the repository root (the ./lakehouse launcher)");
        }
        return here;
    }

    /** A base port with the 12 ports after it free right now (daemons + embedded S3). */
    static int freePortBlock() {
        for (int attempt = 0; attempt < 200; attempt++) {
            // Below the ephemeral range (32768+), where client sockets could take a port between check and use.
            int base = 20000 + (int) (Math.random() * 12000);
            boolean free = true;
            for (int i = 0; i < 13 && free; i++) {
                try (ServerSocket s = new ServerSocket(base + i, 1, java.net.InetAddress.getLoopbackAddress())) {
                    s.setReuseAddress(true);
                } catch (IOException e) {
                    free = false;
                }
            }
            if (free) {
                return base;
            }
        }
        throw new IllegalStateException("no free block of 12 ports");
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

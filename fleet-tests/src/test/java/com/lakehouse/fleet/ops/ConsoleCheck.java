package com.lakehouse.fleet.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The console page in a real browser: runs {@code fleet-tests/console/console-test.mjs} (playwright-core driving
 * Debian's {@code /usr/bin/chromium}; no browser download) against a running gateway.
 *
 * <pre>
 *   JsonNode s = ConsoleCheck.run(fleet.gateway(), fleet.apiKey(),
 *           FleetSupport.root().resolve("fleet-tests/target/console/console.png"));
 *   assertEquals(11, s.path("daemons_ready").asInt());
 * </pre>
 *
 * Runs {@code npm ci} first when {@code node_modules} is missing. Fails (AssertionError with the script's output)
 * unless the script exits 0; answers the script's JSON summary ({@code daemons_ready, uptime_shown, memory_shown,
 * rates_shown, recent_ops, recent_ops_newest_first, search_results, gate_shown, observer_total, journal_events, ...}).
 * The screenshot is kept at the given path.
 */
public final class ConsoleCheck {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ConsoleCheck() {
    }

    public static JsonNode run(String gatewayUrl, String apiKey, Path screenshot) {
        return run(gatewayUrl, apiKey, screenshot, List.of());
    }

    /** As above with extra script flags, e.g. {@code --allow-down} or {@code --query "..."}. */
    public static JsonNode run(String gatewayUrl, String apiKey, Path screenshot, List<String> extraArgs) {
        return script("console-test.mjs", gatewayUrl, apiKey, screenshot, extraArgs);
    }

    /**
     * The staffing desk ({@code desk-test.mjs}): fills a demo job order end to end by hand, and with
     * {@code --model provider/model} a second one through the model; screenshots go to {@code screenshotDir}
     * (desk.png, desk-refused.png, desk-model.png). Answers the script's summary ({@code picked, refused_codes,
     * boosted, history_ops, model, ...}).
     */
    public static JsonNode desk(String gatewayUrl, String apiKey, Path screenshotDir, List<String> extraArgs) {
        return script("desk-test.mjs", gatewayUrl, apiKey, screenshotDir.resolve("desk.png"), extraArgs);
    }

    private static JsonNode script(String script, String gatewayUrl, String apiKey, Path screenshot, List<String> extraArgs) {
        Path dir = consoleDir();
        if (!Files.isDirectory(dir.resolve("node_modules/playwright-core"))) {
            Result ci = exec(dir, List.of("npm", "ci", "--no-audit", "--no-fund"), 300);
            if (ci.exit != 0) {
                throw new AssertionError("npm ci in " + dir + " failed (" + ci.exit + "):\n" + ci.out + ci.err);
            }
        }
        try {
            Files.createDirectories(screenshot.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // desk-test.mjs takes the directory of its screenshots, console-test.mjs the file
        String shot = script.equals("desk-test.mjs") ? screenshot.toAbsolutePath().getParent().toString()
                : screenshot.toAbsolutePath().toString();
        List<String> cmd = new ArrayList<>(List.of("node", script, gatewayUrl, apiKey, shot));
        cmd.addAll(extraArgs);
        Result r = exec(dir, cmd, 240);
        if (r.exit != 0) {
            throw new AssertionError(script + " failed (exit " + r.exit + "):\n" + r.err + "\nsummary: " + r.out);
        }
        String line = r.out.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("console test printed no JSON summary:\n" + r.out + r.err));
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new AssertionError("console test summary is not JSON: " + line, e);
        }
    }

    /** fleet-tests/console under the repository root. */
    public static Path consoleDir() {
        return com.lakehouse.fleet.FleetSupport.root().resolve("fleet-tests/console");
    }

    record Result(int exit, String out, String err) {
    }

    static Result exec(Path dir, List<String> cmd, long timeoutSeconds) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
            pb.environment().put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
            Process p = pb.start();
            p.getOutputStream().close();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                return new Result(-1, out.getNow(""), err.getNow("") + "\n(timed out after " + timeoutSeconds + " s: " + cmd.get(0) + ")");
            }
            return new Result(p.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new AssertionError("cannot run " + String.join(" ", cmd.subList(0, Math.min(2, cmd.size())))
                    + " (is nodejs installed?): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}

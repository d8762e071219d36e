package com.lakehouse.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fleet as real processes, one stack for the whole class (started through ./lakehouse up with a small demo
 * data set and chatd pointed at a fake OpenAI upstream): eleven daemons ready behind the gateway; gateway
 * errors; the end-to-end staffing flow of ./lakehouse demo; then kill -9 of one daemon (its routes answer 503
 * problem+json fast while others keep answering) and its restart alone.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetTest {
    static FleetSupport fleet;
    static FakeOpenAiChat chat;
    /** The chat model clients ask for: kimi (the fake OpenAI-wire upstream), listed by /v1/models and /api/tags. */
    static final String CHAT_MODEL = "kimi/fake-model";

    @BeforeAll
    static void up() {
        chat = new FakeOpenAiChat();
        fleet = FleetSupport.start("ft", List.of(),
                "-Dlakehouse.chatd.providers.kimi.base-url=" + chat.baseUrl() + " -Dlakehouse.chatd.providers.kimi.api-key=fake-key"
                        + " -Dlakehouse.chatd.providers.kimi.models=" + CHAT_MODEL.substring("kimi/".length()),
                Map.of("LAKEHOUSE_DEMO_SIZES", "--workers 2000 --jobs 200 --playbooks 300 --runs 200"));
    }

    @AfterAll
    static void down() {
        if (fleet != null) {
            fleet.close();
        }
        if (chat != null) {
            chat.close();
        }
    }

    @Test
    @Order(1)
    void fleetHealthReportsElevenReady() {
        HttpResponse<String> r = fleet.get(fleet.gateway() + "/v1/fleet/health", fleet.apiKey());
        assertEquals(200, r.statusCode(), r.body());
        JsonNode body = FleetSupport.json(r);
        assertEquals(11, body.path("ready_count").asInt(), r.body());
        assertEquals(11, body.path("daemons").size(), r.body());
    }

    @Test
    @Order(2)
    void gatewayErrorsAreProblemsWithRequestIds() {
        HttpResponse<String> noKey = fleet.get(fleet.gateway() + "/v1/vectors/index", null);
        assertProblem(noKey, 401);
        HttpResponse<String> wrongKey = fleet.get(fleet.gateway() + "/v1/vectors/index", "not-the-key");
        assertProblem(wrongKey, 401);
        HttpResponse<String> unknown = fleet.get(fleet.gateway() + "/v1/no-such-route", fleet.apiKey());
        assertProblem(unknown, 404);
        HttpResponse<String> tooBig = fleet.post(fleet.gateway() + "/v1/embed", fleet.apiKey(),
                "{\"texts\":[\"" + "x".repeat(17 * 1024 * 1024) + "\"]}");
        assertProblem(tooBig, 413);
        HttpResponse<String> open = fleet.get(fleet.gateway() + "/health", null);
        assertEquals(200, open.statusCode(), open.body());
        // Issue 25: /q/* is on the gateway's loopback management port only, never on its public port.
        assertEquals(401, fleet.get(fleet.gateway() + "/q/metrics", null).statusCode());
        assertEquals(404, fleet.get(fleet.gateway() + "/q/metrics", fleet.apiKey()).statusCode());
        HttpResponse<String> mgmt = fleet.get(fleet.managementUrl("gateway") + "/q/metrics", null);
        assertEquals(200, mgmt.statusCode(), mgmt.body());
        assertTrue(mgmt.body().contains("gateway_upstream"), mgmt.body());
    }

    /** Issue 14: the main job end to end through the gateway, with a model that first gets it wrong. */
    @Test
    @Order(3)
    void theStaffingFlowEndToEnd() throws Exception {
        Path summaryFile = fleet.runDir().resolve("demo-summary.json");
        FleetSupport.LauncherResult r = fleet.demo(List.of("--model", "kimi/fake-model", "--summary", summaryFile.toString()));
        assertEquals(0, r.exit(), r.output());
        JsonNode s = FleetSupport.JSON.readTree(summaryFile.toFile());
        String role = s.path("job").path("role").asText();

        // The gate held: every candidate the search returned has the job's role.
        JsonNode results = s.path("search").path("results");
        assertTrue(results.size() >= 2, r.output());
        for (JsonNode hit : results) {
            assertTrue(role.equalsIgnoreCase(hit.path("metadata").path("role").asText()), "gate let through " + hit);
        }
        assertTrue(s.path("search").path("gate").path("query_role").asText("").length() > 0, s.path("search").toString());

        // The planted violations were caught and corrected on the second attempt.
        JsonNode fill = s.path("fill");
        assertEquals(200, fill.path("status").asInt(), fill.toString());
        assertEquals(2, fill.path("body").path("iterations").asInt(), fill.toString());
        assertTrue(fill.path("body").path("history").get(0).toString().contains(FakeOpenAiChat.PHANTOM), fill.toString());
        assertTrue(!fill.path("body").path("artifact").toString().contains(FakeOpenAiChat.PHANTOM));
        JsonNode email = s.path("email");
        assertEquals(200, email.path("status").asInt(), email.toString());
        assertEquals(2, email.path("body").path("iterations").asInt(), email.toString());
        assertTrue(!email.path("body").path("artifact").toString().contains(FakeOpenAiChat.SSN));

        // The operations were captured.
        JsonNode stats = FleetSupport.json(fleet.get(fleet.gateway() + "/v1/observer/stats", fleet.apiKey()));
        for (String source : List.of("matrixd", "validatord", "chatd")) {
            assertTrue(stats.path("by_source").path(source).asLong() > 0, source + " not captured: " + stats);
        }

        // The SFT export never carries the bad attempts; the preference export pairs bad against good.
        String sft = Files.readString(fleet.s3Object("distill/exports/sft/instruction_response.jsonl"));
        assertTrue(!sft.contains(FakeOpenAiChat.PHANTOM) && !sft.contains(FakeOpenAiChat.SSN), "SFT leak");
        String pref = Files.readString(fleet.s3Object("distill/exports/preference/chosen_rejected.jsonl"));
        boolean paired = pref.lines().map(l -> {
            try {
                return FleetSupport.JSON.readTree(l);
            } catch (Exception e) {
                throw new AssertionError(l, e);
            }
        }).anyMatch(p -> p.path("rejected").toString().contains(FakeOpenAiChat.PHANTOM)
                && !p.path("chosen").toString().contains(FakeOpenAiChat.PHANTOM));
        assertTrue(paired, "no preference pair of the phantom fill against its correction:\n" + pref);

        // Replaying what was just done finds no regression.
        JsonNode verdicts = s.path("replay").path("verdicts");
        assertTrue(s.path("replay").path("replayed").asInt() > 0, s.path("replay").toString());
        assertEquals(0, verdicts.path("regressed").asInt(0), verdicts.toString());
    }

    /**
     * Issue 13: Prometheus (Debian's) scrapes all eleven daemons and finds every series the Grafana dashboards
     * query (after the flow above made the traffic that creates them); the console page works in a real
     * headless Chromium, with a screenshot kept under fleet-tests/target/console/.
     */
    @Test
    @Order(4)
    void prometheusAndTheConsoleSeeTheWholeFleet() {
        com.lakehouse.fleet.ops.PrometheusCheck.assertScrapesFleet(fleet.runDir().resolve("prometheus"),
                com.lakehouse.fleet.ops.PrometheusCheck.fleetUrls(fleet));
        JsonNode console = com.lakehouse.fleet.ops.ConsoleCheck.run(fleet.gateway(), fleet.apiKey(),
                FleetSupport.root().resolve("fleet-tests/target/console/console.png"));
        assertEquals(11, console.path("daemons_ready").asInt(), console.toString());
        assertTrue(console.path("search_results").asInt() > 0, console.toString());
        assertTrue(console.path("gate_shown").asBoolean(), console.toString());
        assertTrue(console.path("embed_cache_shown").asBoolean(), console.toString());
        assertTrue(console.path("journal_tail").asBoolean(), console.toString());
        // per-daemon uptime, heap and request rate from /v1/fleet/metrics, for all eleven
        assertEquals(11, console.path("uptime_shown").asInt(), console.toString());
        assertEquals(11, console.path("memory_shown").asInt(), console.toString());
        assertEquals(11, console.path("rates_shown").asInt(), console.toString());
        // the flow above was observed: the recent operations table lists some, newest first
        assertTrue(console.path("recent_ops").asInt() > 0, console.toString());
        assertTrue(console.path("recent_ops_newest_first").asBoolean(), console.toString());
        // issue 21: the metrics history drawn as five charts with points; observer stats and the journal as tables
        assertEquals(5, console.path("charts_drawn").asInt(), console.toString());
        assertTrue(console.path("observer_sources").asInt() > 0, console.toString());
        assertTrue(console.path("journal_newest_first").asBoolean(), console.toString());
    }

    /**
     * Issue 21: the staffing desk in a real headless Chromium fills a demo job order by hand (a planted SSN refused,
     * the clean draft confirmed, the re-run search showing the playbook boost, History with the operations behind
     * the fill), then a second one through the fake chat upstream. Screenshots under fleet-tests/target/desk/.
     */
    @Test
    @Order(4)
    void theDeskFillsADemoOrderFromTheBrowser() {
        JsonNode desk = com.lakehouse.fleet.ops.ConsoleCheck.desk(fleet.gateway(), fleet.apiKey(),
                FleetSupport.root().resolve("fleet-tests/target/desk"), List.of("--model", "kimi/fake-model"));
        assertEquals(2, desk.path("picked").size(), desk.toString());
        assertTrue(desk.path("refused_codes").toString().contains("ssn_detected"), desk.toString());
        assertEquals(2, desk.path("boosted").size(), desk.toString());
        assertTrue(desk.path("history_ops").asInt() > 0, desk.toString());
        assertTrue(desk.path("model").path("confirmed").asText().startsWith("confirmed"), desk.toString());
    }

    @Test
    @Order(5)
    void killedDaemonAnswers503FastWhileOthersServe() {
        fleet.kill9("vectord");
        long t0 = System.nanoTime();
        HttpResponse<String> down = fleet.get(fleet.gateway() + "/v1/vectors/index", fleet.apiKey());
        long ms = Duration.ofNanos(System.nanoTime() - t0).toMillis();
        assertProblem(down, 503);
        assertTrue(ms < 2000, "503 took " + ms + " ms");
        HttpResponse<String> other = fleet.get(fleet.gateway() + "/v1/observer/stats", fleet.apiKey());
        assertEquals(200, other.statusCode(), other.body());
        JsonNode health = FleetSupport.json(fleet.get(fleet.gateway() + "/v1/fleet/health", fleet.apiKey()));
        assertEquals(10, health.path("ready_count").asInt(), health.toString());
    }

    @Test
    @Order(6)
    void restartBringsTheDaemonBackWithoutTouchingOthers() {
        long observerPid = fleet.pid("observerd");
        long gatewayPid = fleet.pid("gateway");
        FleetSupport.LauncherResult r = fleet.restart("vectord");
        assertEquals(0, r.exit(), r.output());
        assertEquals(observerPid, fleet.pid("observerd"));
        assertEquals(gatewayPid, fleet.pid("gateway"));
        // The breaker may still be open for a moment after the daemon is back; it closes on the next probe.
        HttpResponse<String> back = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            back = fleet.get(fleet.gateway() + "/v1/vectors/index", fleet.apiKey());
            if (back.statusCode() == 200) {
                break;
            }
            FleetSupport.sleep(500);
        }
        assertNotNull(back);
        assertEquals(200, back.statusCode(), back.body());
        JsonNode health = FleetSupport.json(fleet.get(fleet.gateway() + "/v1/fleet/health", fleet.apiKey()));
        assertEquals(11, health.path("ready_count").asInt(), health.toString());
    }

    /**
     * Issue 20: real clients unchanged through the gateway with the stack's key: the OpenAI Java SDK, LangChain4j
     * (Ollama and OpenAI models), and the npm ollama and openai packages; embeddings from embedd's local model,
     * chat from the fake kimi upstream.
     */
    @Test
    @Order(7)
    void realClientLibrariesWorkThroughTheGateway() {
        com.lakehouse.fleet.ops.ClientsCheck.openAiJava(fleet.gateway(), fleet.apiKey(), CHAT_MODEL);
        com.lakehouse.fleet.ops.ClientsCheck.langChain4j(fleet.gateway(), fleet.apiKey(), CHAT_MODEL);
        JsonNode node = com.lakehouse.fleet.ops.ClientsCheck.node(fleet.gateway(), fleet.apiKey(), CHAT_MODEL);
        assertEquals("ok", node.path("ollama").asText(), node.toString());
        assertEquals("ok", node.path("openai").asText(), node.toString());
    }

    /**
     * Issue 25: no secret on any daemon's command line, key files of mode 0600 holding hashes, a scoped key added
     * by the launcher works at once within its scope, observed operations name the key and never hold it.
     */
    @Test
    @Order(8)
    void secretsStayOffArgvAndKeysAreScoped() throws Exception {
        String replaydKey = Files.readString(fleet.runDir().resolve("replayd.env")).strip().replaceFirst("^[A-Z_]+=", "");
        for (String d : FleetSupport.OFFSETS.keySet()) {
            String cmdline = Files.readString(Path.of("/proc/" + fleet.pid(d) + "/cmdline")).replace('\0', ' ');
            assertTrue(!cmdline.contains(fleet.apiKey()) && !cmdline.contains(replaydKey) && !cmdline.contains("lh_"),
                    d + " has a key on its command line: " + cmdline);
        }
        for (String f : List.of("api-key", "api-keys", "replayd.env", "redaction.key")) {
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(fleet.runDir().resolve(f))), f);
        }
        assertTrue(!Files.readString(fleet.runDir().resolve("api-keys")).contains(fleet.apiKey()), "the key file holds hashes");

        FleetSupport.LauncherResult added = fleet.launcher(List.of("bash", FleetSupport.root().resolve("lakehouse").toString(),
                "key", "add", "reader", "--scope", "read", "--stack", fleet.stack()), null, Duration.ofSeconds(30));
        assertEquals(0, added.exit(), added.output());
        String reader = added.output().lines().filter(l -> l.startsWith("lh_")).findFirst().orElseThrow();
        HttpResponse<String> read = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            read = fleet.get(fleet.gateway() + "/v1/observer/stats", reader);
            if (read.statusCode() == 200) {
                break;
            }
            FleetSupport.sleep(500);
        }
        assertEquals(200, read.statusCode(), read.body());
        assertProblem(fleet.post(fleet.gateway() + "/v1/observer/event", reader, "{\"endpoint\":\"/x\"}"), 403);

        // an observed operation made with the default key names it, and nothing at rest holds the key
        HttpResponse<String> v = fleet.post(fleet.gateway() + "/v1/pathway/search", fleet.apiKey(),
                "{\"query\":\"SSN 457-55-5462 key " + fleet.apiKey() + "\"}");
        assertEquals(200, v.statusCode(), v.body());
        assertEquals(200, fleet.post(fleet.gateway() + "/v1/observer/event", fleet.apiKey(),
                "{\"source\":\"fleet-test\",\"endpoint\":\"/v1/iterate\",\"result\":{\"body\":\"social security 457555462 sk-abcdefghijklmnop1234\"}}")
                .statusCode());
        HttpResponse<String> ops = null;
        deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            ops = fleet.get(fleet.gateway() + "/v1/observer/ops?order=desc&limit=500", fleet.apiKey());
            if (ops.body().contains("key:default") && ops.body().contains("/v1/pathway/search")) {
                break;
            }
            FleetSupport.sleep(500);
        }
        assertTrue(ops.body().contains("key:default"), ops.body());
        assertEquals(200, fleet.post(fleet.gateway() + "/v1/observer/flush", fleet.apiKey(), "{}").statusCode());
        List<String> raw = List.of("457-55-5462", "457555462", fleet.apiKey(), "sk-abcdefghijklmnop");
        List<Path> scanned = new java.util.ArrayList<>();
        for (Path root : List.of(fleet.runDir().resolve("data/s3").resolve(fleet.stack()).resolve("observer"),
                fleet.runDir().resolve("data/s3").resolve(fleet.stack()).resolve("distill"),
                fleet.runDir().resolve("data/s3").resolve(fleet.stack()).resolve("catalog"),
                fleet.runDir().resolve("data/observerd"), fleet.runDir().resolve("data/catalogd/journal"),
                fleet.runDir().resolve("logs"))) {
            if (!Files.exists(root)) {
                continue;
            }
            try (var files = Files.walk(root)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    String text = new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1);
                    scanned.add(f);
                    for (String r : raw) {
                        assertTrue(!text.contains(r), r + " is at rest in " + f);
                    }
                }
            }
        }
        assertTrue(scanned.size() > 5, scanned.toString());
    }

    static void assertProblem(HttpResponse<String> r, int status) {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"),
                "content type " + r.headers().firstValue("Content-Type"));
        JsonNode p = FleetSupport.json(r);
        assertEquals(status, p.path("status").asInt());
        assertNotEquals("", p.path("request_id").asText(""), r.body());
        assertNotEquals("", p.path("code").asText(""), r.body());
    }
}

package com.lakehouse.validatord.api;

import com.lakehouse.contracts.testing.S3ProxyServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Everything validatord talks to, for the API tests: a real S3 server (S3Proxy child process), a roster Parquet
 * written by DuckDB, a truth rule file and a blacklist file, and fake chatd, catalogd and observerd speaking
 * the real wire shapes.
 *
 * <p>Fake chatd: the first answer to a prompt plants a violation (an SSN in an email, a phantom id in a
 * fill); once the prompt carries the validator's feedback it answers correctly. A prompt containing NEVER
 * always gets the violation.
 */
public class FleetFixture implements QuarkusTestResourceLifecycleManager {
    static final List<JsonObject> CHAT_REQUESTS = new CopyOnWriteArrayList<>();
    static final List<String> CHAT_REQUEST_IDS = new CopyOnWriteArrayList<>();
    static final List<JsonObject> OBSERVED = new CopyOnWriteArrayList<>();
    static final List<String> CATALOG_REQUEST_IDS = new CopyOnWriteArrayList<>();
    static volatile Path catalogParquet;
    static volatile String catalogKey = "catalog/workers/v2/part-00000.parquet";
    static volatile boolean corruptChecksum;
    /** When not 200, the fake chatd / catalogd answer every call with this status and a problem body. */
    static volatile int chatStatus = 200;
    static volatile int catalogStatus = 200;
    static final List<JsonObject> CHAT_FAILED_REQUESTS = new CopyOnWriteArrayList<>();

    private static Vertx vertx;
    private static HttpServer chat;
    private static int chatPort;
    private S3ProxyServer s3;
    private HttpServer other;

    static final String EXPLICIT = "('W-1', 'Maria', 'Lopez', 'forklift operator', 'warehouse associate,picker', 'Chicago', 'IL', '60601', '312-555-0101', 'maria.lopez@example.com', 'OSHA-10', 22.5, 1.0, 0.9, false),"
            + "('W-2', 'James', 'Chen', 'welder', '', 'Chicago', 'IL', '60602', '312-555-0102', 'james.chen@example.com', '', 30.0, 0.0, 0.7, false),"
            + "('W-3', 'Aisha', 'Khan', 'forklift operator', '', 'Detroit', 'MI', '48201', '313-555-0103', 'aisha.khan@example.com', '', 21.0, 0.5, 0.95, false),"
            + "('W-4', 'Tom', 'Baker', 'forklift operator', '', 'Chicago', 'IL', '60601', '312-555-0104', 'tom.baker@example.com', '', 20.0, 1.0, 0.5, true),"
            + "('W-5', 'Ana', 'Ruiz', 'warehouse associate', '', 'Chicago', 'IL', '60601', '312-555-0105', 'ana.ruiz@example.com', '', 18.5, 1.0, 0.8, false),"
            + "('W-0042', 'Lee', 'Park', 'forklift operator', '', 'Chicago', 'IL', '60601', '312-555-0142', 'lee.park@example.com', '', 20.0, 1.0, 0.5, false)";

    /** Writes a roster Parquet: the six explicit workers plus {@code generated} Reno pickers W-1000... */
    static void writeRoster(Path file, int generated) throws Exception {
        try (Connection c = new org.duckdb.DuckDBDriver().connect("jdbc:duckdb:", new java.util.Properties()); Statement st = c.createStatement()) {
            st.execute("COPY (SELECT * FROM (VALUES " + EXPLICIT + ") t(worker_id, first_name, last_name, role, other_roles,"
                    + " city, state, zip, phone, email, certifications, pay_rate, availability, reliability, do_not_place)"
                    + " UNION ALL SELECT 'W-' || (1000 + i), 'Gen', 'Worker' || i, 'picker', 'packer', 'Reno', 'NV', '89501',"
                    + " '775555' || lpad(CAST(i AS VARCHAR), 4, '0'), 'gen' || i || '@example.com', '', 16.0, 1.0, 0.5, false"
                    + " FROM range(" + generated + ") r(i)) TO '" + file + "' (FORMAT parquet)");
        }
    }

    @Override
    public Map<String, String> start() {
        try {
            Path dir = Files.createTempDirectory("validatord-it");
            Path roster = dir.resolve("workers.parquet");
            writeRoster(roster, 200);
            catalogParquet = dir.resolve("catalog-v2.parquet");
            writeRoster(catalogParquet, 500);
            Path truth = Files.createDirectories(dir.resolve("truth"));
            Files.writeString(truth.resolve("shifts.toml"), """
                    [[rule]]
                    id = "no-night-shift"
                    task_class = "fill"
                    description = "this stack does not staff night shifts"
                    action = "block"
                    code = "night_shift_blocked"
                    [rule.condition]
                    type = "field_equals"
                    field = "context.shift"
                    value = "night"
                    """);
            Path blacklist = dir.resolve("blacklist.txt");
            Files.writeString(blacklist, "# clients we do not serve\nShady Staffing\n");

            s3 = S3ProxyServer.start();
            vertx = Vertx.vertx();
            chat = startChat(0);
            chatPort = chat.actualPort();
            other = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(buf -> {
                if (req.path().equals("/v1/observer/events")) {
                    JsonArray events = buf.toJsonObject().getJsonArray("events");
                    events.forEach(e -> OBSERVED.add((JsonObject) e));
                    req.response().putHeader("Content-Type", "application/json").end("{\"accepted\":" + events.size() + "}");
                } else if (req.path().equals("/v1/catalog/datasets/workers")) {
                    CATALOG_REQUEST_IDS.add(String.valueOf(req.getHeader("X-Request-Id")));
                    if (catalogStatus != 200) {
                        problem(req, catalogStatus);
                        return;
                    }
                    try {
                        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                                .digest(Files.readAllBytes(catalogParquet)));
                        JsonObject file = new JsonObject().put("key", catalogKey).put("bytes", Files.size(catalogParquet))
                                .put("sha256", corruptChecksum ? "00" + sha.substring(2) : sha).put("rows", 506);
                        JsonObject doc = new JsonObject().put("name", "workers").put("latest_version", "v2")
                                .put("versions", new JsonArray().add(new JsonObject().put("version", "v2")
                                        .put("files", new JsonArray().add(file))));
                        req.response().putHeader("Content-Type", "application/json").end(doc.encode());
                    } catch (Exception e) {
                        req.response().setStatusCode(500).end();
                    }
                } else {
                    req.response().setStatusCode(404).end();
                }
            })).listen(0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

            Map<String, String> cfg = new HashMap<>();
            cfg.put("lakehouse.s3.endpoint", s3.endpoint());
            cfg.put("lakehouse.s3.bucket", "test-" + UUID.randomUUID().toString().substring(0, 8));
            cfg.put("lakehouse.s3.access-key", S3ProxyServer.ACCESS_KEY);
            cfg.put("lakehouse.s3.secret-key", S3ProxyServer.SECRET_KEY);
            cfg.put("lakehouse.observer-client.enabled", "true");
            cfg.put("lakehouse.observer-client.flush-interval", "50ms");
            cfg.put("lakehouse.fleet.observerd", "http://127.0.0.1:" + other.actualPort());
            cfg.put("lakehouse.fleet.catalogd", "http://127.0.0.1:" + other.actualPort());
            cfg.put("lakehouse.fleet.chatd", "http://127.0.0.1:" + chatPort);
            cfg.put("lakehouse.validatord.roster-file", roster.toString());
            cfg.put("lakehouse.validatord.truth-dir", truth.toString());
            cfg.put("lakehouse.validatord.blacklist-file", blacklist.toString());
            cfg.put("lakehouse.validatord.blacklist", "Evil Corp");
            cfg.put("lakehouse.validatord.chatd.timeout", "10s");
            // Breakers keep their default window (4 calls, 0.75) but stay open for the rest of the suite once
            // opened, so the tests that open them assert it without racing the delay.
            cfg.put("lakehouse.validatord.chatd.cb-delay", "10m");
            cfg.put("lakehouse.validatord.catalogd.cb-delay", "10m");
            return cfg;
        } catch (Exception e) {
            throw new IllegalStateException("test fixture did not start", e);
        }
    }

    private static HttpServer startChat(int port) throws Exception {
        return vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(buf -> {
            if (!req.path().equals("/v1/chat")) {
                req.response().setStatusCode(404).end();
                return;
            }
            JsonObject body = buf.toJsonObject();
            if (chatStatus != 200) {
                CHAT_FAILED_REQUESTS.add(body);
                problem(req, chatStatus);
                return;
            }
            CHAT_REQUESTS.add(body);
            CHAT_REQUEST_IDS.add(String.valueOf(req.getHeader("X-Request-Id")));
            JsonArray messages = body.getJsonArray("messages");
            String prompt = messages.getJsonObject(messages.size() - 1).getString("content");
            boolean corrected = prompt.contains("rejected by the validator") && !prompt.contains("NEVER");
            String content;
            if (prompt.contains("EMAIL")) {
                content = corrected
                        ? "{\"to\": \"maria.lopez@example.com\", \"subject\": \"Monday\", \"body\": \"Hi Maria, your shift starts Monday at 7.\"}"
                        : "Here you go:\n```json\n{\"to\": \"maria.lopez@example.com\", \"subject\": \"Monday\", \"body\": \"Hi Maria, please confirm your SSN 123-45-6789.\"}\n```";
            } else {
                content = corrected
                        ? "Corrected: {\"fills\": [{\"candidate_id\": \"W-1\", \"name\": \"Maria Lopez\"}, {\"candidate_id\": \"W-0042\", \"name\": \"Lee Park\"}]}"
                        : "{\"fills\": [{\"candidate_id\": \"W-1\", \"name\": \"Maria Lopez\"}, {\"candidate_id\": \"W-999999\", \"name\": \"Nobody\"}]}";
            }
            JsonObject answer = new JsonObject().put("provider", "fake").put("model", body.getString("model"))
                    .put("message", new JsonObject().put("role", "assistant").put("content", content))
                    .put("usage", new JsonObject().put("prompt_tokens", 10).put("completion_tokens", 20))
                    .put("latency_ms", 1).put("attempts", 1);
            req.response().putHeader("Content-Type", "application/json").end(answer.encode());
        })).listen(port).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static void problem(io.vertx.core.http.HttpServerRequest req, int status) {
        req.response().setStatusCode(status).putHeader("Content-Type", "application/problem+json")
                .end(new JsonObject().put("status", status).put("code", "fake_" + status)
                        .put("detail", "fake answered " + status).encode());
    }

    /** Closes the fake chatd so its port refuses connections. */
    static void stopChat() throws Exception {
        chat.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Starts the fake chatd again on the same port. */
    static void restartChat() throws Exception {
        chat = startChat(chatPort);
    }

    @Override
    public void stop() {
        try {
            if (vertx != null) {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
        } catch (Exception ignored) {
            // best effort
        }
        if (s3 != null) {
            s3.close();
        }
    }
}

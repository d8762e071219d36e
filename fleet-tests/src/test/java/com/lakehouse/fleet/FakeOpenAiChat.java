package com.lakehouse.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A chat upstream speaking the OpenAI wire format ({@code POST /v1/chat/completions}) for the end-to-end test.
 * Its first answer to a task carries a planted violation (a phantom worker id in a fill, an SSN-shaped number
 * in an email); once the prompt says the previous answer was rejected, it answers correctly from the candidates
 * the prompt lists (the staffing desk's client email, too). Anything else gets a plain, stable answer.
 */
final class FakeOpenAiChat implements AutoCloseable {
    static final String PHANTOM = "W-9999999";
    static final String SSN = "123-45-6789";
    private static final Pattern CANDIDATE = Pattern.compile("^- (W-\\d+) (\\S+) (\\S+) \\(", Pattern.MULTILINE);
    private static final Pattern TARGET = Pattern.compile("Propose (\\d+) workers");
    private static final Pattern CLIENT_EMAIL = Pattern.compile(
            "Write a short email to the client (.+?) \\(email (\\S+)\\) confirming (\\d+) workers for job order (\\S+) \\((.+?)\\): (.+?)\\. Name each");
    private static final Pattern EMAIL_TO = Pattern.compile("Write a short email to (\\S+) (\\S+) \\(worker (W-\\d+), email (\\S+)\\)");

    private final HttpServer server;
    final AtomicInteger calls = new AtomicInteger();

    FakeOpenAiChat() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/v1/chat/completions", ex -> {
            calls.incrementAndGet();
            JsonNode req = FleetSupport.JSON.readTree(ex.getRequestBody());
            String all = req.path("messages").toString();
            String user = "";
            for (JsonNode m : req.path("messages")) {
                if ("user".equals(m.path("role").asText())) {
                    user = m.path("content").asText();
                }
            }
            String content = answer(user, all.contains("previous answer was rejected"));
            if (req.path("stream").asBoolean(false)) {
                stream(ex, req, content);
                return;
            }
            ObjectNode resp = FleetSupport.JSON.createObjectNode();
            resp.put("id", "chatcmpl-fake-" + calls.get());
            resp.put("object", "chat.completion");
            resp.put("created", 1_764_000_000L);
            resp.put("model", req.path("model").asText("fake"));
            ObjectNode choice = resp.putArray("choices").addObject();
            choice.put("index", 0);
            choice.putObject("message").put("role", "assistant").put("content", content);
            choice.put("finish_reason", "stop");
            resp.putObject("usage").put("prompt_tokens", 100).put("completion_tokens", 40).put("total_tokens", 140);
            byte[] body = FleetSupport.JSON.writeValueAsBytes(resp);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
    }

    /**
     * OpenAI's SSE stream: the answer in word-sized deltas, a finish chunk, and (when the request asks with
     * stream_options.include_usage, as chatd always does) a usage chunk with empty choices, then [DONE].
     */
    private void stream(com.sun.net.httpserver.HttpExchange ex, JsonNode req, String content) throws IOException {
        ex.getResponseHeaders().add("Content-Type", "text/event-stream");
        ex.sendResponseHeaders(200, 0);
        var out = ex.getResponseBody();
        String model = req.path("model").asText("fake");
        String[] words = content.split("(?<= )");
        for (String w : words) {
            ObjectNode c = chunk(model);
            c.putArray("choices").addObject().put("index", 0).putNull("finish_reason").putObject("delta").put("content", w);
            out.write(("data: " + FleetSupport.JSON.writeValueAsString(c) + "\n\n").getBytes(StandardCharsets.UTF_8));
        }
        ObjectNode fin = chunk(model);
        fin.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop").putObject("delta");
        out.write(("data: " + FleetSupport.JSON.writeValueAsString(fin) + "\n\n").getBytes(StandardCharsets.UTF_8));
        if (req.path("stream_options").path("include_usage").asBoolean(false)) {
            ObjectNode u = chunk(model);
            u.putArray("choices");
            u.putObject("usage").put("prompt_tokens", 100).put("completion_tokens", words.length).put("total_tokens", 100 + words.length);
            out.write(("data: " + FleetSupport.JSON.writeValueAsString(u) + "\n\n").getBytes(StandardCharsets.UTF_8));
        }
        out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        ex.close();
    }

    private ObjectNode chunk(String model) {
        ObjectNode c = FleetSupport.JSON.createObjectNode();
        c.put("id", "chatcmpl-fake-" + calls.get()).put("object", "chat.completion.chunk").put("created", 1_764_000_000L)
                .put("model", model);
        return c;
    }

    static String answer(String prompt, boolean corrected) {
        Matcher t = TARGET.matcher(prompt);
        if (t.find()) {
            int target = Integer.parseInt(t.group(1));
            List<String> fills = new ArrayList<>();
            Matcher c = CANDIDATE.matcher(prompt);
            while (c.find() && fills.size() < target) {
                fills.add("{\"candidate_id\":\"" + c.group(1) + "\",\"name\":\"" + c.group(2) + " " + c.group(3) + "\"}");
            }
            if (!corrected && !fills.isEmpty()) {
                fills.set(0, "{\"candidate_id\":\"" + PHANTOM + "\",\"name\":\"Jordan Phantom\"}");
            }
            return "Here is the fill:\n```json\n{\"fills\":[" + String.join(",", fills) + "]}\n```";
        }
        Matcher ce = CLIENT_EMAIL.matcher(prompt);
        if (ce.find()) {
            // the staffing desk's client email: names the workers with their ids; the first answer leaks an SSN
            ObjectNode email = FleetSupport.JSON.createObjectNode();
            email.put("to", ce.group(2));
            email.put("subject", "Job order " + ce.group(4) + ": " + ce.group(3) + " workers confirmed");
            email.put("body", "Hello " + ce.group(1) + " team, for job order " + ce.group(4) + " (" + ce.group(5)
                    + ") we confirmed: " + ce.group(6) + "." + (corrected ? "" : " Badge office: SSN " + SSN + " on file."));
            return email.toString();
        }
        Matcher e = EMAIL_TO.matcher(prompt);
        if (e.find()) {
            String body = "Hi " + e.group(1) + ", a new shift opening matches your profile. Reply YES to hear more.";
            if (!corrected) {
                body += " Please confirm your SSN " + SSN + " so we can onboard you.";
            }
            return "{\"to\":\"" + e.group(4) + "\",\"subject\":\"A new opening for you\",\"body\":\"" + body + "\"}";
        }
        return "Noted, the shift is confirmed.";
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

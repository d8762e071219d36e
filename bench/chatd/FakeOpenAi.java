import com.sun.net.httpserver.HttpServer;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * A tiny fake OpenAI chat-completions upstream for the chatd benchmark: POST /v1/chat/completions answers a
 * fixed completion at once; with "stream":true it sends five SSE chunks 100 ms apart (for checking that chatd
 * streams through). Run: java FakeOpenAi.java PORT
 */
public class FakeOpenAi {
    static final byte[] ANSWER = ("{\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion\",\"created\":0,\"model\":\"fake\","
            + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"hello from the fake upstream\"},"
            + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":5,\"total_tokens\":14}}")
            .getBytes(StandardCharsets.UTF_8);

    public static void main(String[] args) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 256);
        server.setExecutor(Executors.newFixedThreadPool(32));
        server.createContext("/v1/chat/completions", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            boolean stream = new String(body, StandardCharsets.UTF_8).replace(" ", "").contains("\"stream\":true");
            if (!stream) {
                ex.getResponseHeaders().set("Content-Type", "application/json");
                ex.sendResponseHeaders(200, ANSWER.length);
                try (OutputStream os = ex.getResponseBody()) {
                    os.write(ANSWER);
                }
                return;
            }
            ex.getResponseHeaders().set("Content-Type", "text/event-stream");
            ex.sendResponseHeaders(200, 0);
            try (OutputStream os = ex.getResponseBody()) {
                for (int i = 0; i < 5; i++) {
                    os.write(("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"tok" + i + " \"},\"finish_reason\":null}]}\n\n")
                            .getBytes(StandardCharsets.UTF_8));
                    os.flush();
                    Thread.sleep(100);
                }
                os.write("data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n"
                        .getBytes(StandardCharsets.UTF_8));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
        System.out.println("fake OpenAI upstream on 127.0.0.1:" + args[0]);
    }
}

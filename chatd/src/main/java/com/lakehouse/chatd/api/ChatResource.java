package com.lakehouse.chatd.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lakehouse.chatd.client.ChatCall;
import com.lakehouse.chatd.client.ChatResult;
import com.lakehouse.chatd.client.ProviderClient;
import com.lakehouse.chatd.client.ProviderRegistry;
import com.lakehouse.chatd.client.StreamEvent;
import com.lakehouse.chatd.client.UpstreamException;
import com.lakehouse.chatd.config.ChatdConfig;
import com.lakehouse.chatd.service.ChatService;
import com.lakehouse.contracts.json.Json;
import com.lakehouse.contracts.http.RequestIds;
import io.smallrye.mutiny.Uni;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** chatd's routes under /v1/chat: its own chat API, the provider list, weak models and the OpenAI surface. */
@Path("/v1/chat")
public class ChatResource {
    @Inject
    ChatService chat;
    @Inject
    ProviderRegistry providers;
    @Inject
    ChatdConfig config;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<ChatDtos.ChatResponse> chat(ChatDtos.ChatRequest request) {
        ChatCall call = ChatValidation.fromChat(request, config.maxMessages());
        return chat.chat(call, "/v1/chat").map(o -> {
            ChatResult r = o.result();
            return new ChatDtos.ChatResponse(o.provider(), o.model(),
                    new ChatDtos.MessageOut("assistant", r.content(), r.thinking()), r.usage(), o.latencyMs(), o.attempts());
        });
    }

    @GET
    @Path("providers")
    @Produces(MediaType.APPLICATION_JSON)
    public List<ChatDtos.ProviderView> providers() {
        List<ChatDtos.ProviderView> out = new ArrayList<>();
        for (ProviderClient p : providers.all()) {
            out.add(new ChatDtos.ProviderView(p.name(), p.configured(), p.usable(), p.breakerState(), p.baseUrl(),
                    p.wire() instanceof com.lakehouse.chatd.client.OllamaWire ? "ollama" : "openai"));
        }
        return out;
    }

    /** The configured weak models; with {@code ?model=} also whether that model is one. */
    @GET
    @Path("models/weak")
    @Produces(MediaType.APPLICATION_JSON)
    public ChatDtos.WeakModels weak(@QueryParam("model") String model) {
        List<String> weak = new ArrayList<>(chat.weakModels());
        if (model == null || model.isBlank()) {
            return new ChatDtos.WeakModels(weak, null, null);
        }
        boolean isWeak = weak.contains(model.strip());
        if (!isWeak && !chat.router().isAlias(model.strip())) {
            String q = chat.routes(model, "model").get(0).qualified();
            for (String w : weak) {
                try {
                    if (!chat.router().isAlias(w) && chat.routes(w, "weak_models").get(0).qualified().equals(q)) {
                        isWeak = true;
                    }
                } catch (RuntimeException ignored) {
                    // a weak-models entry that does not parse as a route only matches by exact name
                }
            }
        }
        return new ChatDtos.WeakModels(weak, model.strip(), isWeak);
    }

    /** The OpenAI chat-completions surface, plain or streamed as SSE. */
    @POST
    @Path("completions")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({MediaType.APPLICATION_JSON, MediaType.SERVER_SENT_EVENTS})
    @Blocking
    public Uni<Response> completions(JsonNode body) {
        ChatCall call = ChatValidation.fromCompletions(body, config.maxMessages());
        String id = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
        long created = System.currentTimeMillis() / 1000;
        if (!body.path("stream").asBoolean(false)) {
            return chat.chat(call, "/v1/chat/completions").map(o -> {
                ObjectNode resp = Json.mapper().createObjectNode();
                resp.put("id", id).put("object", "chat.completion").put("created", created)
                        .put("model", o.provider() + "/" + o.model());
                ObjectNode choice = resp.putArray("choices").addObject();
                choice.put("index", 0);
                choice.putObject("message").put("role", "assistant").put("content", o.result().content());
                choice.put("finish_reason", finish(o.result().finishReason()));
                resp.set("usage", usage(o.result().usage()));
                return Response.ok(resp, MediaType.APPLICATION_JSON).build();
            });
        }
        boolean includeUsage = ChatValidation.includeUsage(body);
        // @Blocking: this runs on a worker thread, and because the Uni below is already resolved, Quarkus REST
        // writes the StreamingOutput on this same worker; relaying the stream blocks and must never run on the
        // event loop. (The non-streaming branch above stays asynchronous.)
        ChatService.StreamStart start = chat.openStream(call, RequestIds.currentOrNew());
        String model = start.provider() + "/" + start.model();
        StreamingOutput out = os -> {
            if (io.vertx.core.Context.isOnEventLoopThread()) {
                throw new IllegalStateException("SSE relay must not run on the event loop");
            }
            writeSse(os, call, start, id, created, model, includeUsage);
        };
        return Uni.createFrom().item(Response.ok(out, MediaType.SERVER_SENT_EVENTS)
                .header("Cache-Control", "no-cache")
                .header("X-Accel-Buffering", "no")
                .build());
    }

    private void writeSse(OutputStream os, ChatCall call, ChatService.StreamStart start, String id, long created,
                          String model, boolean includeUsage) throws IOException {
        ProviderClient.OpenStream s = start.stream();
        StringBuilder content = new StringBuilder();
        ProviderClient.OpenStream.Tally tally = new ProviderClient.OpenStream.Tally();
        String error = null;
        UpstreamException failure = null;
        try {
            event(os, chunk(id, created, model, "assistant", "", null));
            s.relay(tally, ev -> send(os, ev, id, created, model, content));
            event(os, chunk(id, created, model, null, null, finish(tally.finish)));
            if (includeUsage) {
                ObjectNode u = chunkBase(id, created, model);
                u.putArray("choices");
                u.set("usage", usage(tally.usage == null ? ChatResult.Usage.of(0, 0) : tally.usage));
                event(os, u);
            }
        } catch (UpstreamException e) {
            failure = e;
            error = e.kind() + ": " + e.getMessage();
            ObjectNode err = Json.mapper().createObjectNode();
            err.putObject("error").put("message", "upstream " + start.provider() + " failed mid-stream: " + e.getMessage())
                    .put("type", "upstream_error").put("code", e.kind()).put("provider", start.provider());
            event(os, err);
        } catch (IOException e) {
            error = "client went away: " + e.getMessage();
            s.lines().close();
            chat.streamFinished(call, start, new ChatResult(content.toString(), null, tally.finish, tally.usage), error);
            throw e;
        } finally {
            s.lines().close();
        }
        os.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        os.flush();
        chat.streamFinished(call, start, new ChatResult(content.toString(), null, finish(tally.finish),
                tally.usage == null ? ChatResult.Usage.of(0, 0) : tally.usage), failure == null ? null : error);
    }

    private static void send(OutputStream os, StreamEvent ev, String id, long created, String model,
                             StringBuilder content) throws IOException {
        if (ev.hasContent()) {
            content.append(ev.content());
            event(os, chunk(id, created, model, null, ev.content(), null));
        }
    }

    private static ObjectNode chunkBase(String id, long created, String model) {
        ObjectNode c = Json.mapper().createObjectNode();
        c.put("id", id).put("object", "chat.completion.chunk").put("created", created).put("model", model);
        return c;
    }

    private static ObjectNode chunk(String id, long created, String model, String role, String content, String finish) {
        ObjectNode c = chunkBase(id, created, model);
        ObjectNode choice = c.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode delta = choice.putObject("delta");
        if (role != null) {
            delta.put("role", role);
        }
        if (content != null) {
            delta.put("content", content);
        }
        if (finish != null) {
            choice.put("finish_reason", finish);
        } else {
            choice.putNull("finish_reason");
        }
        return c;
    }

    private static void event(OutputStream os, JsonNode data) throws IOException {
        os.write(("data: " + Json.mapper().writeValueAsString(data) + "\n\n").getBytes(StandardCharsets.UTF_8));
        os.flush();
    }

    private static ObjectNode usage(ChatResult.Usage u) {
        ObjectNode n = Json.mapper().createObjectNode();
        n.put("prompt_tokens", u.promptTokens()).put("completion_tokens", u.completionTokens())
                .put("total_tokens", u.totalTokens());
        return n;
    }

    /** OpenAI finish reasons; Ollama says "stop" or "length" too, anything else is passed as is. */
    private static String finish(String f) {
        return f == null || f.isBlank() ? "stop" : f;
    }

}

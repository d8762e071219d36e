package com.lakehouse.chatd.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lakehouse.chatd.client.ChatCall;
import com.lakehouse.chatd.client.ChatResult;
import com.lakehouse.chatd.client.EmbeddModels;
import com.lakehouse.chatd.client.ProviderClient;
import com.lakehouse.chatd.client.StreamEvent;
import com.lakehouse.chatd.client.UpstreamException;
import com.lakehouse.chatd.config.ChatdConfig;
import com.lakehouse.chatd.service.ChatService;
import com.lakehouse.chatd.service.ModelCatalog;
import com.lakehouse.contracts.error.ApiException;
import com.lakehouse.contracts.http.RequestIds;
import com.lakehouse.contracts.json.CanonicalJson;
import com.lakehouse.contracts.json.Json;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Ollama's chat surface over chatd's providers, so an Ollama client works through the gateway unchanged:
 * {@code POST /api/chat} and {@code POST /api/generate}, streamed as NDJSON by default (Ollama's {@code stream}
 * defaults to true) with Ollama's field names ({@code done}, {@code done_reason}, {@code total_duration},
 * {@code load_duration}, {@code prompt_eval_count}, {@code eval_count}, {@code eval_duration}, {@code created_at});
 * {@code GET /api/tags} lists every model of the fleet (embedd's embedding models as embedd lists them, then the
 * chat models) and {@code POST /api/show} answers for chat models and passes embedding models to embedd.
 * Durations are chatd's wall clock (it does not see the provider's own timings): total = eval, load and prompt
 * evaluation 0.
 */
@Path("/api")
public class OllamaApiResource {
    private static final Logger LOG = Logger.getLogger(OllamaApiResource.class);
    private static final MediaType NDJSON = new MediaType("application", "x-ndjson");

    @Inject
    ChatService chat;
    @Inject
    ChatdConfig config;
    @Inject
    ModelCatalog catalog;
    @Inject
    EmbeddModels embedd;

    private final Instant since = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    @POST
    @Path("chat")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({MediaType.APPLICATION_JSON, "application/x-ndjson"})
    @Blocking
    public Uni<Response> chat(JsonNode body) {
        return answer(body, false);
    }

    @POST
    @Path("generate")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({MediaType.APPLICATION_JSON, "application/x-ndjson"})
    @Blocking
    public Uni<Response> generate(JsonNode body) {
        return answer(body, true);
    }

    private Uni<Response> answer(JsonNode body, boolean generate) {
        ChatCall call = ChatValidation.fromOllama(body, generate, config.maxMessages());
        String model = call.model();
        String endpoint = generate ? "/api/generate" : "/api/chat";
        long t0 = System.nanoTime();
        if (!body.path("stream").asBoolean(true)) {
            return chat.chat(call, endpoint).map(o -> {
                ObjectNode n = base(model, generate, o.result().content());
                finish(n, o.result().finishReason(), o.result().usage(), System.nanoTime() - t0);
                return Response.ok(n, MediaType.APPLICATION_JSON).build();
            });
        }
        // @Blocking, as for the SSE relay: the stream is relayed on this worker thread, never on the event loop
        ChatService.StreamStart start = chat.openStream(call, RequestIds.currentOrNew());
        StreamingOutput out = os -> relay(os, call, start, model, generate, t0);
        return Uni.createFrom().item(Response.ok(out, NDJSON).header("Cache-Control", "no-cache")
                .header("X-Accel-Buffering", "no").build());
    }

    private void relay(OutputStream os, ChatCall call, ChatService.StreamStart start, String model, boolean generate,
                       long t0) throws IOException {
        ProviderClient.OpenStream s = start.stream();
        StringBuilder content = new StringBuilder();
        ProviderClient.OpenStream.Tally tally = new ProviderClient.OpenStream.Tally();
        String error = null;
        try {
            s.relay(tally, ev -> piece(os, ev, model, generate, content));
            ObjectNode last = base(model, generate, "");
            finish(last, tally.finish, tally.usage, System.nanoTime() - t0);
            line(os, last);
        } catch (UpstreamException e) {
            // Ollama reports a failure inside a stream as one {"error": ...} line
            error = e.kind() + ": " + e.getMessage();
            line(os, Json.mapper().createObjectNode().put("error", "upstream " + start.provider() + " failed mid-stream: " + e.getMessage()));
        } catch (IOException e) {
            error = "client went away: " + e.getMessage();
            throw e;
        } finally {
            s.lines().close();
            chat.streamFinished(call, start, new ChatResult(content.toString(), null,
                    tally.finish == null ? "stop" : tally.finish,
                    tally.usage == null ? ChatResult.Usage.of(0, 0) : tally.usage), error);
        }
    }

    private static void piece(OutputStream os, StreamEvent ev, String model, boolean generate, StringBuilder content) throws IOException {
        if (ev.hasContent()) {
            content.append(ev.content());
            line(os, base(model, generate, ev.content()).put("done", false));
        }
    }

    private static ObjectNode base(String model, boolean generate, String content) {
        ObjectNode n = Json.mapper().createObjectNode();
        n.put("model", model).put("created_at", Instant.now().toString());
        if (generate) {
            n.put("response", content);
        } else {
            n.putObject("message").put("role", "assistant").put("content", content);
        }
        return n;
    }

    private static void finish(ObjectNode n, String finishReason, ChatResult.Usage usage, long nanos) {
        ChatResult.Usage u = usage == null ? ChatResult.Usage.of(0, 0) : usage;
        n.put("done", true).put("done_reason", finishReason == null || finishReason.isBlank() ? "stop" : finishReason)
                .put("total_duration", nanos).put("load_duration", 0).put("prompt_eval_count", u.promptTokens())
                .put("prompt_eval_duration", 0).put("eval_count", u.completionTokens()).put("eval_duration", nanos);
    }

    private static void line(OutputStream os, JsonNode n) throws IOException {
        os.write((Json.mapper().writeValueAsString(n) + "\n").getBytes(StandardCharsets.UTF_8));
        os.flush();
    }

    /** embedd's embedding models (as embedd lists them, aliases included), then the chat models. */
    @GET
    @Path("tags")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<ObjectNode> tags() {
        return embedd.tags().map(t -> t.path("models"))
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("embedd's models not listed in /api/tags: %s", e.getMessage());
                    return Json.mapper().createArrayNode();
                })
                .map(emb -> {
                    ObjectNode out = Json.mapper().createObjectNode();
                    ArrayNode models = out.putArray("models");
                    emb.forEach(models::add);
                    for (ModelCatalog.Entry e : catalog.chatModels()) {
                        models.add(tag(e));
                    }
                    return out;
                });
    }

    /** A chat model is named as chatd routes it (no {@code :latest} added: the name must route back). */
    private ObjectNode tag(ModelCatalog.Entry e) {
        ObjectNode n = Json.mapper().createObjectNode();
        n.put("name", e.id()).put("model", e.id()).put("modified_at", since.toString()).put("size", 0)
                .put("digest", CanonicalJson.sha256("chat\n" + e.id())).set("details", details(e));
        n.put("provider", e.ownedBy()).put("kind", "chat");
        n.putArray("aliases");
        return n;
    }

    private static ObjectNode details(ModelCatalog.Entry e) {
        ObjectNode d = Json.mapper().createObjectNode();
        d.put("parent_model", "").put("format", "remote").put("family", e.ownedBy());
        d.putArray("families").add(e.ownedBy());
        d.put("parameter_size", "").put("quantization_level", "");
        return d;
    }

    /** A chat model answers here; any other name is embedd's to answer (an embedding model, or its 404). */
    @POST
    @Path("show")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> show(JsonNode body) {
        String name = body == null ? null : body.path("model").isTextual() ? body.get("model").asText()
                : body.path("name").isTextual() ? body.get("name").asText() : null;
        if (name == null || name.isBlank()) {
            throw ApiException.badField("model", "'model' is required");
        }
        List<ModelCatalog.Entry> chatModels = catalog.chatModels();
        for (ModelCatalog.Entry e : chatModels) {
            if (e.answersTo(name)) {
                ObjectNode n = Json.mapper().createObjectNode();
                n.put("modelfile", "").put("parameters", "").put("template", "").set("details", details(e));
                n.putObject("model_info").put("general.architecture", e.ownedBy());
                n.putArray("capabilities").add("completion");
                n.put("modified_at", since.toString());
                return Uni.createFrom().item(Response.ok(n, MediaType.APPLICATION_JSON).build());
            }
        }
        return embedd.show(body).map(r -> Response.status(r.status()).type(MediaType.APPLICATION_JSON)
                        .entity(r.body().toString()).build())
                .onFailure(com.lakehouse.contracts.client.UpstreamException.class)
                .transform(e -> ApiException.fromUpstream((com.lakehouse.contracts.client.UpstreamException) e));
    }
}

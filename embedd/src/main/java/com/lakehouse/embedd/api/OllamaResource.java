package com.lakehouse.embedd.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.lakehouse.contracts.error.ApiException;
import com.lakehouse.embedd.service.EmbedService;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;
import java.util.Map;

/**
 * Ollama's embedding routes, so an Ollama client pointed at embedd gets the cache: {@code POST /api/embed
 * {model, input}} -> {@code {model, embeddings, total_duration, load_duration, prompt_eval_count}} and the older
 * {@code POST /api/embeddings {model, prompt}} -> {@code {embedding}}; plus the discovery routes Ollama clients
 * call first: {@code GET /api/tags}, {@code POST /api/show}, {@code GET /api/ps}, {@code GET /api/version}
 * (embedding models only; through the gateway, chatd's {@code /api/tags} adds the chat models).
 */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class OllamaResource {
    public record EmbedRequest(String model, JsonNode input) {
    }

    public record EmbedResponse(String model, List<float[]> embeddings, long totalDuration, long loadDuration,
                                int promptEvalCount) {
    }

    public record ShowRequest(String model, String name, Boolean verbose) {
    }

    public record EmbeddingsRequest(String model, String prompt) {
    }

    public record EmbeddingsResponse(float[] embedding) {
    }

    @Inject
    EmbedService service;
    @Inject
    OllamaModels models;

    @POST
    @Path("embed")
    public Uni<EmbedResponse> embed(EmbedRequest request) {
        if (request == null) {
            throw ApiException.badField("input", "request body is missing");
        }
        long t0 = System.nanoTime();
        EmbedService.Model model = service.resolve(request.model(), "model");
        List<String> texts = Inputs.texts(request.input(), "input");
        service.checkTexts(texts, "input");
        return Uni.createFrom().completionStage(service.embed(model, texts)).map(v -> {
            int tokens = 0;
            for (String t : texts) {
                tokens += model.backend().countTokens(t);
            }
            return new EmbedResponse(model.name(), v, System.nanoTime() - t0, 0, tokens);
        });
    }

    /** Every embedding model once, its aliases beside it. */
    @GET
    @Path("tags")
    public Map<String, Object> tags() {
        return Map.of("models", models.tags());
    }

    /** What a model is: details, model_info and capabilities ({@code embedding}); unknown is Ollama's 404. */
    @POST
    @Path("show")
    public Response show(ShowRequest request) {
        String name = request == null ? null : request.model() != null ? request.model() : request.name();
        if (name == null || name.isBlank()) {
            throw ApiException.badField("model", "'model' is required");
        }
        String canonical = service.names().canonical(name);
        if (canonical == null) {
            return Response.status(404).type(MediaType.APPLICATION_JSON)
                    .entity(Map.of("error", "model '" + name + "' not found")).build();
        }
        return Response.ok(models.show(canonical)).build();
    }

    /** Models loaded in this process: the local model once it is in memory (remote models run elsewhere). */
    @GET
    @Path("ps")
    public Map<String, Object> ps() {
        return Map.of("models", models.running());
    }

    @GET
    @Path("version")
    public Map<String, String> version() {
        return Map.of("version", models.apiVersion());
    }

    @POST
    @Path("embeddings")
    public Uni<EmbeddingsResponse> embeddings(EmbeddingsRequest request) {
        if (request == null || request.prompt() == null) {
            throw ApiException.badField("prompt", "'prompt' is missing");
        }
        EmbedService.Model model = service.resolve(request.model(), "model");
        if (request.prompt().isEmpty()) {
            throw ApiException.badField("prompt", "text must not be empty");
        }
        service.checkTexts(List.of(request.prompt()), "prompt");
        return Uni.createFrom().completionStage(service.embed(model, List.of(request.prompt())))
                .map(v -> new EmbeddingsResponse(v.get(0)));
    }
}

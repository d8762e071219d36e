package com.lakehouse.embedd.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.lakehouse.contracts.error.ApiException;
import com.lakehouse.embedd.service.EmbedService;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/**
 * Ollama's embedding routes, so an Ollama client pointed at embedd gets the cache: {@code POST /api/embed
 * {model, input}} -> {@code {model, embeddings}} and the older {@code POST /api/embeddings {model, prompt}} ->
 * {@code {embedding}}.
 */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class OllamaResource {
    public record EmbedRequest(String model, JsonNode input) {
    }

    public record EmbedResponse(String model, List<float[]> embeddings, long totalDuration) {
    }

    public record EmbeddingsRequest(String model, String prompt) {
    }

    public record EmbeddingsResponse(float[] embedding) {
    }

    @Inject
    EmbedService service;

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
        return Uni.createFrom().completionStage(service.embed(model, texts))
                .map(v -> new EmbedResponse(model.name(), v, System.nanoTime() - t0));
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

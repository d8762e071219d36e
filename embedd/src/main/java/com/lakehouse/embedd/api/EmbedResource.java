package com.lakehouse.embedd.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.lakehouse.contracts.error.ApiException;
import com.lakehouse.embedd.service.EmbedService;
import com.lakehouse.embedd.service.EmbeddingCache;
import com.lakehouse.embedd.store.CacheSnapshots;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/** The Go fleet's embed API: {@code POST /v1/embed}, plus stats, models and cache snapshots. */
@Path("/v1/embed")
@Produces(MediaType.APPLICATION_JSON)
public class EmbedResource {
    /** {@code texts} (list) or {@code input} (string or list), and an optional model name. */
    public record EmbedRequest(JsonNode texts, JsonNode input, String model) {
    }

    public record EmbedResponse(String model, int dimension, List<float[]> vectors) {
    }

    public record Stats(long hits, long misses, double hitRate, long size, long bytes, long maxBytes,
            long coalesced, long upstreamCalls, long upstreamTexts, int inFlight) {
    }

    public record ModelView(String name, String provider, int dimension, boolean isDefault, List<String> aliases) {
    }

    public record Models(List<ModelView> models) {
    }

    public record SnapshotResult(List<CacheSnapshots.Written> snapshots) {
    }

    @Inject
    EmbedService service;
    @Inject
    CacheSnapshots snapshots;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<EmbedResponse> embed(EmbedRequest request) {
        if (request == null) {
            throw ApiException.badField("texts", "request body is missing");
        }
        String field = "texts";
        List<String> texts = Inputs.texts(request.texts(), "texts");
        if (texts == null) {
            field = "input";
            texts = Inputs.texts(request.input(), "input");
        }
        if (texts == null) {
            field = "texts";
        }
        EmbedService.Model model = service.resolve(request.model(), "model");
        service.checkTexts(texts, field);
        return Uni.createFrom().completionStage(service.embed(model, texts))
                .map(v -> new EmbedResponse(model.name(), EmbedService.dimensionOf(model, v), v));
    }

    @GET
    @Path("stats")
    public Stats stats() {
        EmbeddingCache c = service.cache();
        return new Stats(c.hits(), c.misses(), c.hitRate(), c.size(), c.bytes(), c.maxBytes(), c.coalesced(),
                c.upstreamCalls(), c.upstreamTexts(), c.inFlight());
    }

    @GET
    @Path("models")
    public Models models() {
        return new Models(service.models().entrySet().stream()
                .map(e -> new ModelView(e.getKey(), e.getValue().provider(), e.getValue().dimension(),
                        e.getKey().equals(service.defaultModel()), service.names().aliasesOf(e.getKey())))
                .toList());
    }

    /** Writes every model's cached vectors to S3 now ({@code embedd/cache/<model>.bin}). */
    @POST
    @Path("cache/snapshot")
    @Blocking
    public SnapshotResult snapshot() {
        return new SnapshotResult(snapshots.writeAll());
    }
}

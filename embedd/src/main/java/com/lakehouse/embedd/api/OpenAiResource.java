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

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * OpenAI's {@code POST /v1/embeddings}, shape for shape, so the official SDKs work against embedd (or the
 * gateway). {@code encoding_format} float (default) or base64 (little-endian float32, as OpenAI sends).
 */
@Path("/v1/embeddings")
@Produces(MediaType.APPLICATION_JSON)
public class OpenAiResource {
    public record EmbeddingsRequest(JsonNode input, String model, String encodingFormat, Integer dimensions,
            String user) {
    }

    /** {@code embedding} is a float list, or a base64 string when asked for. */
    public record Item(String object, int index, Object embedding) {
    }

    public record Usage(int promptTokens, int totalTokens) {
    }

    public record EmbeddingsResponse(String object, List<Item> data, String model, Usage usage) {
    }

    @Inject
    EmbedService service;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<EmbeddingsResponse> embeddings(EmbeddingsRequest request) {
        if (request == null) {
            throw ApiException.badField("input", "request body is missing");
        }
        String format = request.encodingFormat() == null ? "float" : request.encodingFormat();
        if (!format.equals("float") && !format.equals("base64")) {
            throw ApiException.badField("encoding_format", "encoding_format must be 'float' or 'base64'");
        }
        EmbedService.Model model = service.resolve(request.model(), "model");
        List<String> texts = Inputs.texts(request.input(), "input");
        service.checkTexts(texts, "input");
        if (request.dimensions() != null && model.backend().dimension() > 0
                && request.dimensions() != model.backend().dimension()) {
            throw ApiException.badField("dimensions", "model '" + model.name() + "' has dimension "
                    + model.backend().dimension() + "; other dimensions are not supported");
        }
        boolean base64 = format.equals("base64");
        return Uni.createFrom().completionStage(service.embed(model, texts)).map(vectors -> {
            List<Item> data = new ArrayList<>(vectors.size());
            int tokens = 0;
            for (int i = 0; i < vectors.size(); i++) {
                data.add(new Item("embedding", i, base64 ? encode(vectors.get(i)) : vectors.get(i)));
                tokens += model.backend().countTokens(texts.get(i));
            }
            return new EmbeddingsResponse("list", data, model.name(), new Usage(tokens, tokens));
        });
    }

    static String encode(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return Base64.getEncoder().encodeToString(b.array());
    }
}

package com.lakehouse.chatd.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lakehouse.chatd.service.ModelCatalog;
import com.lakehouse.contracts.error.ApiException;
import com.lakehouse.contracts.json.Json;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code GET /v1/models} and {@code GET /v1/models/{id}} in OpenAI's shapes: every model the fleet serves
 * ({@link ModelCatalog}: chat models as {@code <provider>/<model>}, chatd's aliases, embedd's embedding models),
 * each once, with {@code owned_by} naming the provider; ours beside OpenAI's fields: {@code kind} (chat |
 * embedding) and {@code aliases}. An unknown id is a 404 problem; an alias finds its model.
 */
@Path("/v1/models")
@Produces(MediaType.APPLICATION_JSON)
public class ModelsResource {
    @Inject
    ModelCatalog catalog;

    @GET
    public Uni<ObjectNode> list() {
        return catalog.all().map(all -> {
            ObjectNode out = Json.mapper().createObjectNode().put("object", "list");
            ArrayNode data = out.putArray("data");
            all.forEach(e -> data.add(view(e)));
            return out;
        });
    }

    @GET
    @Path("{id: .+}")
    public Uni<ObjectNode> one(@PathParam("id") String id) {
        return catalog.all().map(all -> all.stream().filter(e -> e.answersTo(id)).findFirst().map(ModelsResource::view)
                .orElseThrow(() -> ApiException.notFound("model_not_found", "no model '" + id + "' in the fleet; GET /v1/models lists them")));
    }

    static ObjectNode view(ModelCatalog.Entry e) {
        ObjectNode n = Json.mapper().createObjectNode();
        n.put("id", e.id()).put("object", "model").put("created", 0).put("owned_by", e.ownedBy()).put("kind", e.kind().name());
        ArrayNode a = n.putArray("aliases");
        e.aliases().forEach(a::add);
        return n;
    }
}

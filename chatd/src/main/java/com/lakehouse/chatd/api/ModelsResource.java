package com.lakehouse.chatd.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lakehouse.chatd.client.ProviderClient;
import com.lakehouse.chatd.client.ProviderRegistry;
import com.lakehouse.chatd.service.ChatService;
import com.lakehouse.contracts.json.Json;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * {@code GET /v1/models} in the OpenAI list shape: the configured providers' known models (config
 * {@code lakehouse.chatd.providers.<p>.models}) as {@code <provider>/<model>} and every alias.
 */
@Path("/v1/models")
public class ModelsResource {
    @Inject
    ProviderRegistry providers;
    @Inject
    ChatService chat;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public ObjectNode list() {
        ObjectNode out = Json.mapper().createObjectNode().put("object", "list");
        ArrayNode data = out.putArray("data");
        Set<String> seen = new LinkedHashSet<>();
        for (ProviderClient p : providers.all()) {
            if (!p.configured()) {
                continue;
            }
            for (String m : p.models()) {
                String id = p.name() + "/" + m;
                if (seen.add(id)) {
                    data.addObject().put("id", id).put("object", "model").put("created", 0).put("owned_by", p.name());
                }
            }
        }
        for (String alias : chat.router().aliases().keySet()) {
            if (seen.add(alias)) {
                data.addObject().put("id", alias).put("object", "model").put("created", 0).put("owned_by", "chatd-alias");
            }
        }
        return out;
    }
}

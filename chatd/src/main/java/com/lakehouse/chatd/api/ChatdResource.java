package com.lakehouse.chatd.api;

import com.lakehouse.contracts.error.ApiException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

/** chatd's routes under /v1/chat. Not built yet: every route answers a truthful 501 problem+json. */
@Path("/v1/chat")
public class ChatdResource {
    @GET
    @Path("{any:.*}")
    public void get() {
        throw ApiException.notImplemented("chatd /v1/chat");
    }

    @POST
    @Path("{any:.*}")
    public void post() {
        throw ApiException.notImplemented("chatd /v1/chat");
    }
}

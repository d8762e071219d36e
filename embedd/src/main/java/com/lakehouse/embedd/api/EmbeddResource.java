package com.lakehouse.embedd.api;

import com.lakehouse.contracts.error.ApiException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

/** embedd's routes under /v1/embed. Not built yet: every route answers a truthful 501 problem+json. */
@Path("/v1/embed")
public class EmbeddResource {
    @GET
    @Path("{any:.*}")
    public void get() {
        throw ApiException.notImplemented("embedd /v1/embed");
    }

    @POST
    @Path("{any:.*}")
    public void post() {
        throw ApiException.notImplemented("embedd /v1/embed");
    }
}

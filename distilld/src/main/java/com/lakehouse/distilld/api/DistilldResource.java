package com.lakehouse.distilld.api;

import com.lakehouse.contracts.error.ApiException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

/** distilld's routes under /v1/distill. Not built yet: every route answers a truthful 501 problem+json. */
@Path("/v1/distill")
public class DistilldResource {
    @GET
    @Path("{any:.*}")
    public void get() {
        throw ApiException.notImplemented("distilld /v1/distill");
    }

    @POST
    @Path("{any:.*}")
    public void post() {
        throw ApiException.notImplemented("distilld /v1/distill");
    }
}

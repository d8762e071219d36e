package com.lakehouse.vectord.api;

import com.lakehouse.contracts.error.ApiException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

/** vectord's routes under /v1/vectors. Not built yet: every route answers a truthful 501 problem+json. */
@Path("/v1/vectors")
public class VectordResource {
    @GET
    @Path("{any:.*}")
    public void get() {
        throw ApiException.notImplemented("vectord /v1/vectors");
    }

    @POST
    @Path("{any:.*}")
    public void post() {
        throw ApiException.notImplemented("vectord /v1/vectors");
    }
}

package com.lakehouse.pathwayd.api;

import com.lakehouse.contracts.error.ApiException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

/** pathwayd's routes under /v1/pathway. Not built yet: every route answers a truthful 501 problem+json. */
@Path("/v1/pathway")
public class PathwaydResource {
    @GET
    @Path("{any:.*}")
    public void get() {
        throw ApiException.notImplemented("pathwayd /v1/pathway");
    }

    @POST
    @Path("{any:.*}")
    public void post() {
        throw ApiException.notImplemented("pathwayd /v1/pathway");
    }
}

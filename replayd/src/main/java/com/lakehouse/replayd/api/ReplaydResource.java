package com.lakehouse.replayd.api;

import com.lakehouse.contracts.error.ApiException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

/** replayd's routes under /v1/replay. Not built yet: every route answers a truthful 501 problem+json. */
@Path("/v1/replay")
public class ReplaydResource {
    @GET
    @Path("{any:.*}")
    public void get() {
        throw ApiException.notImplemented("replayd /v1/replay");
    }

    @POST
    @Path("{any:.*}")
    public void post() {
        throw ApiException.notImplemented("replayd /v1/replay");
    }
}

package com.lakehouse.observerd.api;

import com.lakehouse.contracts.error.ApiException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

/** observerd's routes under /v1/observer. Not built yet: every route answers a truthful 501 problem+json. */
@Path("/v1/observer")
public class ObserverdResource {
    @GET
    @Path("{any:.*}")
    public void get() {
        throw ApiException.notImplemented("observerd /v1/observer");
    }

    @POST
    @Path("{any:.*}")
    public void post() {
        throw ApiException.notImplemented("observerd /v1/observer");
    }
}

package com.lakehouse.gateway.api;

import com.lakehouse.contracts.error.ApiException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

/** gateway's routes under /v1/fleet. Not built yet: every route answers a truthful 501 problem+json. */
@Path("/v1/fleet")
public class GatewayResource {
    @GET
    @Path("{any:.*}")
    public void get() {
        throw ApiException.notImplemented("gateway /v1/fleet");
    }

    @POST
    @Path("{any:.*}")
    public void post() {
        throw ApiException.notImplemented("gateway /v1/fleet");
    }
}

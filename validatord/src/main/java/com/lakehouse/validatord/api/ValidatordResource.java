package com.lakehouse.validatord.api;

import com.lakehouse.contracts.error.ApiException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

/** validatord's routes under /v1/validate. Not built yet: every route answers a truthful 501 problem+json. */
@Path("/v1/validate")
public class ValidatordResource {
    @GET
    @Path("{any:.*}")
    public void get() {
        throw ApiException.notImplemented("validatord /v1/validate");
    }

    @POST
    @Path("{any:.*}")
    public void post() {
        throw ApiException.notImplemented("validatord /v1/validate");
    }
}

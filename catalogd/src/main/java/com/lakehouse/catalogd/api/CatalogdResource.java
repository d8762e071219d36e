package com.lakehouse.catalogd.api;

import com.lakehouse.contracts.error.ApiException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

/** catalogd's routes under /v1/catalog. Not built yet: every route answers a truthful 501 problem+json. */
@Path("/v1/catalog")
public class CatalogdResource {
    @GET
    @Path("{any:.*}")
    public void get() {
        throw ApiException.notImplemented("catalogd /v1/catalog");
    }

    @POST
    @Path("{any:.*}")
    public void post() {
        throw ApiException.notImplemented("catalogd /v1/catalog");
    }
}

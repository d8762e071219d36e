package com.lakehouse.matrixd.api;

import com.lakehouse.contracts.error.ApiException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

/** matrixd's routes under /v1/matrix. Not built yet: every route answers a truthful 501 problem+json. */
@Path("/v1/matrix")
public class MatrixdResource {
    @GET
    @Path("{any:.*}")
    public void get() {
        throw ApiException.notImplemented("matrixd /v1/matrix");
    }

    @POST
    @Path("{any:.*}")
    public void post() {
        throw ApiException.notImplemented("matrixd /v1/matrix");
    }
}

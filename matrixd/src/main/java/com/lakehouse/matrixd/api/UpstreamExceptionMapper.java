package com.lakehouse.matrixd.api;

import com.lakehouse.contracts.client.UpstreamException;
import com.lakehouse.contracts.error.ApiException;
import com.lakehouse.contracts.error.ProblemExceptionMappers;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A peer daemon's failure that escapes a route (corpus, documents): the fleet rule of
 * {@link ApiException#fromUpstream}, written as the shared problem+json.
 */
public class UpstreamExceptionMapper {
    private final ProblemExceptionMappers problems = new ProblemExceptionMappers();

    @ServerExceptionMapper
    public Response upstream(UpstreamException e, UriInfo uri) {
        return problems.api(ApiException.fromUpstream(e), uri);
    }
}

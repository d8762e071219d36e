package com.lakehouse.matrixd.api;

import com.lakehouse.contracts.error.Problems;
import com.lakehouse.contracts.client.UpstreamException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** A peer daemon's failure that escapes a blocking route is a 502 problem naming the peer. */
public class UpstreamExceptionMapper {
    @ServerExceptionMapper
    public Response upstream(UpstreamException e, UriInfo uri) {
        return Problems.response(Problems.of(502, "upstream_error", e.getMessage(), null)
                .withInstance(uri == null ? null : uri.getPath()));
    }
}

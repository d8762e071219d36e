package com.lakehouse.chatd.api;

import com.lakehouse.chatd.service.ChainFailedException;
import com.lakehouse.contracts.error.Problem;
import com.lakehouse.contracts.error.Problems;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.LinkedHashMap;
import java.util.Map;

/** Every provider failing is a 503 problem+json whose detail and {@code attempts} extension list each error. */
public class ChainFailedMapper {
    @ServerExceptionMapper
    public Response chainFailed(ChainFailedException e, UriInfo uri) {
        Problem p = Problems.of(503, "all_providers_failed", e.getMessage(), null)
                .withInstance(uri == null ? null : "/" + uri.getPath().replaceFirst("^/", ""));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", p.type());
        body.put("title", p.title());
        body.put("status", p.status());
        body.put("detail", p.detail());
        body.put("instance", p.instance());
        body.put("code", p.code());
        body.put("request_id", p.requestId());
        body.put("attempts", e.attempts());
        return Response.status(503).type(Problem.MEDIA_TYPE).entity(body).build();
    }
}

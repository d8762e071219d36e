package com.lakehouse.vectord.api;

import com.lakehouse.contracts.error.Problems;
import com.lakehouse.contracts.s3.ObjectStoreException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** S3 unreachable or refusing while a request needed it: 503 problem+json (the daemon itself is fine). */
public class StoreExceptionMapper {
    private static final Logger LOG = Logger.getLogger(StoreExceptionMapper.class);

    @ServerExceptionMapper
    public Response store(ObjectStoreException e, UriInfo uri) {
        LOG.warnf("S3 failed during %s: %s", uri.getPath(), e.getMessage());
        return Problems.response(Problems.of(503, "object_store_unavailable",
                "object storage is unavailable: " + e.getMessage(), null).withInstance("/" + uri.getPath().replaceFirst("^/", "")));
    }
}

package com.lakehouse.vectord.api;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.lakehouse.contracts.error.Problems;
import com.lakehouse.contracts.s3.ObjectStoreException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.stream.Collectors;

/**
 * vectord's additions to the shared problem mappers: S3 failures are 503, a second writer on the same prefix
 * is 409, and wrong JSON types
 * ({@link MismatchedInputException}, which Quarkus' own, more specific built-in mapper would otherwise answer
 * as plain JSON) are 400 problem+json naming the field.
 */
public class VectordExceptionMappers {
    private static final Logger LOG = Logger.getLogger(VectordExceptionMappers.class);

    @ServerExceptionMapper
    public Response store(ObjectStoreException e, UriInfo uri) {
        LOG.warnf("S3 failed during %s: %s", uri.getPath(), e.getMessage());
        return Problems.response(Problems.of(503, "object_store_unavailable",
                "object storage is unavailable: " + e.getMessage(), null).withInstance(path(uri)));
    }

    /** Another vectord writes this index's prefix: 409, nothing overwritten (docs/vectord.md "Many writers"). */
    @ServerExceptionMapper
    public Response concurrentWriter(com.lakehouse.vectord.store.EnvelopeStore.ConcurrentWriterException e, UriInfo uri) {
        LOG.errorf("refused to write over another writer's generation during %s: %s", uri.getPath(), e.getMessage());
        return Problems.response(Problems.of(409, "concurrent_writer", e.getMessage(), null).withInstance(path(uri)));
    }

    @ServerExceptionMapper(priority = 1)
    public Response mismatched(MismatchedInputException e, UriInfo uri) {
        String field = fieldPath(e);
        String detail = field == null ? "malformed JSON body: " + e.getOriginalMessage()
                : "field '" + field + "' has the wrong type or value";
        return Problems.response(Problems.of(400, "invalid_json", detail, field).withInstance(path(uri)));
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : "/" + uri.getPath().replaceFirst("^/", "");
    }

    static String fieldPath(JsonMappingException e) {
        if (e.getPath().isEmpty()) {
            return null;
        }
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }
}

package com.lakehouse.catalogd.api;

import com.lakehouse.catalogd.config.CatalogdConfig;
import com.lakehouse.catalogd.service.CatalogService;
import com.lakehouse.catalogd.service.IngestService;
import com.lakehouse.catalogd.service.IngestService.BadInputException;
import com.lakehouse.catalogd.service.IngestService.Format;
import com.lakehouse.catalogd.service.Schemas;
import com.lakehouse.catalogd.store.CatalogModel.Column;
import com.lakehouse.contracts.error.ApiException;
import com.lakehouse.contracts.error.Problem;
import com.lakehouse.contracts.error.Problems;
import com.lakehouse.contracts.http.RequestIds;
import com.lakehouse.contracts.jobs.Job;
import com.lakehouse.contracts.jobs.JobRegistry;
import com.lakehouse.contracts.jobs.JobView;
import com.lakehouse.contracts.json.Json;
import com.lakehouse.contracts.names.ResourceNames;
import com.lakehouse.contracts.s3.ObjectStore;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code POST /v1/ingest/{name}}: a CSV / JSONL / Parquet body (format from {@code ?format=} or the Content-Type),
 * or {@code application/json {s3_key, format, schema?}} for an object already in the bucket. Runs as a job:
 * 202 {job_id, status_url}; with {@code ?wait=true} 201 with the result, or 422 naming the first bad line.
 */
@Path("/v1/ingest")
public class IngestResource {
    /** The JSON form: ingest an object that is already in the stack's bucket. */
    public record S3Ingest(String s3Key, String format, List<Column> schema) {
    }

    @Inject
    IngestService ingest;
    @Inject
    CatalogService catalog;
    @Inject
    JobRegistry jobs;
    @Inject
    ObjectStore objects;
    @Inject
    CatalogdConfig config;

    @POST
    @Path("{name}")
    @Consumes("*/*")
    public Response ingest(@PathParam("name") String name, @QueryParam("format") String format,
                           @QueryParam("schema") String schemaSpec, @QueryParam("wait") boolean wait,
                           @HeaderParam("Content-Type") String contentType, InputStream body) throws IOException {
        ResourceNames.require("name", name);
        String requestId = RequestIds.current();
        Format fmt;
        List<Column> schema;
        java.nio.file.Path input;
        String source;
        boolean jsonRequest = contentType != null && contentType.toLowerCase().startsWith("application/json") && format == null;
        if (jsonRequest) {
            S3Ingest req;
            try (InputStream in = body) {
                byte[] bytes = in.readNBytes(1024 * 1024 + 1);
                if (bytes.length > 1024 * 1024) {
                    throw ApiException.badField("body", "JSON ingest request is larger than 1 MiB; send data with ?format=");
                }
                if (bytes.length == 0) {
                    throw ApiException.badField("s3_key", "'s3_key' is required (or send the data with ?format=)");
                }
                req = Json.mapper().readValue(bytes, S3Ingest.class);
            }
            if (req.s3Key() == null || req.s3Key().isBlank()) {
                throw ApiException.badField("s3_key", "'s3_key' is required (or send the data with ?format=)");
            }
            if (req.s3Key().startsWith("/") || req.s3Key().contains("..") || req.s3Key().length() > 1024) {
                throw ApiException.badField("s3_key", "'s3_key' must be a relative key without '..'");
            }
            fmt = Format.parse("format", req.format());
            schema = Schemas.normalize("schema", req.schema());
            long size = objects.size(req.s3Key());
            if (size < 0) {
                throw new ApiException(404, "object_not_found", "no object " + req.s3Key() + " in the bucket", "s3_key");
            }
            if (size > config.ingest().maxBytes()) {
                throw new ApiException(413, "body_too_large", "object is larger than " + config.ingest().maxBytes() + " bytes", "s3_key");
            }
            input = ingest.workDir().resolve("s3-" + UUID.randomUUID());
            objects.download(req.s3Key(), input);
            source = "s3:" + req.s3Key();
        } else {
            Format fromType = Format.fromContentType(contentType);
            if (format != null) {
                fmt = Format.parse("format", format);
            } else if (fromType != null) {
                fmt = fromType;
            } else {
                throw ApiException.badField("format", "give ?format=csv|jsonl|parquet or a Content-Type of text/csv, "
                        + "application/x-ndjson or application/vnd.apache.parquet");
            }
            schema = Schemas.parseSpec("schema", schemaSpec);
            input = ingest.spool(body, config.ingest().maxBytes());
            source = "upload:" + fmt.name().toLowerCase();
        }
        Format f = fmt;
        List<Column> s = schema;
        java.nio.file.Path in = input;
        long inputBytes = Files.size(in);
        Job job = jobs.submit("ingest", j -> run(j, name, in, f, s, source, requestId));
        // progress total known from the start (JobView needs a total to report a fraction)
        job.total(inputBytes);
        if (wait) {
            long deadline = System.nanoTime() + config.ingest().waitTimeout().toNanos();
            while (!job.state().terminal() && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            JobView v = job.view();
            if (job.state() == com.lakehouse.contracts.jobs.JobState.SUCCEEDED) {
                Map<String, Object> out = new LinkedHashMap<>();
                if (v.result() instanceof Map<?, ?> m) {
                    m.forEach((k, val) -> out.put(String.valueOf(k), val));
                }
                out.put("job_id", job.id());
                return Response.status(201).entity(out).build();
            }
            if (job.state() == com.lakehouse.contracts.jobs.JobState.FAILED) {
                return failure(job, v);
            }
        }
        return Response.accepted(Map.of("job_id", job.id(), "status_url", "/v1/ingest/jobs/" + job.id(),
                "state", job.state().name().toLowerCase())).build();
    }

    private Object run(Job job, String name, java.nio.file.Path input, Format format, List<Column> schema,
                       String source, String requestId) {
        try {
            IngestService.Converted c;
            try {
                c = ingest.convert(input, format, schema, job);
            } catch (BadInputException e) {
                job.result(Map.of("errors", e.errors()));
                throw e;
            }
            try {
                job.message("publishing");
                CatalogService.Published p = catalog.publish(name, c.parquet(), c.bytes(), c.sha256(), c.rows(),
                        c.schema(), source, requestId);
                job.message("published");
                return Map.of("dataset", p.dataset(), "version", p.version(), "row_count", p.rowCount());
            } finally {
                IngestService.deleteQuietly(c.parquet());
            }
        } finally {
            IngestService.deleteQuietly(input);
        }
    }

    private static Response failure(Job job, JobView v) {
        if (v.result() instanceof Map<?, ?> m && m.get("errors") instanceof List<?> errors && !errors.isEmpty()) {
            Problem p = Problems.of(422, "ingest_rejected", v.error(), "body");
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("type", p.type());
            body.put("title", p.title());
            body.put("status", 422);
            body.put("detail", v.error());
            body.put("code", p.code());
            body.put("request_id", p.requestId());
            body.put("field", "body");
            body.put("job_id", job.id());
            body.put("errors", errors);
            return Response.status(422).type(Problem.MEDIA_TYPE).entity(body).build();
        }
        return Problems.response(Problems.of(503, "ingest_failed", "ingest job " + job.id() + " failed: " + v.error(), null));
    }

    @GET
    @Path("jobs/{id}")
    public JobView job(@PathParam("id") String id) {
        return jobs.view(id);
    }

    @GET
    @Path("jobs")
    public Map<String, Object> list() {
        return Map.of("jobs", jobs.list());
    }
}

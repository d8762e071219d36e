package com.lakehouse.distilld.api;

import com.lakehouse.contracts.error.ApiException;
import com.lakehouse.contracts.jobs.JobRegistry;
import com.lakehouse.contracts.jobs.JobView;
import com.lakehouse.distilld.service.DistillService;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;
import java.util.Set;

/** distilld's routes under /v1/distill: every stage is a job polled at {@code GET /v1/distill/jobs/{id}}. */
@Path("/v1/distill")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class DistilldResource {
    /** {@code from}/{@code to}: UTC days (yyyy-mm-dd) of observer segments to read; both optional. */
    public record MaterializeRequest(String from, String to) {
    }

    /** {@code kind}: sft | rag | preference | all (default all); {@code include_partial}: SFT takes partial runs, flagged. */
    public record ExportRequest(String kind, Boolean includePartial) {
    }

    private static final Set<String> KINDS = Set.of("sft", "rag", "preference", "all");

    @Inject
    DistillService service;
    @Inject
    JobRegistry jobs;

    @POST
    @Path("materialize")
    public Response materialize(MaterializeRequest req) {
        String from = day("from", req == null ? null : req.from());
        String to = day("to", req == null ? null : req.to());
        if (from != null && to != null && from.compareTo(to) > 0) {
            throw ApiException.badField("to", "to must not be before from");
        }
        return accepted(jobs.submit("materialize", job -> service.materialize(job, from, to)));
    }

    @POST
    @Path("score")
    public Response score() {
        return accepted(jobs.submit("score", service::score));
    }

    @POST
    @Path("export")
    public Response export(ExportRequest req) {
        String kind = req == null || req.kind() == null ? "all" : req.kind();
        if (!KINDS.contains(kind)) {
            throw ApiException.badField("kind", "kind must be one of sft, rag, preference, all");
        }
        boolean partial = req != null && Boolean.TRUE.equals(req.includePartial());
        return accepted(jobs.submit("export", job -> service.export(job, kind, partial)));
    }

    @POST
    @Path("audit")
    public Response audit() {
        return accepted(jobs.submit("audit", service::audit));
    }

    @POST
    @Path("audit-full")
    public Response auditFull() {
        return accepted(jobs.submit("audit-full", service::auditFull));
    }

    @GET
    @Path("jobs/{id}")
    public JobView job(@PathParam("id") String id) {
        return jobs.view(id);
    }

    @GET
    @Path("jobs")
    public List<JobView> jobs() {
        return jobs.list();
    }

    @DELETE
    @Path("jobs/{id}")
    public JobView cancel(@PathParam("id") String id) {
        return jobs.cancel(id);
    }

    private static Response accepted(com.lakehouse.contracts.jobs.Job job) {
        // Every distill job reports a positive total (JobView's fraction cannot be computed for an unknown
        // total before the job succeeds); the job's own progress calls overwrite this placeholder.
        if (job.done() == 0) {
            job.total(1);
        }
        return Response.status(202).entity(job.view()).build();
    }

    private static String day(String field, String v) {
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            java.time.LocalDate d = java.time.LocalDate.parse(v);
            return String.format("%04d/%02d/%02d", d.getYear(), d.getMonthValue(), d.getDayOfMonth());
        } catch (java.time.format.DateTimeParseException e) {
            throw ApiException.badField(field, field + " must be a day like 2026-11-25");
        }
    }
}

package com.lakehouse.replayd.api;

import com.lakehouse.contracts.http.Params;
import com.lakehouse.contracts.error.ApiException;
import com.lakehouse.contracts.jobs.Job;
import com.lakehouse.contracts.jobs.JobView;
import com.lakehouse.replayd.config.ReplaydConfig;
import com.lakehouse.replayd.service.Replay;
import com.lakehouse.replayd.service.ReplayService;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/** Replay jobs: start, poll, cancel, resume. */
@Path("/v1/replay")
public class ReplayResource {
    /** {@code POST /v1/replay/jobs}. */
    public record JobRequest(String mode, SelectionRequest selection, Double rateLimit, Boolean allowEscalation) {
    }

    public record SelectionRequest(String source, List<String> taskIds, String since, String until, Integer limit) {
    }

    @Inject
    ReplayService service;
    @Inject
    ReplaydConfig config;

    @POST
    @Path("/jobs")
    public Response start(JobRequest body) {
        if (body == null) {
            throw ApiException.badField("body", "a JSON body is required");
        }
        Replay.Mode mode = mode(body.mode());
        SelectionRequest sel = body.selection();
        if (sel == null) {
            throw ApiException.badField("selection", "'selection' is required: {source?, task_ids?, since?, until?, limit}");
        }
        boolean hasFilter = (sel.source() != null && !sel.source().isBlank()) || (sel.taskIds() != null && !sel.taskIds().isEmpty())
                || sel.since() != null || sel.until() != null || sel.limit() != null;
        if (!hasFilter) {
            throw ApiException.badField("selection", "'selection' is empty: name a source, task_ids, a time range or a limit");
        }
        int limit = sel.limit() == null ? config.maxLimit() : sel.limit();
        if (limit <= 0 || limit > config.maxLimit()) {
            throw ApiException.badField("selection.limit", "'selection.limit' must be between 1 and " + config.maxLimit());
        }
        Instant since = Params.instant("selection.since", sel.since());
        Instant until = Params.instant("selection.until", sel.until());
        if (since != null && until != null && !until.isAfter(since)) {
            throw ApiException.badField("selection.until", "'selection.until' must be after 'selection.since'");
        }
        double rate = body.rateLimit() == null ? config.defaultRateLimit() : body.rateLimit();
        if (!(rate > 0) || rate > config.maxRateLimit()) {
            throw ApiException.badField("rate_limit", "'rate_limit' must be above 0 and at most " + config.maxRateLimit());
        }
        Job job = service.submit(new ReplayService.Spec(mode,
                new Replay.Selection(blankToNull(sel.source()), sel.taskIds(), since, until, limit), rate,
                Boolean.TRUE.equals(body.allowEscalation())));
        return Response.status(202).entity(Map.of("job_id", job.id(), "status_url", "/v1/replay/jobs/" + job.id(),
                "job", job.view())).build();
    }

    @GET
    @Path("/jobs")
    public List<JobView> list() {
        return service.list();
    }

    @GET
    @Path("/jobs/{id}")
    public JobView job(@PathParam("id") String id) {
        return service.view(id);
    }

    @POST
    @Path("/jobs/{id}/cancel")
    public JobView cancel(@PathParam("id") String id) {
        return service.cancel(id);
    }

    @POST
    @Path("/jobs/{id}/resume")
    public Response resume(@PathParam("id") String id) {
        Job job = service.resume(id);
        return Response.status(202).entity(Map.of("job_id", job.id(), "resumed_from", id, "job", job.view())).build();
    }

    static Replay.Mode mode(String m) {
        if (m == null || m.isBlank()) {
            throw ApiException.badField("mode", "'mode' is required: exemplar or regression");
        }
        return switch (m) {
            case "exemplar" -> Replay.Mode.EXEMPLAR;
            case "regression" -> Replay.Mode.REGRESSION;
            default -> throw ApiException.badField("mode", "unknown mode '" + m + "': exemplar or regression");
        };
    }


    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}

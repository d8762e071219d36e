package com.lakehouse.observerd.api;

import com.lakehouse.contracts.http.Params;
import com.lakehouse.contracts.error.ApiException;
import com.lakehouse.contracts.fleet.Daemons;
import com.lakehouse.contracts.fleet.FleetConfig;
import com.lakehouse.contracts.fleet.OutboundUrlPolicy;
import com.lakehouse.contracts.http.RequestIds;
import com.lakehouse.contracts.observer.ObservedOperation;
import com.lakehouse.observerd.client.StepCaller;
import com.lakehouse.observerd.config.ObserverdConfig;
import com.lakehouse.observerd.service.ObserverService;
import com.lakehouse.observerd.service.OpsLedger;
import com.lakehouse.observerd.service.WorkflowRunner;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/** observerd's routes under /v1/observer: ingest (one or a batch), stats, read-back, workflow runner. */
@Path("/v1/observer")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ObserverdResource {
    /** {@code POST /v1/observer/events} body. */
    public record EventsRequest(List<ObservedOperation> events) {
    }

    @Inject
    ObserverService service;
    @Inject
    ObserverdConfig config;
    @Inject
    FleetConfig fleet;
    @Inject
    StepCaller caller;
    @Inject
    OutboundUrlPolicy outbound;
    @Inject
    com.lakehouse.contracts.redact.Redactor redactor;

    /** Everything observerd writes (ring, spool, S3 segments) passes the redactor first (issue 25). */
    private List<ObservedOperation> redacted(List<ObservedOperation> ops) {
        return ops == null ? null : ops.stream().map(redactor::redact).toList();
    }

    /** One observed operation; {@code endpoint} required. */
    @POST
    @Path("event")
    public OpsLedger.Accepted event(ObservedOperation op) {
        if (op == null) {
            throw ApiException.badField("endpoint", "a JSON observed operation with endpoint is required");
        }
        List<ObservedOperation> one = java.util.Collections.singletonList(op);
        OpsLedger.validate(one, null);
        return service.ledger().accept(redacted(one));
    }

    /**
     * Seals the spool and ships it to S3 now instead of at the next ship interval, so distilld sees what just
     * happened (the demo and the end-to-end test call it before distilling).
     */
    @POST
    @Path("flush")
    public java.util.Map<String, Object> flush() {
        return java.util.Map.of("shipped_segments", service.ledger().ship());
    }

    /** A batch {@code {events: [...]}} (what ObserverClient sends); validated whole before anything is kept. */
    @POST
    @Path("events")
    public OpsLedger.Accepted events(EventsRequest req) {
        if (req == null || req.events() == null) {
            throw ApiException.badField("events", "events must be a list of observed operations");
        }
        if (req.events().size() > config.maxBatch()) {
            throw ApiException.unprocessable("events", "at most " + config.maxBatch() + " events per batch");
        }
        OpsLedger.validate(req.events(), "events");
        return service.ledger().accept(redacted(req.events()));
    }

    @GET
    @Path("stats")
    public OpsLedger.Stats stats() {
        return service.ledger().stats();
    }

    /**
     * Read back in arrival order ({@code order=asc}, the default) or newest first ({@code order=desc}, what the
     * console's recent operations list asks for); {@code cursor} is the previous page's {@code next_cursor}.
     */
    @GET
    @Path("ops")
    public OpsLedger.Page ops(@QueryParam("source") String source, @QueryParam("since") String since,
                              @QueryParam("until") String until, @QueryParam("cursor") String cursor,
                              @QueryParam("limit") Integer limit, @QueryParam("order") String order) {
        boolean newestFirst = newestFirst(order);
        int l = limit == null ? 100 : limit;
        if (l < 1 || l > config.maxPageSize()) {
            throw ApiException.badField("limit", "limit must be 1.." + config.maxPageSize());
        }
        Instant s = Params.instant("since", since);
        Instant u = Params.instant("until", until);
        if (s != null && u != null && !u.isAfter(s)) {
            throw ApiException.badField("until", "until must be after since");
        }
        try {
            return service.ledger().query(source == null || source.isBlank() ? null : source, s, u, cursor, l, newestFirst);
        } catch (IllegalArgumentException e) {
            throw ApiException.badField("cursor", "cursor must be a next_cursor from a previous page");
        }
    }

    /** {@code asc} (or absent): arrival order; {@code desc}: newest first. Anything else is a 400 naming order. */
    static boolean newestFirst(String order) {
        if (order == null || order.isBlank() || order.equals("asc")) {
            return false;
        }
        if (order.equals("desc")) {
            return true;
        }
        throw ApiException.badField("order", "order must be asc or desc");
    }

    /** Runs a DAG of fleet calls; one audit row per node is recorded as an observed op (source workflow). */
    @POST
    @Path("workflows/run")
    public WorkflowRunner.Result runWorkflow(WorkflowRunner.Request req) {
        WorkflowRunner.Plan plan = WorkflowRunner.plan(req, config.workflow().maxNodes(), d -> Daemons.url(fleet, d), outbound);
        String rid = RequestIds.currentOrNew();
        WorkflowRunner.Result result = WorkflowRunner.run(plan, (m, url, body) -> {
            StepCaller.Reply r = caller.call(m, url, body, rid);
            return new WorkflowRunner.Reply(r.status(), r.body(), r.error());
        });
        service.ledger().accept(redacted(WorkflowRunner.auditRows(result, plan, rid)));
        return result;
    }
}

package com.lakehouse.matrixd.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lakehouse.contracts.error.ApiException;
import com.lakehouse.contracts.http.RequestIds;
import com.lakehouse.contracts.jobs.Job;
import com.lakehouse.contracts.jobs.JobRegistry;
import com.lakehouse.contracts.jobs.JobView;
import com.lakehouse.contracts.json.Json;
import com.lakehouse.contracts.names.ResourceNames;
import com.lakehouse.contracts.observer.ObservedOperation;
import com.lakehouse.contracts.observer.ObserverClient;
import com.lakehouse.matrixd.config.MatrixdConfig;
import com.lakehouse.matrixd.service.Corpus;
import com.lakehouse.matrixd.service.CorpusDefinition;
import com.lakehouse.matrixd.service.CorpusRegistry;
import com.lakehouse.matrixd.service.IndexingService;
import com.lakehouse.matrixd.service.PlaybookService;
import com.lakehouse.matrixd.service.RoleExtractor;
import com.lakehouse.matrixd.service.SearchRequest;
import com.lakehouse.matrixd.service.SearchResponse;
import com.lakehouse.matrixd.service.SearchService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import com.lakehouse.contracts.fleet.OutboundUrlPolicy;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** matrixd's routes under {@code /v1/matrix}. Validation here and in the services; logic in service/. */
@Path("/v1/matrix")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class MatrixResource {
    static final String SEARCH_ENDPOINT = "/v1/matrix/search";

    @Inject
    CorpusRegistry registry;
    @Inject
    IndexingService indexing;
    @Inject
    SearchService search;
    @Inject
    PlaybookService playbooks;
    @Inject
    RoleExtractor roles;
    @Inject
    JobRegistry jobs;
    @Inject
    ObserverClient observer;
    @Inject
    MatrixdConfig config;
    @Inject
    OutboundUrlPolicy outbound;

    /** A corpus may name only one of the fleet's daemons or an allow-listed base as its vectord (issue 25). */
    private void checkVectordUrl(String field, CorpusDefinition def) {
        if (def != null && def.vectordUrl() != null && !def.vectordUrl().isBlank()) {
            outbound.require(field, def.vectordUrl());
        }
    }

    private void ensureRegistry() {
        try {
            registry.load();
        } catch (RuntimeException e) {
            throw ApiException.unavailable("registry_unavailable", "the corpus registry could not be read: "
                    + e.getMessage());
        }
    }

    // ---- corpora ----

    @GET
    @Path("corpora")
    public Map<String, Corpus> corpora() {
        return registry.all();
    }

    @PUT
    @Path("corpora")
    @Blocking
    public Map<String, Corpus> putCorpora(Map<String, CorpusDefinition> body) {
        ensureRegistry();
        if (body != null) {
            body.forEach((name, def) -> checkVectordUrl(name + ".vectord_url", def));
        }
        indexing.putAll(body);
        return registry.all();
    }

    @GET
    @Path("corpora/{name}")
    public Corpus corpus(@PathParam("name") String name) {
        return registry.require(ResourceNames.require("name", name));
    }

    @PUT
    @Path("corpora/{name}")
    @Blocking
    public Response putCorpus(@PathParam("name") String name, CorpusDefinition body) {
        ensureRegistry();
        checkVectordUrl("vectord_url", body);
        IndexingService.PutResult r = indexing.putCorpus(name, body);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("corpus", r.corpus());
        out.put("index_created", r.indexCreated());
        out.put("replaced", r.replaced());
        return Response.status(r.replaced() ? 200 : 201).entity(out).build();
    }

    @POST
    @Path("corpora/{name}/documents")
    @Blocking
    public Map<String, Object> documents(@PathParam("name") String name, Requests.Documents body) {
        ensureRegistry();
        Corpus c = registry.require(ResourceNames.require("name", name));
        if (body == null) {
            throw ApiException.badField("documents", "documents is required");
        }
        List<String> ids = indexing.validateDocuments(c, body.documents(), "documents");
        int added = indexing.addDocuments(c, body.documents(), IndexingService.Attribution.API, ids);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("corpus", c.name());
        out.put("added", added);
        return out;
    }

    @POST
    @Path("corpora/{name}/ingest")
    @Blocking
    public Response ingest(@PathParam("name") String name, Requests.Ingest body) {
        ensureRegistry();
        Corpus c = registry.require(ResourceNames.require("name", name));
        if (body == null) {
            throw ApiException.badField("dataset", "dataset is required");
        }
        String dataset = ResourceNames.require("dataset", body.dataset());
        if (body.idField() != null && body.idField().isBlank()) {
            throw ApiException.badField("id_field", "id_field must not be blank");
        }
        int pageSize = body.pageSize() == null ? config.ingestPageSize() : body.pageSize();
        if (pageSize < 1 || pageSize > 10_000) {
            throw ApiException.badField("page_size", "page_size must be between 1 and 10000");
        }
        Job job = indexing.submitIngest(jobs, c, dataset, body.idField(), pageSize);
        return Response.accepted(job.view()).location(URI.create("/v1/matrix/jobs/" + job.id())).build();
    }

    // ---- jobs ----

    @GET
    @Path("jobs")
    public List<JobView> jobs() {
        return jobs.list();
    }

    @GET
    @Path("jobs/{id}")
    public JobView job(@PathParam("id") String id) {
        return jobs.view(id);
    }

    @DELETE
    @Path("jobs/{id}")
    public JobView cancel(@PathParam("id") String id) {
        return jobs.cancel(id);
    }

    // ---- search ----

    @POST
    @Path("search")
    public Uni<SearchResponse> search(SearchRequest body) {
        if (body == null) {
            throw ApiException.badField("query_text", "a search body is required");
        }
        long start = System.nanoTime();
        String requestId = RequestIds.currentOrNew();
        return search.search(body)
                .invoke(resp -> observe(body, resp, null, start, requestId))
                .onFailure().invoke(e -> observe(body, null, e, start, requestId));
    }

    private void observe(SearchRequest req, SearchResponse resp, Throwable error, long start, String requestId) {
        try {
            ObjectNode request = Json.mapper().valueToTree(req);
            if (req.queryVector() != null) {
                request.remove("query_vector");
                request.put("query_vector_dimension", req.queryVector().length);
            }
            ObjectNode result = null;
            if (resp != null) {
                result = Json.mapper().createObjectNode();
                ArrayNode ids = result.putArray("ids");
                for (SearchResponse.Result r : resp.results()) {
                    ids.addObject().put("id", r.id()).put("corpus", r.corpus()).put("distance", r.distance());
                }
                result.set("per_corpus", Json.mapper().valueToTree(resp.perCorpus()));
                result.set("gate", Json.mapper().valueToTree(resp.gate()));
                if (resp.playbook() != null) {
                    result.set("playbook", Json.mapper().valueToTree(resp.playbook()));
                }
            }
            String model = req.model();
            long latencyMs = (System.nanoTime() - start) / 1_000_000;
            observer.record(new ObservedOperation(null, null, "matrixd", SEARCH_ENDPOINT, requestId, null,
                    "matrix_search", model, request, result, error == null, latencyMs,
                    error == null ? null : String.valueOf(error.getMessage()), null));
        } catch (RuntimeException e) {
            // observing never breaks a search
        }
    }

    // ---- playbooks ----

    @POST
    @Path("playbooks/record")
    @Blocking
    public Response record(Requests.Record body) {
        ensureRegistry();
        if (body == null) {
            throw ApiException.badField("query_text", "a playbook body is required");
        }
        PlaybookService.Recorded r = playbooks.record(List.of(body.playbook()), body.playbookCorpus(), null).get(0);
        return Response.status(201).entity(r).build();
    }

    @POST
    @Path("playbooks/bulk")
    @Blocking
    public Response bulk(Requests.Bulk body) {
        ensureRegistry();
        if (body == null) {
            throw ApiException.badField("playbooks", "playbooks is required");
        }
        List<PlaybookService.Recorded> r = playbooks.record(body.playbooks(), body.playbookCorpus(), "playbooks");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("recorded", r.size());
        out.put("playbooks", r);
        return Response.status(201).entity(out).build();
    }

    // ---- roles ----

    @POST
    @Path("roles/extract")
    public Uni<Map<String, Object>> extract(Requests.Extract body) {
        if (body == null || body.queryText() == null || body.queryText().isBlank()) {
            throw ApiException.badField("query_text", "query_text is required");
        }
        return roles.extract(body.queryText()).map(x -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("query_text", body.queryText());
            out.put("role", x.role());
            out.put("role_display", x.roleDisplay());
            out.put("role_source", x.source());
            out.put("rule", x.rule());
            out.put("client", x.client());
            out.put("note", x.note());
            return out;
        });
    }

    static JsonNode tree(Object o) {
        return Json.mapper().valueToTree(o);
    }
}

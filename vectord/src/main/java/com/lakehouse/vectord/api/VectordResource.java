package com.lakehouse.vectord.api;

import com.lakehouse.contracts.error.ApiException;
import com.lakehouse.contracts.jobs.JobView;
import com.lakehouse.contracts.names.ResourceNames;
import com.lakehouse.vectord.api.Dtos.AddRequest;
import com.lakehouse.vectord.api.Dtos.AddResponse;
import com.lakehouse.vectord.api.Dtos.BatchSearchRequest;
import com.lakehouse.vectord.api.Dtos.BatchSearchResponse;
import com.lakehouse.vectord.api.Dtos.CreateIndexRequest;
import com.lakehouse.vectord.api.Dtos.ItemIn;
import com.lakehouse.vectord.api.Dtos.ItemOut;
import com.lakehouse.vectord.api.Dtos.MergeRequest;
import com.lakehouse.vectord.api.Dtos.RebuildRequest;
import com.lakehouse.vectord.api.Dtos.SearchHit;
import com.lakehouse.vectord.api.Dtos.SearchRequest;
import com.lakehouse.vectord.api.Dtos.SearchResponse;
import com.lakehouse.vectord.config.VectordConfig;
import com.lakehouse.vectord.service.Distance;
import com.lakehouse.vectord.service.Entry;
import com.lakehouse.vectord.service.IndexParams;
import com.lakehouse.vectord.service.MetadataFilter;
import com.lakehouse.vectord.service.VectorIndex;
import com.lakehouse.vectord.service.VectorService;
import com.lakehouse.vectord.service.VectorService.IndexStats;
import com.lakehouse.vectord.service.VectorService.Managed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** vectord's routes under /v1/vectors (DESIGN "Wire shapes", issue 6). Validates, then delegates. */
@Path("/v1/vectors")
public class VectordResource {
    private static final int MAX_ID_LENGTH = 512;

    @Inject
    VectorService service;
    @Inject
    VectordConfig config;

    @POST
    @Path("index")
    public Response create(CreateIndexRequest req) {
        if (req == null) {
            throw ApiException.badField("body", "a JSON body {name, dimension, distance} is required");
        }
        String name = ResourceNames.require("name", req.name());
        if (req.dimension() == null) {
            throw ApiException.badField("dimension", "'dimension' is required");
        }
        if (req.dimension() <= 0) {
            throw ApiException.badField("dimension", "'dimension' must be positive");
        }
        if (req.dimension() > config.maxDimension()) {
            throw ApiException.unprocessable("dimension", "'dimension' is above the limit " + config.maxDimension());
        }
        Distance distance = req.distance() == null ? Distance.COSINE : Distance.parse(req.distance());
        if (distance == null) {
            throw ApiException.badField("distance", "'distance' must be cosine, euclidean or dot");
        }
        int m = range("m", req.m(), config.defaultM(), 2, 128);
        int efc = range("ef_construction", req.efConstruction(), config.defaultEfConstruction(), 1, config.maxEf());
        int efs = range("ef_search", req.efSearch(), config.defaultEfSearch(), 1, config.maxEf());
        IndexStats stats = service.create(new IndexParams(name, req.dimension(), distance, m, efc, efs));
        return Response.status(201).entity(stats).build();
    }

    private static int range(String field, Integer value, int dflt, int min, int max) {
        if (value == null) {
            return dflt;
        }
        if (value < min || value > max) {
            throw ApiException.badField(field, "'" + field + "' must be between " + min + " and " + max);
        }
        return value;
    }

    @GET
    @Path("index")
    public Dtos.IndexList list() {
        return new Dtos.IndexList(service.list());
    }

    @GET
    @Path("index/{name}")
    public IndexStats get(@PathParam("name") String name) {
        return service.stats(index(name));
    }

    @DELETE
    @Path("index/{name}")
    public Map<String, Object> drop(@PathParam("name") String name) {
        ResourceNames.require("name", name);
        service.drop(name);
        return Map.of("name", name, "deleted", true);
    }

    private Managed index(String name) {
        return service.require("name", ResourceNames.require("name", name));
    }

    @POST
    @Path("index/{name}/add")
    public AddResponse add(@PathParam("name") String name, AddRequest req) {
        Managed m = index(name);
        List<Entry> batch = validateItems(m, req, config.maxBatchItems());
        int n = service.add(m, batch);
        return new AddResponse(name, n, m.index().size());
    }

    @POST
    @Path("index/{name}/bulk")
    public Response bulk(@PathParam("name") String name, AddRequest req) {
        Managed m = index(name);
        List<Entry> batch = validateItems(m, req, config.maxBulkItems());
        JobView job = service.bulk(m, batch).view();
        return Response.accepted(job).build();
    }

    private List<Entry> validateItems(Managed m, AddRequest req, int limit) {
        if (req == null || req.items() == null) {
            throw ApiException.badField("items", "'items' is required");
        }
        if (req.items().isEmpty()) {
            throw ApiException.badField("items", "'items' must not be empty");
        }
        if (req.items().size() > limit) {
            throw ApiException.unprocessable("items", "at most " + limit + " items per request");
        }
        int dim = m.index().params().dimension();
        List<Entry> batch = new ArrayList<>(req.items().size());
        for (int i = 0; i < req.items().size(); i++) {
            ItemIn it = req.items().get(i);
            String f = "items[" + i + "]";
            if (it == null) {
                throw ApiException.badField(f, "item must be an object");
            }
            checkId(f + ".id", it.id());
            checkVector(f + ".vector", it.vector(), dim);
            batch.add(new Entry(it.id(), it.vector(), it.metadata()));
        }
        return batch;
    }

    private static void checkId(String field, String id) {
        if (id == null || id.isEmpty()) {
            throw ApiException.badField(field, "'" + field + "' is required");
        }
        if (id.length() > MAX_ID_LENGTH) {
            throw ApiException.badField(field, "'" + field + "' is longer than " + MAX_ID_LENGTH + " characters");
        }
    }

    static void checkVector(String field, float[] v, int dim) {
        if (v == null) {
            throw ApiException.badField(field, "'" + field + "' is required");
        }
        if (v.length != dim) {
            throw ApiException.badField(field, "'" + field + "' has dimension " + v.length + ", the index has " + dim);
        }
        for (int j = 0; j < v.length; j++) {
            if (!Float.isFinite(v[j])) {
                throw ApiException.badField(field, "'" + field + "' component " + j + " is " + v[j]
                        + " (NaN and infinite values are refused)");
            }
        }
    }

    @GET
    @Path("index/{name}/items/{id}")
    public ItemOut item(@PathParam("name") String name, @PathParam("id") String id) {
        Entry e = index(name).index().get(id);
        if (e == null) {
            throw new ApiException(404, "item_not_found", "no item '" + id + "' in index '" + name + "'", "id");
        }
        return new ItemOut(e.id(), e.vector(), e.metadata());
    }

    @DELETE
    @Path("index/{name}/items/{id}")
    public Map<String, Object> deleteItem(@PathParam("name") String name, @PathParam("id") String id) {
        Managed m = index(name);
        if (!service.delete(m, id)) {
            throw new ApiException(404, "item_not_found", "no item '" + id + "' in index '" + name + "'", "id");
        }
        return Map.of("id", id, "deleted", true, "count", m.index().size());
    }

    @POST
    @Path("index/{name}/search")
    public SearchResponse search(@PathParam("name") String name, SearchRequest req) {
        Managed m = index(name);
        if (req == null) {
            throw ApiException.badField("vector", "'vector' is required");
        }
        return search(m, req, "");
    }

    @POST
    @Path("index/{name}/search/batch")
    public BatchSearchResponse batchSearch(@PathParam("name") String name, BatchSearchRequest req) {
        Managed m = index(name);
        if (req == null || req.queries() == null || req.queries().isEmpty()) {
            throw ApiException.badField("queries", "'queries' must be a non-empty list");
        }
        if (req.queries().size() > config.maxBatchQueries()) {
            throw ApiException.unprocessable("queries", "at most " + config.maxBatchQueries() + " queries per batch");
        }
        List<SearchRequest> qs = req.queries();
        for (int i = 0; i < qs.size(); i++) {
            if (qs.get(i) == null) {
                throw ApiException.badField("queries[" + i + "]", "query must be an object");
            }
            validate(m, qs.get(i), "queries[" + i + "].");
        }
        List<SearchResponse> out = qs.parallelStream().map(q -> search(m, q, "")).toList();
        return new BatchSearchResponse(out);
    }

    private record Checked(int k, int ef, MetadataFilter filter) {
    }

    private Checked validate(Managed m, SearchRequest req, String prefix) {
        checkVector(prefix + "vector", req.vector(), m.index().params().dimension());
        int k = req.k() == null ? 10 : req.k();
        if (k <= 0) {
            throw ApiException.badField(prefix + "k", "'k' must be positive");
        }
        if (k > config.maxK()) {
            throw ApiException.unprocessable(prefix + "k", "'k' is above the limit " + config.maxK());
        }
        int ef = 0;
        if (req.ef() != null) {
            if (req.ef() <= 0) {
                throw ApiException.badField(prefix + "ef", "'ef' must be positive");
            }
            if (req.ef() > config.maxEf()) {
                throw ApiException.unprocessable(prefix + "ef", "'ef' is above the limit " + config.maxEf());
            }
            ef = req.ef();
        }
        return new Checked(k, ef, MetadataFilter.compile(prefix + "filter", req.filter()));
    }

    private SearchResponse search(Managed m, SearchRequest req, String prefix) {
        Checked c = validate(m, req, prefix);
        VectorIndex idx = m.index();
        List<VectorIndex.Hit> hits = idx.search(req.vector(), c.k(), c.ef(), c.filter(), config.exactScanMax());
        Distance d = idx.params().distance();
        List<SearchHit> out = new ArrayList<>(hits.size());
        for (VectorIndex.Hit h : hits) {
            out.add(new SearchHit(h.entry().id(), h.distance(), d.score(h.distance()), h.entry().metadata()));
        }
        return new SearchResponse(out);
    }

    @POST
    @Path("index/{name}/merge")
    public Map<String, Object> merge(@PathParam("name") String name, MergeRequest req) {
        Managed src = index(name);
        if (req == null || req.dest() == null) {
            throw ApiException.badField("dest", "'dest' is required");
        }
        String destName = ResourceNames.require("dest", req.dest());
        if (destName.equals(name)) {
            throw ApiException.badField("dest", "'dest' must differ from the source index");
        }
        Managed dest = service.require("dest", destName);
        if (dest.index().params().dimension() != src.index().params().dimension()) {
            throw ApiException.badField("dest", "'dest' has dimension " + dest.index().params().dimension()
                    + ", the source has " + src.index().params().dimension());
        }
        return service.merge(src, dest, Boolean.TRUE.equals(req.clearSource()));
    }

    @POST
    @Path("index/{name}/rebuild")
    public Response rebuild(@PathParam("name") String name, RebuildRequest req) {
        Managed m = index(name);
        RebuildRequest r = req == null ? new RebuildRequest(null, null, null) : req;
        if (r.m() != null) {
            range("m", r.m(), 0, 2, 128);
        }
        if (r.efConstruction() != null) {
            range("ef_construction", r.efConstruction(), 0, 1, config.maxEf());
        }
        if (r.efSearch() != null) {
            range("ef_search", r.efSearch(), 0, 1, config.maxEf());
        }
        return Response.accepted(service.rebuild(m, r.m(), r.efConstruction(), r.efSearch()).view()).build();
    }

    @POST
    @Path("index/{name}/save")
    public Response save(@PathParam("name") String name) {
        return Response.accepted(service.saveJob(index(name)).view()).build();
    }

    @GET
    @Path("jobs")
    public Map<String, Object> jobs() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("jobs", service.jobs().list());
        return out;
    }

    @GET
    @Path("jobs/{id}")
    public JobView job(@PathParam("id") String id) {
        return service.jobs().view(id);
    }

    @DELETE
    @Path("jobs/{id}")
    public JobView cancelJob(@PathParam("id") String id) {
        return service.jobs().cancel(id);
    }
}

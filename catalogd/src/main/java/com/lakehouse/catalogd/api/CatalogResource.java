package com.lakehouse.catalogd.api;

import com.lakehouse.catalogd.config.CatalogdConfig;
import com.lakehouse.catalogd.service.CatalogService;
import com.lakehouse.catalogd.service.SqlService;
import com.lakehouse.catalogd.store.CatalogModel.DatasetRecord;
import com.lakehouse.catalogd.store.CatalogModel.Manifest;
import com.lakehouse.contracts.error.ApiException;
import com.lakehouse.contracts.http.RequestIds;
import com.lakehouse.contracts.names.ResourceNames;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /v1/catalog/datasets}: list, describe, tombstone, and page through rows as JSONL. */
@Path("/v1/catalog/datasets")
public class CatalogResource {
    @Inject
    CatalogService catalog;
    @Inject
    SqlService sql;
    @Inject
    CatalogdConfig config;

    @GET
    public Map<String, Object> list(@QueryParam("include_tombstoned") boolean includeTombstoned) {
        List<Map<String, Object>> out = catalog.list(includeTombstoned).stream().map(r -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("dataset", r.dataset());
            m.put("latest_version", r.latestVersion());
            m.put("row_count", r.versions().isEmpty() ? 0 : r.versions().getLast().rowCount());
            m.put("versions", r.versions().size());
            m.put("tombstoned", r.tombstoned());
            m.put("updated_at", r.updatedAt());
            return m;
        }).toList();
        return Map.of("datasets", out, "count", out.size());
    }

    @GET
    @Path("{name}")
    public Map<String, Object> get(@PathParam("name") String name, @QueryParam("include_tombstoned") boolean includeTombstoned,
                                   @QueryParam("version") Integer version) {
        ResourceNames.require("name", name);
        DatasetRecord r = catalog.require(name, includeTombstoned);
        Manifest m = catalog.manifest(r, version == null ? r.latestVersion() : version);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("dataset", r.dataset());
        out.put("latest_version", r.latestVersion());
        out.put("version", m.version());
        out.put("row_count", m.rowCount());
        out.put("schema", m.schema());
        out.put("bucket", catalog.store().objects().bucket());
        out.put("files", m.files());
        out.put("manifest_key", catalog.entry(r, m.version()).manifestKey());
        out.put("source", m.source());
        out.put("versions", r.versions());
        out.put("created_at", r.createdAt());
        out.put("updated_at", r.updatedAt());
        out.put("tombstoned", r.tombstoned());
        if (r.tombstoned()) {
            out.put("tombstone_reason", r.tombstoneReason());
            out.put("tombstoned_at", r.tombstonedAt());
        }
        return out;
    }

    @DELETE
    @Path("{name}")
    public DatasetRecord tombstone(@PathParam("name") String name, @QueryParam("reason") String reason) {
        ResourceNames.require("name", name);
        if (reason != null && reason.length() > 500) {
            throw ApiException.badField("reason", "reason is at most 500 characters");
        }
        return catalog.tombstone(name, reason, RequestIds.current());
    }

    @GET
    @Path("{name}/rows")
    public Response rows(@PathParam("name") String name, @QueryParam("limit") Integer limit,
                         @QueryParam("cursor") String cursor, @QueryParam("version") Integer version,
                         @QueryParam("include_tombstoned") boolean includeTombstoned) {
        ResourceNames.require("name", name);
        int n = limit == null ? Math.min(config.rows().defaultLimit(), config.rows().maxLimit()) : limit;
        if (n < 1 || n > config.rows().maxLimit()) {
            throw ApiException.badField("limit", "limit must be between 1 and " + config.rows().maxLimit());
        }
        long offset;
        try {
            offset = cursor == null || cursor.isEmpty() ? 0 : Long.parseLong(cursor);
        } catch (NumberFormatException e) {
            throw ApiException.badField("cursor", "cursor must be a row offset (a non-negative integer)");
        }
        if (offset < 0) {
            throw ApiException.badField("cursor", "cursor must be a row offset (a non-negative integer)");
        }
        DatasetRecord r = catalog.require(name, includeTombstoned);
        Manifest m = catalog.manifest(r, version == null ? r.latestVersion() : version);
        sql.cached(m);
        StreamingOutput body = out -> sql.streamRows(m, offset, n, out);
        Response.ResponseBuilder b = Response.ok(body, "application/x-ndjson")
                .header("X-Row-Count", m.rowCount()).header("X-Dataset-Version", m.version());
        long next = offset + n;
        if (next < m.rowCount()) {
            b.header("X-Next-Cursor", next);
        }
        return b.build();
    }
}

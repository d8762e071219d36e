package com.lakehouse.catalogd.api;

import com.lakehouse.catalogd.config.CatalogdConfig;
import com.lakehouse.catalogd.service.SqlService;
import com.lakehouse.contracts.error.ApiException;
import com.lakehouse.contracts.json.Json;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** {@code POST /v1/sql}: one read-only statement over the datasets (views named after them). */
@Path("/v1/sql")
public class SqlResource {
    /** {@code timeout_ms} may only shorten the configured limit. */
    public record SqlRequest(String sql, List<Object> params, Integer limit, String format, Long timeoutMs) {
    }

    @Inject
    SqlService sql;
    @Inject
    CatalogdConfig config;

    @POST
    public Response run(SqlRequest req) {
        if (req == null || req.sql() == null || req.sql().isBlank()) {
            throw ApiException.badField("sql", "'sql' is required");
        }
        if (req.sql().length() > config.sql().maxSqlChars()) {
            throw ApiException.badField("sql", "'sql' is longer than " + config.sql().maxSqlChars() + " characters");
        }
        int limit = req.limit() == null ? Math.min(config.sql().defaultLimit(), config.sql().maxLimit()) : req.limit();
        if (limit < 1) {
            throw ApiException.badField("limit", "limit must be at least 1");
        }
        if (limit > config.sql().maxLimit()) {
            throw new ApiException(422, "limit_exceeded", "limit " + limit + " is above the maximum of "
                    + config.sql().maxLimit(), "limit");
        }
        Duration timeout = config.sql().timeout();
        if (req.timeoutMs() != null) {
            if (req.timeoutMs() < 1) {
                throw ApiException.badField("timeout_ms", "timeout_ms must be positive");
            }
            timeout = Duration.ofMillis(Math.min(req.timeoutMs(), timeout.toMillis()));
        }
        String format = req.format() == null ? "json" : req.format();
        if (!format.equals("json") && !format.equals("jsonl")) {
            throw ApiException.badField("format", "format must be json or jsonl");
        }
        SqlService.Result r = sql.query(req.sql(), req.params(), limit, timeout);
        if (format.equals("json")) {
            return Response.ok(r).build();
        }
        StreamingOutput body = out -> {
            for (Map<String, Object> row : r.rows()) {
                out.write(Json.mapper().writeValueAsString(row).getBytes(StandardCharsets.UTF_8));
                out.write('\n');
            }
        };
        return Response.ok(body, "application/x-ndjson").header("X-Row-Count", r.rowCount())
                .header("X-Truncated", r.truncated()).header("X-Elapsed-Ms", r.elapsedMs()).build();
    }
}

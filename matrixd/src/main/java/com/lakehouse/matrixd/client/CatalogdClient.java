package com.lakehouse.matrixd.client;

import com.lakehouse.contracts.client.Upstream;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.lakehouse.contracts.fleet.FleetConfig;
import com.lakehouse.contracts.json.Json;
import com.lakehouse.matrixd.service.Catalog;
import com.lakehouse.contracts.client.UpstreamException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * catalogd for ingest: {@code GET /v1/catalog/datasets/{dataset}} ({@code latest_version}) and
 * {@code GET /v1/catalog/datasets/{dataset}/rows?limit&cursor} (NDJSON rows, next cursor in {@code X-Next-Cursor}).
 */
@ApplicationScoped
public class CatalogdClient implements Catalog {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };
    private final Upstream upstream;
    private final String base;

    @Inject
    public CatalogdClient(HttpClients clients, FleetConfig fleet) {
        this.upstream = clients.catalogd();
        this.base = fleet.catalogd().replaceAll("/+$", "") + "/v1/catalog/datasets/";
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public Uni<Long> latestVersion(String dataset) {
        return upstream.call(HttpMethod.GET, base + enc(dataset), null, Set.of()).map(r -> {
            JsonNode v = r.json("catalogd").get("latest_version");
            if (v == null || !v.canConvertToLong()) {
                throw new UpstreamException("catalogd", 200, "dataset '" + dataset + "' has no latest_version");
            }
            return v.asLong();
        });
    }

    @Override
    public Uni<Page> rows(String dataset, int limit, String cursor) {
        String url = base + enc(dataset) + "/rows?limit=" + limit + (cursor == null ? "" : "&cursor=" + enc(cursor));
        return upstream.call(HttpMethod.GET, url, null, Set.of()).map(r -> {
            List<Map<String, Object>> rows = new ArrayList<>();
            String body = r.body() == null ? "" : r.body().toString(StandardCharsets.UTF_8);
            int lineNo = 0;
            for (String line : body.split("\n")) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    rows.add(Json.mapper().readValue(line, MAP));
                } catch (IOException e) {
                    throw new UpstreamException("catalogd", 200, "rows line " + lineNo + " is not a JSON object");
                }
            }
            String next = r.headers().get("X-Next-Cursor");
            return new Page(rows, next == null || next.isBlank() ? null : next);
        });
    }
}

package com.lakehouse.validatord.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.lakehouse.contracts.fleet.FleetConfig;
import com.lakehouse.contracts.http.RequestIds;
import com.lakehouse.validatord.config.ValidatordConfig;
import io.smallrye.faulttolerance.api.Guard;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** catalogd, as validatord needs it: where the latest version of a dataset lives in S3. */
@ApplicationScoped
public class CatalogdClient {
    @Inject
    FleetConfig fleet;
    @Inject
    ValidatordConfig config;
    @Inject
    Vertx vertx;

    private WebClient client;
    private Guard guard;
    private URI base;

    /** One file of a dataset version. */
    public record DatasetFile(String key, long bytes, String sha256, long rows) {
    }

    /** The latest version of a dataset and its files. */
    public record DatasetVersion(String dataset, String version, List<DatasetFile> files) {
    }

    @PostConstruct
    void init() {
        base = URI.create(fleet.catalogd());
        ValidatordConfig.Upstream c = config.catalogd();
        client = WebClient.create(vertx, new WebClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, c.timeout().toMillis())));
        guard = Guard.create().withDescription("catalogd")
                .withRetry().maxRetries(c.retries()).delay(200, ChronoUnit.MILLIS)
                .whenException(Http::transientFailure).done()
                .withCircuitBreaker().requestVolumeThreshold(c.cbRequestVolume()).failureRatio(c.cbFailureRatio())
                .delay(c.cbDelay().toMillis(), ChronoUnit.MILLIS).when(Http::transientFailure).done()
                .build();
    }

    /** GET /v1/catalog/datasets/{name}: the latest version and its Parquet files. */
    public DatasetVersion latest(String dataset) {
        JsonNode doc = Http.call(guard, client, "catalogd", "GET", base,
                "/v1/catalog/datasets/" + URLEncoder.encode(dataset, StandardCharsets.UTF_8), null,
                config.catalogd().timeout(), RequestIds.currentOrNew());
        return parse(dataset, doc);
    }

    /**
     * Reads catalogd's dataset document. The files of the latest version are taken from {@code files} at the top
     * level, else from {@code latest.files}, else from the entry of {@code versions} whose {@code version} equals
     * {@code latest_version}.
     */
    public static DatasetVersion parse(String dataset, JsonNode doc) {
        if (doc == null || !doc.isObject()) {
            throw new UpstreamException("catalogd", 502, "catalogd's dataset document is not an object", null);
        }
        String version = text(doc.get("latest_version"));
        JsonNode files = doc.get("files");
        if ((files == null || !files.isArray()) && doc.path("latest").isObject()) {
            files = doc.path("latest").get("files");
            if (version == null) {
                version = text(doc.path("latest").get("version"));
            }
        }
        if ((files == null || !files.isArray()) && doc.path("versions").isArray()) {
            for (JsonNode v : doc.get("versions")) {
                if (version != null && version.equals(text(v.get("version")))) {
                    files = v.get("files");
                }
            }
        }
        if (version == null || files == null || !files.isArray() || files.isEmpty()) {
            throw new UpstreamException("catalogd", 502, "catalogd's dataset " + dataset
                    + " names no latest_version with files", null);
        }
        List<DatasetFile> out = new ArrayList<>();
        for (JsonNode f : files) {
            String key = text(f.get("key"));
            if (key == null || key.isBlank()) {
                throw new UpstreamException("catalogd", 502, "a file of dataset " + dataset + " has no key", null);
            }
            out.add(new DatasetFile(key, f.path("bytes").asLong(-1), text(f.get("sha256")), f.path("rows").asLong(-1)));
        }
        return new DatasetVersion(dataset, version, out);
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode() ? null : n.asText();
    }
}

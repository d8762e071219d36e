package com.lakehouse.validatord.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.lakehouse.contracts.client.Upstream;
import com.lakehouse.contracts.client.UpstreamException;
import com.lakehouse.contracts.fleet.FleetConfig;
import com.lakehouse.validatord.config.ValidatordConfig;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * catalogd, as validatord needs it: where the latest version of a dataset lives in S3. Calls go through the shared
 * {@link Upstream} (timeout, retries on 5xx/unreachable, circuit breaker) with the numbers of
 * {@code lakehouse.validatord.catalogd.*}; failures are {@link UpstreamException}s (status 0 when unreachable).
 */
@ApplicationScoped
public class CatalogdClient {
    private final WebClient client;
    private final Upstream upstream;
    private final String base;

    /** One file of a dataset version. */
    public record DatasetFile(String key, long bytes, String sha256, long rows) {
    }

    /** The latest version of a dataset and its files. */
    public record DatasetVersion(String dataset, String version, List<DatasetFile> files) {
    }

    @Inject
    public CatalogdClient(Vertx vertx, FleetConfig fleet, ValidatordConfig config) {
        ValidatordConfig.Catalogd c = config.catalogd();
        // connecting may take as long as a whole call
        this.client = WebClient.create(vertx, new WebClientOptions().setUserAgent("lakehouse-validatord")
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, c.timeout().toMillis())));
        this.upstream = new Upstream("validatord", "catalogd", client, c.timeout(), c.retries(), c.cbRequestVolume(),
                c.cbFailureRatio(), c.cbDelay());
        this.base = fleet.catalogd().replaceAll("/+$", "") + "/v1/catalog/datasets/";
    }

    @PreDestroy
    void close() {
        client.close();
    }

    /** GET /v1/catalog/datasets/{name}: the latest version and its Parquet files. */
    public DatasetVersion latest(String dataset) {
        String url = base + URLEncoder.encode(dataset, StandardCharsets.UTF_8);
        // blocking caller (the roster load thread); the guard's timeout bounds every attempt
        JsonNode doc = upstream.call(HttpMethod.GET, url, null, Set.of()).await().indefinitely().json("catalogd");
        return parse(dataset, doc);
    }

    /**
     * Reads catalogd's dataset document. The files of the latest version are taken from {@code files} at the top
     * level, else from {@code latest.files}, else from the entry of {@code versions} whose {@code version} equals
     * {@code latest_version}. A document without them is a 502 ({@code catalogd_error}) to the caller.
     */
    public static DatasetVersion parse(String dataset, JsonNode doc) {
        if (doc == null || !doc.isObject()) {
            throw new UpstreamException("catalogd", 502, "the dataset document is not an object");
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
            throw new UpstreamException("catalogd", 502, "dataset " + dataset
                    + " names no latest_version with files");
        }
        List<DatasetFile> out = new ArrayList<>();
        for (JsonNode f : files) {
            String key = text(f.get("key"));
            if (key == null || key.isBlank()) {
                throw new UpstreamException("catalogd", 502, "a file of dataset " + dataset + " has no key");
            }
            out.add(new DatasetFile(key, f.path("bytes").asLong(-1), text(f.get("sha256")), f.path("rows").asLong(-1)));
        }
        return new DatasetVersion(dataset, version, out);
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode() ? null : n.asText();
    }
}

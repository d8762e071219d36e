package com.lakehouse.pathwayd.client;

import com.lakehouse.contracts.client.EmbedApi;
import com.lakehouse.contracts.client.Upstream;
import com.lakehouse.contracts.client.VectorsApi;
import com.lakehouse.contracts.fleet.FleetConfig;
import com.lakehouse.pathwayd.config.PathwaydConfig;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** pathwayd's peers: embedd and vectord, each behind a guard with numbers from config. */
@ApplicationScoped
public class PathwayPeers {
    private final WebClient client;
    private final EmbedApi embed;
    private final VectorsApi vectors;
    private final String vectordUrl;

    @Inject
    public PathwayPeers(Vertx vertx, PathwaydConfig config, FleetConfig fleet) {
        this.client = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true).setMaxPoolSize(32)
                .setConnectTimeout(2000).setUserAgent("lakehouse-pathwayd"));
        this.embed = new EmbedApi(Upstream.of("pathwayd", "embedd", client, config.embedd()), fleet.embedd());
        this.vectors = new VectorsApi(Upstream.of("pathwayd", "vectord", client, config.vectord()));
        this.vectordUrl = fleet.vectord();
    }

    public EmbedApi embed() {
        return embed;
    }

    public VectorsApi vectors() {
        return vectors;
    }

    public String vectordUrl() {
        return vectordUrl;
    }

    @PreDestroy
    void close() {
        client.close();
    }
}

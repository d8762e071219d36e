package com.lakehouse.matrixd.client;

import com.lakehouse.contracts.client.Upstream;

import com.lakehouse.matrixd.config.MatrixdConfig;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** The one Vert.x WebClient matrixd calls its peers with, and a guarded {@link Upstream} per peer. */
@ApplicationScoped
public class HttpClients {
    private final WebClient client;
    private final Upstream embedd;
    private final Upstream vectord;
    private final Upstream chatd;
    private final Upstream catalogd;

    @Inject
    public HttpClients(Vertx vertx, MatrixdConfig config) {
        this.client = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true).setMaxPoolSize(64)
                .setConnectTimeout(2000).setUserAgent("lakehouse-matrixd"));
        this.embedd = of("embedd", config.embedd());
        this.vectord = of("vectord", config.vectord());
        this.catalogd = of("catalogd", config.catalogd());
        MatrixdConfig.ChatdUpstream c = config.chatd();
        this.chatd = new Upstream("matrixd", "chatd", client, c.timeout(), 0, c.circuitBreakerVolume(), 0.5, c.circuitBreakerDelay());
    }

    private Upstream of(String name, MatrixdConfig.Upstream u) {
        return Upstream.of("matrixd", name, client, u);
    }

    public Upstream embedd() {
        return embedd;
    }

    public Upstream vectord() {
        return vectord;
    }

    public Upstream chatd() {
        return chatd;
    }

    public Upstream catalogd() {
        return catalogd;
    }

    @PreDestroy
    void close() {
        client.close();
    }
}

package com.lakehouse.matrixd.client;

import com.lakehouse.contracts.client.LoopLocalWebClients;
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
    private final LoopLocalWebClients clients;
    private final WebClient client;
    private final Upstream embedd;
    private final Upstream vectord;
    private final Upstream chatd;
    private final Upstream catalogd;

    @Inject
    public HttpClients(Vertx vertx, MatrixdConfig config) {
        // Searches run on the event loops: each loop calls embedd and vectord through its own pool (see
        // LoopLocalWebClients); 16 connections per loop and peer covers the 10-connection benchmark and more.
        this.clients = new LoopLocalWebClients(vertx, new WebClientOptions().setKeepAlive(true).setMaxPoolSize(16)
                .setConnectTimeout(2000).setUserAgent("lakehouse-matrixd"));
        this.client = clients.shared();
        this.embedd = of("embedd", config.embedd());
        this.vectord = of("vectord", config.vectord());
        this.catalogd = of("catalogd", config.catalogd());
        MatrixdConfig.ChatdUpstream c = config.chatd();
        this.chatd = new Upstream("matrixd", "chatd", client, c.timeout(), 0, c.circuitBreakerVolume(), 0.5, c.circuitBreakerDelay());
    }

    private Upstream of(String name, MatrixdConfig.Upstream u) {
        return Upstream.of("matrixd", name, clients, u);
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
        clients.close();
    }
}

package com.lakehouse.contracts.client;

import io.vertx.core.Context;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One Vert.x WebClient per event loop. A pooled connection belongs to the event loop that opened it; a call made
 * from another loop has every read and write handed across threads (a selector wake-up each way). A daemon whose
 * routes run on the event loops and call peers (matrixd's search: an embed and a vectord search per corpus) keeps
 * each call on the thread that serves the request when each loop has its own client. Off the event loops (jobs,
 * workers) one shared client serves.
 */
public final class LoopLocalWebClients implements Supplier<WebClient>, AutoCloseable {
    private final Vertx vertx;
    private final WebClientOptions options;
    private final WebClient shared;
    private final Map<Thread, WebClient> perLoop = new ConcurrentHashMap<>();

    public LoopLocalWebClients(Vertx vertx, WebClientOptions options) {
        this.vertx = vertx;
        this.options = options;
        this.shared = WebClient.create(vertx, options);
    }

    /** The calling event loop's client, or the shared one. */
    @Override
    public WebClient get() {
        Context c = io.vertx.core.Vertx.currentContext();
        if (c == null || !c.isEventLoopContext()) {
            return shared;
        }
        return perLoop.computeIfAbsent(Thread.currentThread(), t -> WebClient.create(vertx, new WebClientOptions(options)));
    }

    /** The client for calls that need one fixed instance (streaming helpers, tests). */
    public WebClient shared() {
        return shared;
    }

    @Override
    public void close() {
        perLoop.values().forEach(WebClient::close);
        shared.close();
    }
}

package com.lakehouse.gateway.api;

import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Ollama's {@code /api/*} paths through the same proxy as {@code /v1} (and behind the same API key: Ollama
 * clients send {@code Authorization: Bearer}). Which daemon answers is {@code RoutingTable}'s; a path it does
 * not route (e.g. {@code /api/pull}) is the proxy's 404 problem listing the routes.
 */
@ApplicationScoped
public class OllamaRoutes {
    @Inject
    ProxyRoutes proxy;

    void routes(@Observes Router router) {
        router.routeWithRegex("/api(/.*)?").order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT).handler(proxy::proxy);
    }
}

package com.lakehouse.gateway.api;

import com.lakehouse.contracts.http.RequestIds;
import com.lakehouse.gateway.config.GatewayConfig;
import com.lakehouse.gateway.service.ApiKeys;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.util.List;

/**
 * Runs before every route (RESTEasy, the proxy, static files, /q): takes or makes the request id (written back
 * into the request headers so RESTEasy's filter sees the same id, and onto the response), then checks the API key
 * on everything but {@code /health} and the console page ({@code /q/*} is on the loopback management port).
 */
@ApplicationScoped
public class GatewayFilters {
    private static final Logger LOG = Logger.getLogger(GatewayFilters.class);

    @Inject
    GatewayConfig config;

    @Inject
    MeterRegistry registry;

    private volatile ApiKeys keys;
    private Counter rejected;

    void start(@Observes StartupEvent ev) {
        keys();
        if (!config.authEnabled()) {
            LOG.warn("!!! API-KEY AUTH IS OFF (lakehouse.gateway.auth-enabled=false): every /v1 route is open to anyone "
                    + "who can reach this port. Use this only on a local, loopback-only stack. !!!");
        } else {
            LOG.infof("API-key auth on: %d key(s) accepted", keys.size());
        }
    }

    private ApiKeys keys() {
        if (keys == null) {
            synchronized (this) {
                if (keys == null) {
                    ApiKeys k = ApiKeys.load(config.apiKeys().orElse(List.of()),
                            config.apiKeysFile().filter(f -> !f.isBlank()).map(Path::of).orElse(null));
                    if (config.authEnabled() && k.size() == 0) {
                        throw new IllegalStateException("gateway refuses to start: lakehouse.gateway.auth-enabled=true "
                                + "but no key in lakehouse.gateway.api-keys or lakehouse.gateway.api-keys-file "
                                + "(set keys, or set lakehouse.gateway.auth-enabled=false for a local stack)");
                    }
                    rejected = Counter.builder("gateway.auth.rejected").description("requests refused for a missing or wrong API key")
                            .register(registry);
                    keys = k;
                }
            }
        }
        return keys;
    }

    void register(@Observes Filters filters) {
        filters.register(this::filter, 100);
    }

    /**
     * Paths served without a key on the public port: {@code /health} and the static pages (the console asks for the
     * key itself). {@code /q/*} is not here: it lives on the management interface (loopback, gateway port + 12), so on
     * the public port it is just an unknown path behind the key.
     */
    static boolean open(String path) {
        return path == null || path.equals("/") || path.equals("/health") || path.equals("/index.html")
                || path.equals("/favicon.ico") || path.startsWith("/console/");
    }

    void filter(RoutingContext ctx) {
        String id = RequestIds.acceptOrCreate(ctx.request().getHeader(RequestIds.HEADER));
        ctx.put(VertxProblems.REQUEST_ID_KEY, id);
        ctx.request().headers().set(RequestIds.HEADER, id);
        ctx.response().putHeader(RequestIds.HEADER, id);
        RequestIds.set(id);
        if (config.authEnabled() && !open(ctx.normalizedPath())) {
            String presented = ApiKeys.presented(ctx.request().getHeader("Authorization"), ctx.request().getHeader("X-API-Key"));
            if (!keys().accepts(presented)) {
                rejected.increment();
                ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"lakehouse\"");
                VertxProblems.send(ctx, 401, "unauthorized", presented == null
                        ? "an API key is required: send 'Authorization: Bearer <key>' or 'X-API-Key: <key>'"
                        : "the API key is not valid");
                return;
            }
        }
        ctx.next();
    }
}

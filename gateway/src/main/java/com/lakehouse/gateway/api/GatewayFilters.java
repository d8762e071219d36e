package com.lakehouse.gateway.api;

import com.lakehouse.contracts.http.KeyNames;
import com.lakehouse.contracts.http.RequestIds;
import com.lakehouse.gateway.config.GatewayConfig;
import com.lakehouse.gateway.service.ApiKeys;
import com.lakehouse.gateway.service.RateLimits;
import com.lakehouse.gateway.service.RouteScopes;
import com.lakehouse.gateway.service.Scope;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Runs before every route of the public port (RESTEasy, the proxy, static files), in four steps:
 * <ol>
 *   <li>request id: taken or made, written back into the request headers (RESTEasy's filter sees the same id)
 *       and onto the response;</li>
 *   <li>open paths ({@link #open}) go on without a key;</li>
 *   <li>the key: missing or unknown is 401; a key without the scope the route needs ({@link RouteScopes}) is 403;
 *       over the key's rate ({@link RateLimits}) is 429 with {@code Retry-After};</li>
 *   <li>the key's name (never the key) goes upstream as {@code X-Lakehouse-Key-Name}, so observed operations can
 *       say whose request it was. A client-sent header of that name is always dropped.</li>
 * </ol>
 * The desk and console pages and their scripts ({@code /webjars/}) are open. {@code /q/*} is not on this port at all: it lives on the loopback management interface.
 */
@ApplicationScoped
public class GatewayFilters {
    private static final Logger LOG = Logger.getLogger(GatewayFilters.class);

    @Inject
    GatewayConfig config;

    @Inject
    MeterRegistry registry;

    private volatile ApiKeys keys;
    private volatile long keyFileStamp;
    private volatile long nextKeyFileCheck;
    private RateLimits limits;
    private Counter rejected;
    private Counter forbidden;
    private Counter limited;

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
                    rejected = Counter.builder("gateway.auth.rejected").description("requests refused for a missing or wrong API key")
                            .register(registry);
                    forbidden = Counter.builder("gateway.auth.forbidden").description("requests refused: the key lacks the route's scope")
                            .register(registry);
                    limited = Counter.builder("gateway.rate.limited").description("requests refused: the key is over its rate limit")
                            .register(registry);
                    limits = new RateLimits(config.rateLimit().requestsPerSecond(), config.rateLimit().burstFactor());
                    keys = loadKeys();
                    nextKeyFileCheck = System.nanoTime() + config.apiKeysFileCheckInterval().toNanos();
                }
            }
        }
        maybeReload();
        return keys;
    }

    private Optional<Path> keyFile() {
        return config.apiKeysFile().filter(f -> !f.isBlank()).map(Path::of);
    }

    private ApiKeys loadKeys() {
        keyFileStamp = keyFile().map(GatewayFilters::stamp).orElse(0L);
        ApiKeys k = ApiKeys.load(config.apiKeys().orElse(List.of()), keyFile().orElse(null));
        if (config.authEnabled() && k.size() == 0) {
            throw new IllegalStateException("gateway refuses to start: lakehouse.gateway.auth-enabled=true "
                    + "but no key in lakehouse.gateway.api-keys or lakehouse.gateway.api-keys-file "
                    + "(set keys, or set lakehouse.gateway.auth-enabled=false for a local stack)");
        }
        if (k.legacyCount() > 0) {
            LOG.warnf("%s holds %d plain key(s) (the old format); write 'name=N scopes=S sha256=<hex>' lines instead "
                    + "(./lakehouse key add does)", keyFile().orElse(null), k.legacyCount());
        }
        return k;
    }

    /** Re-reads the key file when its modification time changed; a broken file keeps the previous keys. */
    private void maybeReload() {
        if (keyFile().isEmpty() || System.nanoTime() < nextKeyFileCheck) {
            return;
        }
        synchronized (this) {
            nextKeyFileCheck = System.nanoTime() + config.apiKeysFileCheckInterval().toNanos();
            long now = stamp(keyFile().get());
            if (now == keyFileStamp) {
                return;
            }
            try {
                keys = loadKeys();
                limits.clear();
                LOG.infof("key file changed: %d key(s) accepted", keys.size());
            } catch (RuntimeException e) {
                keyFileStamp = now;
                LOG.errorf("key file %s not applied, previous keys kept: %s", keyFile().get(), e.getMessage());
            }
        }
    }

    private static long stamp(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis() * 31 + Files.size(p);
        } catch (IOException e) {
            return -1;
        }
    }

    void register(@Observes Filters filters) {
        filters.register(this::filter, 100);
    }

    /**
     * Paths served without a key on the public port: {@code /health} and the static pages (the console and desk
     * ask for the key themselves). {@code /q/*} is not here: it lives on the management interface (loopback,
     * gateway port + 12), so on the public port it is just an unknown path behind the key.
     */
    static boolean open(String path) {
        return path == null || path.equals("/") || path.equals("/health") || path.equals("/index.html")
                || path.equals("/favicon.ico") || path.startsWith("/console/") || path.equals("/desk")
                || path.startsWith("/desk/") || path.startsWith("/webjars/");
    }

    void filter(RoutingContext ctx) {
        String id = RequestIds.acceptOrCreate(ctx.request().getHeader(RequestIds.HEADER));
        ctx.put(VertxProblems.REQUEST_ID_KEY, id);
        ctx.request().headers().set(RequestIds.HEADER, id);
        ctx.response().putHeader(RequestIds.HEADER, id);
        RequestIds.set(id);
        // Only the gateway says which key a request came with.
        ctx.request().headers().remove(KeyNames.HEADER);
        if (!config.authEnabled() || open(ctx.normalizedPath())) {
            ctx.next();
            return;
        }
        String presented = ApiKeys.presented(ctx.request().getHeader("Authorization"), ctx.request().getHeader("X-API-Key"));
        Optional<ApiKeys.Key> key = keys().find(presented);
        if (key.isEmpty()) {
            rejected.increment();
            ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"lakehouse\"");
            VertxProblems.send(ctx, 401, "unauthorized", presented == null
                    ? "an API key is required: send 'Authorization: Bearer <key>' or 'X-API-Key: <key>'"
                    : "the API key is not valid");
            return;
        }
        Scope needed = RouteScopes.required(ctx.request().method().name(), ctx.normalizedPath());
        if (!key.get().allows(needed)) {
            forbidden.increment();
            VertxProblems.send(ctx, 403, "forbidden", "the key '" + key.get().name() + "' lacks the '" + needed.wire()
                    + "' scope that " + ctx.request().method().name() + " " + ctx.normalizedPath() + " needs");
            return;
        }
        Duration wait = limits.tryAcquire(key.get());
        if (!wait.isZero()) {
            limited.increment();
            long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
            ctx.response().putHeader("Retry-After", Long.toString(seconds));
            VertxProblems.send(ctx, 429, "rate_limited", "the key '" + key.get().name() + "' is over its rate limit; retry in "
                    + seconds + " s");
            return;
        }
        ctx.request().headers().set(KeyNames.HEADER, key.get().name());
        ctx.put(KeyNames.MDC_KEY, key.get().name());
        ctx.next();
    }
}

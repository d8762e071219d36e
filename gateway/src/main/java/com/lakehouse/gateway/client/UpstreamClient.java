package com.lakehouse.gateway.client;

import com.lakehouse.gateway.config.GatewayConfig;
import com.lakehouse.gateway.service.UpstreamUrls;
import com.lakehouse.gateway.service.Upstreams;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.util.TypeLiteral;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.net.ConnectException;
import java.net.URI;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The gateway's one door to the other daemons: a Vert.x HttpClient (true streaming both ways) behind a SmallRye
 * Fault Tolerance guard per daemon. The guard bounds the time to the response head (per-daemon timeout), keeps a
 * circuit breaker per daemon (connect errors and timeouts count; HTTP statuses do not).
 * A connect error fails over to the next replica inside the guarded call (safe: nothing of the body has been sent
 * before the connection exists), so the breaker opens only when no replica of the daemon can be reached.
 */
@Singleton
public class UpstreamClient {
    private static final Logger LOG = Logger.getLogger(UpstreamClient.class);

    /** A request whose body was refused by the gateway itself (too large, client gone); not the upstream's fault. */
    public static final class ClientSideAbort extends RuntimeException {
        public ClientSideAbort(String why) {
            super(why, null, false, false);
        }
    }

    /** The upstream answered with a response head; the body is still to be read from {@code response}. */
    public record Exchange(URI base, HttpClientRequest request, HttpClientResponse response) {
    }

    /** Writes the request body once the upstream connection exists; completes when it is fully sent. */
    public interface BodyWriter extends Function<HttpClientRequest, Future<Void>> {
    }

    @Inject
    Vertx vertx;

    @Inject
    Upstreams upstreams;

    @Inject
    GatewayConfig config;

    @Inject
    MeterRegistry registry;

    private HttpClient http;
    private final Map<String, TypedGuard<CompletionStage<Exchange>>> guards = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> breakerStates = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    @PostConstruct
    void init() {
        HttpClientOptions options = new HttpClientOptions()
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                .setIdleTimeout((int) config.idleTimeout().toMillis())
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                .setKeepAlive(true)
                .setDecompressionSupported(false)
                .setVerifyHost(true);
        http = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(config.maxConnectionsPerUpstream())
                .setMaxWaitQueueSize(-1));
        for (Upstreams.Upstream u : upstreams.all().values()) {
            guards.put(u.daemon(), guardFor(u));
        }
    }

    @PreDestroy
    void close() {
        if (http != null) {
            http.close();
        }
    }

    private TypedGuard<CompletionStage<Exchange>> guardFor(Upstreams.Upstream u) {
        AtomicInteger state = new AtomicInteger(0);
        breakerStates.put(u.daemon(), state);
        Gauge.builder("gateway.upstream.breaker.state", state, AtomicInteger::get)
                .description("circuit breaker per daemon: 0 closed, 1 open, 2 half-open")
                .tag("daemon", u.daemon()).register(registry);
        GatewayConfig.Breaker b = config.breaker();
        TypedGuard.Builder<CompletionStage<Exchange>> builder = TypedGuard
                .create(new TypeLiteral<CompletionStage<Exchange>>() {
                })
                .withDescription("gateway upstream " + u.daemon())
                .withThreadOffload(false)
                .withTimeout().duration(u.timeout().toMillis(), ChronoUnit.MILLIS).done()
                .withCircuitBreaker()
                .name("gateway-" + u.daemon())
                .requestVolumeThreshold(b.requestVolumeThreshold())
                .failureRatio(b.failureRatio())
                .delay(b.delay().toMillis(), ChronoUnit.MILLIS)
                .successThreshold(b.successThreshold())
                .skipOn(ClientSideAbort.class)
                .onStateChange(s -> {
                    state.set(switch (s) {
                        case CLOSED -> 0;
                        case OPEN -> 1;
                        case HALF_OPEN -> 2;
                    });
                    if (s == CircuitBreakerState.OPEN) {
                        LOG.warnf("circuit breaker for %s is OPEN: routes answer 503 for %s", u.daemon(), b.delay());
                    } else {
                        LOG.infof("circuit breaker for %s is %s", u.daemon(), s);
                    }
                })
                .done();
        return builder.build();
    }

    /** 0 closed, 1 open, 2 half-open. */
    public int breakerState(String daemon) {
        AtomicInteger s = breakerStates.get(daemon);
        return s == null ? 0 : s.get();
    }

    /**
     * Opens a request to one replica of {@code daemon} (round robin, failover on connect errors), writes the
     * headers, lets {@code body} stream the request body, and completes with the response head. Failures:
     * {@link ConnectException} (down), MicroProfile TimeoutException, CircuitBreakerOpenException, a transport
     * error, or {@link ClientSideAbort} when the caller set {@code clientAbort} (body too large, client gone: not
     * counted by the breaker); {@code current} holds the request opened so the caller can reset it.
     */
    public CompletionStage<Exchange> exchange(String daemon, HttpMethod method, String pathAndQuery, MultiMap headers,
                                              BodyWriter body, AtomicReference<HttpClientRequest> current,
                                              AtomicReference<String> clientAbort) {
        Upstreams.Upstream u = upstreams.get(daemon);
        return guards.get(daemon).get(() -> connect(u, u.next(), u.bases().size() - 1, method, pathAndQuery)
                .compose(c -> send(c, headers, body, current, clientAbort))
                .toCompletionStage());
    }

    private record Connected(URI base, HttpClientRequest request) {
    }

    /**
     * Opens a request to {@code base}; on a connect error (nothing of the body sent yet) tries the next replica, up to
     * {@code failovers} more, so the breaker sees one outcome per request: a failure only when no replica connects.
     */
    private Future<Connected> connect(Upstreams.Upstream u, URI base, int failovers, HttpMethod method, String pathAndQuery) {
        RequestOptions opts = new RequestOptions()
                .setMethod(method)
                .setHost(base.getHost())
                .setPort(UpstreamUrls.port(base))
                .setSsl("https".equals(base.getScheme()))
                .setURI(UpstreamUrls.basePath(base) + pathAndQuery)
                .setConnectTimeout(config.connectTimeout().toMillis())
                .setIdleTimeout(config.idleTimeout().toMillis())
                .setFollowRedirects(false);
        return http.request(opts).map(req -> new Connected(base, req)).recover(err -> {
            if (err instanceof ConnectException && failovers > 0) {
                LOG.debugf("%s replica %s refused the connection (%s), trying the next one", u.daemon(), base, err.getMessage());
                return connect(u, u.next(), failovers - 1, method, pathAndQuery);
            }
            return Future.failedFuture(err);
        });
    }

    private Future<Exchange> send(Connected c, MultiMap headers, BodyWriter body, AtomicReference<HttpClientRequest> current,
                                  AtomicReference<String> clientAbort) {
        HttpClientRequest req = c.request();
        current.set(req);
        req.exceptionHandler(e -> LOG.debugf("upstream request to %s failed: %s", c.base(), e.getMessage()));
        req.headers().addAll(headers);
        body.apply(req);
        return req.response()
                .recover(err -> Future.failedFuture(clientAbort.get() != null
                        ? new ClientSideAbort(clientAbort.get()) : err))
                .map(resp -> {
                    // Hold the body until the caller has its pipe in place (it may be on another thread).
                    resp.pause();
                    return new Exchange(c.base(), req, resp);
                });
    }

    /** Records one proxied call: {@code gateway.upstream.requests} tagged daemon and status. */
    public void record(String daemon, String status, long nanos) {
        timers.computeIfAbsent(daemon + " " + status, k -> Timer.builder("gateway.upstream.requests")
                        .description("requests proxied to a daemon, by final status")
                        .tag("daemon", daemon).tag("status", status).register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }
}

package com.lakehouse.gateway.client;

import com.lakehouse.gateway.config.GatewayConfig;
import com.lakehouse.gateway.service.UpstreamUrls;
import com.lakehouse.gateway.service.Upstreams;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
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
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.jboss.logging.Logger;

import java.net.ConnectException;
import java.net.URI;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The gateway's one door to the other daemons: Vert.x HttpClients (true streaming both ways) behind a SmallRye
 * Fault Tolerance circuit breaker per daemon (connect errors, resets and timeouts count; HTTP statuses do not).
 *
 * <p>Hot-path choices, each from the profile in docs/benchmarks.md:
 * <ul>
 *   <li>One HttpClient per event loop. A pooled connection belongs to the event loop that opened it; a request
 *   served on another loop would hand every read and write across threads (a selector wake-up each way). With a
 *   client per loop the client request, the upstream connection and the answer stay on one thread.</li>
 *   <li>The time to the response head is bounded by a Vert.x timer on that same loop, not by the guard's
 *   timeout (which schedules on a timer thread and completes on it: two more thread hand-offs per call).</li>
 * </ul>
 * A connect error fails over to the next replica (nothing of the body has been sent before the connection
 * exists). A pooled connection that is reset or closed before the response head (the daemon died, or closed an
 * idle connection just as it was reused) is retried once on a new connection when that is safe: a request without
 * a body (no body byte was sent, so there is nothing to replay; the same for any method). A request whose body went
 * out is not replayed (the gateway streams bodies, it does not keep them, and the daemon may have acted on it): it
 * fails with {@link UpstreamGone}, a 503 the client may retry, never a 502.
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

    /**
     * The upstream connection was reset or closed before the response head and the request could not be retried
     * safely (or the retry failed the same way): the daemon is down or going down, so 503.
     */
    public static final class UpstreamGone extends RuntimeException {
        public UpstreamGone(String why, Throwable cause) {
            super(why, cause, false, false);
        }
    }

    /** The upstream answered with a response head; the body is still to be read from {@code response}. */
    public record Exchange(URI base, HttpClientRequest request, HttpClientResponse response) {
    }

    /**
     * Writes the request body once the upstream connection exists; completes when it is fully sent. For a request
     * without a body it may be called a second time, for the retry.
     */
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

    @Inject
    HealthProbeClient probes;

    @Inject
    CircuitBreakerMaintenance breakers;

    /** Per daemon, the timer that watches an open breaker's daemon for readiness (0: none). */
    private final Map<String, AtomicLong> readinessWatch = new ConcurrentHashMap<>();

    private HttpClientOptions options;
    private PoolOptions pool;
    /** For calls made off the event loops (none on the proxy path) and for retries: never a pooled connection reused. */
    private HttpClient shared;
    private HttpClient fresh;
    private final Map<Thread, HttpClient> perLoop = new ConcurrentHashMap<>();
    private final Map<String, TypedGuard<CompletionStage<Exchange>>> guards = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> breakerStates = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    @PostConstruct
    void init() {
        options = new HttpClientOptions()
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                .setIdleTimeout((int) config.idleTimeout().toMillis())
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                .setKeepAlive(true)
                .setDecompressionSupported(false)
                .setVerifyHost(true);
        pool = new PoolOptions().setHttp1MaxSize(config.maxConnectionsPerUpstream()).setMaxWaitQueueSize(-1);
        shared = vertx.createHttpClient(options, pool);
        fresh = vertx.createHttpClient(new HttpClientOptions(options).setKeepAlive(false), pool);
        for (Upstreams.Upstream u : upstreams.all().values()) {
            guards.put(u.daemon(), guardFor(u));
        }
    }

    @PreDestroy
    void close() {
        perLoop.values().forEach(HttpClient::close);
        if (shared != null) {
            shared.close();
        }
        if (fresh != null) {
            fresh.close();
        }
    }

    /** The calling event loop's own client (see the class comment), or the shared one off the event loops. */
    private HttpClient client() {
        Context c = Vertx.currentContext();
        if (c == null || !c.isEventLoopContext()) {
            return shared;
        }
        return perLoop.computeIfAbsent(Thread.currentThread(), t -> vertx.createHttpClient(options, pool));
    }

    private TypedGuard<CompletionStage<Exchange>> guardFor(Upstreams.Upstream u) {
        AtomicInteger state = new AtomicInteger(0);
        breakerStates.put(u.daemon(), state);
        Gauge.builder("gateway.upstream.breaker.state", state, AtomicInteger::get)
                .description("circuit breaker per daemon: 0 closed, 1 open, 2 half-open")
                .tag("daemon", u.daemon()).register(registry);
        GatewayConfig.Breaker b = config.breaker();
        return TypedGuard.create(new TypeLiteral<CompletionStage<Exchange>>() {
                })
                .withDescription("gateway upstream " + u.daemon())
                .withThreadOffload(false)
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
                        watchForReady(u);
                    } else {
                        LOG.infof("circuit breaker for %s is %s", u.daemon(), s);
                    }
                })
                .done()
                .build();
    }

    /**
     * While a daemon's breaker is not closed, probe its readiness every quarter of the breaker delay (250 ms to
     * 1 s) and close the breaker as soon as one replica answers ready. Without this the breaker's half-open state
     * lets exactly one trial call through and answers every other call "breaker open" until that trial returns,
     * and the first call into a freshly restarted JVM can take seconds (the soak saw 11.5 s of 503s after the
     * daemon was ready). Readiness is the daemon's own word that it can serve; a daemon that then fails opens the
     * breaker again the usual way.
     */
    private void watchForReady(Upstreams.Upstream u) {
        AtomicLong watch = readinessWatch.computeIfAbsent(u.daemon(), d -> new AtomicLong());
        long every = Math.max(250, Math.min(1000, config.breaker().delay().toMillis() / 4));
        long id = vertx.setPeriodic(every, every, t -> {
            if (breakerState(u.daemon()) == 0) {
                stopWatching(u.daemon(), t);
                return;
            }
            for (URI base : u.bases()) {
                probes.probe(base).subscribe().with(p -> {
                    if (p.up() && breakerState(u.daemon()) != 0) {
                        LOG.infof("%s answers ready at %s: closing its circuit breaker", u.daemon(), base);
                        breakers.reset("gateway-" + u.daemon());
                        breakerStates.get(u.daemon()).set(0);
                        stopWatching(u.daemon(), t);
                    }
                });
            }
        });
        long prior = watch.getAndSet(id);
        if (prior != 0 && prior != id) {
            vertx.cancelTimer(prior);
        }
    }

    private void stopWatching(String daemon, long timer) {
        vertx.cancelTimer(timer);
        readinessWatch.get(daemon).compareAndSet(timer, 0);
    }

    /** 0 closed, 1 open, 2 half-open. */
    public int breakerState(String daemon) {
        AtomicInteger s = breakerStates.get(daemon);
        return s == null ? 0 : s.get();
    }

    /**
     * Opens a request to one replica of {@code daemon} (round robin, failover on connect errors), writes the
     * headers, lets {@code body} stream the request body, and completes with the response head. Failures:
     * {@link ConnectException} (down), MicroProfile TimeoutException (no head within the daemon's timeout),
     * CircuitBreakerOpenException, {@link UpstreamGone} (reset before the head, not retried or retried in vain),
     * another transport error, or {@link ClientSideAbort} when the caller set {@code clientAbort} (body too large,
     * client gone: not counted by the breaker); {@code current} holds the request opened so the caller can reset it.
     */
    public CompletionStage<Exchange> exchange(String daemon, HttpMethod method, String pathAndQuery, MultiMap headers,
                                              boolean hasBody, BodyWriter body,
                                              AtomicReference<HttpClientRequest> current,
                                              AtomicReference<String> clientAbort) {
        Upstreams.Upstream u = upstreams.get(daemon);
        Call call = new Call(u, method, pathAndQuery, headers, hasBody, body, current, clientAbort);
        return guards.get(daemon).get(() -> call.attempt(client(), u.next()).toCompletionStage());
    }

    private record Connected(URI base, HttpClientRequest request) {
    }

    /** One proxied call: its attempts share the head deadline. */
    private final class Call {
        final Upstreams.Upstream u;
        final HttpMethod method;
        final String pathAndQuery;
        final MultiMap headers;
        final boolean hasBody;
        final BodyWriter body;
        final AtomicReference<HttpClientRequest> current;
        final AtomicReference<String> clientAbort;
        final long deadline;
        boolean retried;

        Call(Upstreams.Upstream u, HttpMethod method, String pathAndQuery, MultiMap headers, boolean hasBody,
             BodyWriter body, AtomicReference<HttpClientRequest> current,
             AtomicReference<String> clientAbort) {
            this.u = u;
            this.method = method;
            this.pathAndQuery = pathAndQuery;
            this.headers = headers;
            this.hasBody = hasBody;
            this.body = body;
            this.current = current;
            this.clientAbort = clientAbort;
            this.deadline = System.nanoTime() + u.timeout().toNanos();
        }

        Future<Exchange> attempt(HttpClient http, URI base) {
            return connect(http, base, u.bases().size() - 1)
                    .compose(this::send)
                    .recover(err -> {
                        if (!retried && clientAbort.get() == null && isResetBeforeHead(err)) {
                            if (!hasBody) {
                                retried = true;
                                LOG.debugf("%s: connection to %s closed before the response head (%s); retrying on a "
                                        + "new connection", u.daemon(), base, err.getMessage());
                                return attempt(fresh, base);
                            }
                            return Future.failedFuture(new UpstreamGone(u.daemon() + " closed the connection before "
                                    + "answering (" + err.getMessage() + "); not retried: the request body was sent", err));
                        }
                        if (retried && isResetBeforeHead(err)) {
                            return Future.failedFuture(new UpstreamGone(u.daemon() + " closed the connection before "
                                    + "answering, twice (" + err.getMessage() + ")", err));
                        }
                        return Future.failedFuture(err);
                    });
        }

        /**
         * Opens a request to {@code base}; on a connect error (nothing of the body sent yet) tries the next replica,
         * up to {@code failovers} more, so the breaker sees one outcome per request.
         */
        private Future<Connected> connect(HttpClient http, URI base, int failovers) {
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
                    LOG.debugf("%s replica %s refused the connection (%s), trying the next one", u.daemon(), base,
                            err.getMessage());
                    return connect(http, u.next(), failovers - 1);
                }
                return Future.failedFuture(err);
            });
        }

        private Future<Exchange> send(Connected c) {
            HttpClientRequest req = c.request();
            current.set(req);
            req.exceptionHandler(e -> LOG.debugf("upstream request to %s failed: %s", u.daemon(), e.getMessage()));
            req.headers().addAll(headers);
            Promise<Exchange> head = Promise.promise();
            long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
            long timer = vertx.setTimer(left, id -> {
                if (head.tryFail(new TimeoutException(u.daemon() + " did not answer within " + u.timeout()))) {
                    req.reset();
                }
            });
            body.apply(req);
            req.response().onComplete(ar -> {
                vertx.cancelTimer(timer);
                if (ar.succeeded()) {
                    HttpClientResponse resp = ar.result();
                    // Hold the body until the caller has its pipe in place.
                    resp.pause();
                    if (!head.tryComplete(new Exchange(c.base(), req, resp))) {
                        req.reset();
                    }
                } else {
                    head.tryFail(clientAbort.get() != null ? new ClientSideAbort(clientAbort.get()) : ar.cause());
                }
            });
            return head.future();
        }
    }

    /** A connection closed or reset by the peer before any response head: the transport's own words for it. */
    static boolean isResetBeforeHead(Throwable err) {
        if (err instanceof io.vertx.core.http.HttpClosedException) {
            return true;
        }
        if (err instanceof java.io.IOException io && io.getMessage() != null) {
            String m = io.getMessage().toLowerCase(java.util.Locale.ROOT);
            return m.contains("connection reset") || m.contains("broken pipe") || m.contains("connection was closed");
        }
        return false;
    }

    /** Records one proxied call: {@code gateway.upstream.requests} tagged daemon and status. */
    public void record(String daemon, String status, long nanos) {
        timers.computeIfAbsent(daemon + " " + status, k -> Timer.builder("gateway.upstream.requests")
                        .description("requests proxied to a daemon, by final status")
                        .tag("daemon", daemon).tag("status", status).register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }
}

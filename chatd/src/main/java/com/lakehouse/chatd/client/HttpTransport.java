package com.lakehouse.chatd.client;

import com.lakehouse.chatd.config.ChatdConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.parsetools.RecordParser;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one outgoing HTTP client of chatd (Vert.x core HttpClient, pooled, keep-alive). Callers run on worker
 * threads and block; a blocked call is interruptible, so the fault-tolerance timeout can cancel it.
 */
@ApplicationScoped
public class HttpTransport {
    @Inject
    Vertx vertx;
    @Inject
    ChatdConfig config;

    private HttpClient client;

    /** A complete upstream answer. */
    public record Reply(int status, MultiMap headers, byte[] body) {
        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    @PostConstruct
    void init() {
        client = vertx.createHttpClient(new HttpClientOptions()
                .setKeepAlive(true)
                .setMaxPoolSize(config.maxConnectionsPerHost())
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                .setDecompressionSupported(true));
    }

    void stop(@Observes ShutdownEvent ev) {
        if (client != null) {
            client.close();
        }
    }

    private RequestOptions options(String url, Map<String, String> headers, Duration idle) {
        RequestOptions o = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url)
                .setIdleTimeout(Math.max(1, idle.toMillis()));
        headers.forEach(o::putHeader);
        return o;
    }

    /** POSTs a body without blocking; the stage fails with an {@link UpstreamException} on I/O errors. */
    public java.util.concurrent.CompletionStage<Reply> postAsync(String url, Map<String, String> headers, byte[] body,
                                                             Duration timeout) {
        CompletableFuture<Reply> out = new CompletableFuture<>();
        client.request(options(url, headers, timeout))
                .compose(req -> req.send(Buffer.buffer(body)))
                .compose(resp -> resp.body().map(b -> new Reply(resp.statusCode(), resp.headers(), b.getBytes())))
                .onComplete(ar -> {
                    if (ar.succeeded()) {
                        out.complete(ar.result());
                    } else {
                        out.completeExceptionally(classifyIo(ar.cause()));
                    }
                });
        return out;
    }

    /** POSTs a body and returns as soon as the status line and headers are in; the body is read line by line. */
    public LineStream postStreaming(String url, Map<String, String> headers, byte[] body, Duration timeout,
                                    Duration idleTimeout) {
        LineStream lines = new LineStream(idleTimeout);
        AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
        CompletableFuture<HttpClientResponse> head = new CompletableFuture<>();
        client.request(options(url, headers, idleTimeout.compareTo(timeout) > 0 ? idleTimeout : timeout))
                .compose(req -> {
                    sent.set(req);
                    lines.request = req;
                    return req.send(Buffer.buffer(body));
                }).onComplete(ar -> {
                    if (ar.failed()) {
                        head.completeExceptionally(ar.cause());
                        return;
                    }
                    HttpClientResponse resp = ar.result();
                    // Handlers are attached on the event loop before any body chunk can arrive.
                    RecordParser parser = RecordParser.newDelimited("\n", line -> lines.offer(line.toString(StandardCharsets.UTF_8)));
                    parser.exceptionHandler(lines::fail);
                    resp.handler(parser);
                    resp.exceptionHandler(lines::fail);
                    resp.endHandler(v -> {
                        parser.handle(Buffer.buffer("\n"));
                        lines.end();
                    });
                    head.complete(resp);
                });
        HttpClientResponse resp = await(head, timeout, sent);
        lines.status = resp.statusCode();
        lines.headers = resp.headers();
        return lines;
    }

    private static <T> T await(CompletableFuture<T> f, Duration timeout, AtomicReference<HttpClientRequest> sent) {
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            reset(sent);
            Thread.currentThread().interrupt();
            throw new UpstreamException("timeout", 0, "interrupted after the attempt's timeout", e);
        } catch (TimeoutException e) {
            reset(sent);
            throw new UpstreamException("timeout", 0, "no answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            throw classifyIo(e.getCause());
        }
    }

    private static void reset(AtomicReference<HttpClientRequest> sent) {
        HttpClientRequest r = sent.get();
        if (r != null) {
            r.reset();
        }
    }

    /** Connect and transport errors are retryable; an idle-timeout close is a timeout. */
    static UpstreamException classifyIo(Throwable t) {
        if (t instanceof UpstreamException u) {
            return u;
        }
        String msg = t == null ? "unknown I/O error" : t.getClass().getSimpleName() + ": " + t.getMessage();
        if (t instanceof ConnectException || t instanceof io.netty.channel.ConnectTimeoutException
                || (t != null && t.getClass().getName().contains("Connect"))) {
            return new UpstreamException.Retryable("connect", 0, msg, -1, t);
        }
        if (t instanceof TimeoutException || (t != null && t.getClass().getSimpleName().contains("Timeout"))) {
            return new UpstreamException("timeout", 0, msg, t);
        }
        return new UpstreamException.Retryable("connect", 0, msg, -1, t);
    }

    /** Retry-After as delta seconds or an HTTP date; -1 when absent or unreadable. */
    public static long retryAfterMillis(MultiMap headers) {
        String v = headers == null ? null : headers.get("Retry-After");
        if (v == null || v.isBlank()) {
            return -1;
        }
        v = v.trim();
        try {
            return Math.max(0, (long) (Double.parseDouble(v) * 1000));
        } catch (NumberFormatException ignored) {
            // not seconds; maybe a date
        }
        try {
            ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
            return Math.max(0, at.toInstant().toEpochMilli() - System.currentTimeMillis());
        } catch (RuntimeException e) {
            return -1;
        }
    }
}

package com.lakehouse.chatd.client;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClientRequest;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The body of a streamed upstream answer as lines (SSE or NDJSON), read by one worker thread. The event loop
 * fills the queue; {@link #next()} blocks at most the idle timeout for the next line.
 */
public final class LineStream implements AutoCloseable {
    private static final Object END = new Object();
    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Duration idleTimeout;
    private volatile boolean finished;
    volatile HttpClientRequest request;
    int status;
    MultiMap headers;

    LineStream(Duration idleTimeout) {
        this.idleTimeout = idleTimeout;
    }

    public int status() {
        return status;
    }

    public MultiMap headers() {
        return headers;
    }

    void offer(String line) {
        queue.add(line);
    }

    void fail(Throwable t) {
        queue.add(t);
    }

    void end() {
        queue.add(END);
    }

    /** The next line without its line break (possibly empty), or null at the end of the body. */
    public String next() {
        if (finished) {
            return null;
        }
        Object o;
        try {
            o = queue.poll(idleTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new UpstreamException("timeout", 0, "interrupted while waiting for the stream");
        }
        if (o == null) {
            close();
            throw new UpstreamException("timeout", 0, "stream silent for more than " + idleTimeout.toMillis() + " ms");
        }
        if (o == END) {
            finished = true;
            return null;
        }
        if (o instanceof Throwable t) {
            finished = true;
            throw new UpstreamException("stream_error", 0, "stream broke: " + t.getClass().getSimpleName()
                    + (t.getMessage() == null ? "" : ": " + t.getMessage()), t);
        }
        String s = (String) o;
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    /** Reads what is left (for error bodies), capped. */
    public String drain(int maxChars) {
        StringBuilder sb = new StringBuilder();
        String line;
        while (sb.length() < maxChars && (line = next()) != null) {
            sb.append(line).append('\n');
        }
        return sb.toString();
    }

    /** Abandons the stream (resets the HTTP request when it is still running). */
    @Override
    public void close() {
        if (!finished) {
            finished = true;
            HttpClientRequest r = request;
            if (r != null) {
                r.reset();
            }
        }
    }
}

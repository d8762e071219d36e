package com.lakehouse.observerd.api;

import com.lakehouse.contracts.testing.S3ProxyTestResource;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real S3 (S3Proxy child process) plus a fresh spool directory per test run. For the workflow runner's URL
 * policy: observerd's own port is fixed up front and configured as the fleet's observerd (so workflows may call
 * it), a fake embedd answers {@code /redirect} with a 302 to an "outside" server, and that outside server counts
 * the hits it gets ({@code GET /hits}; its URL is {@code test.outside-url}).
 */
public class ObserverdTestResource extends S3ProxyTestResource {
    private HttpServer fleetEmbedd;
    private HttpServer outside;

    @Override
    public Map<String, String> start() {
        Map<String, String> m = new HashMap<>(super.start());
        try {
            m.put("lakehouse.observerd.spool-dir", Files.createTempDirectory("observerd-spool").toString());
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            m.put("quarkus.http.test-port", Integer.toString(port));
            m.put("lakehouse.fleet.observerd", "http://127.0.0.1:" + port);
            AtomicInteger hits = new AtomicInteger();
            outside = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            outside.createContext("/", ex -> {
                byte[] b = ex.getRequestURI().getPath().equals("/hits") ? Integer.toString(hits.get()).getBytes(StandardCharsets.UTF_8)
                        : ("secret-" + hits.incrementAndGet()).getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(200, b.length);
                ex.getResponseBody().write(b);
                ex.close();
            });
            outside.start();
            String outsideUrl = "http://127.0.0.1:" + outside.getAddress().getPort();
            fleetEmbedd = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            fleetEmbedd.createContext("/redirect", ex -> {
                ex.getResponseHeaders().add("Location", outsideUrl + "/latest/meta-data/");
                ex.sendResponseHeaders(302, -1);
                ex.close();
            });
            fleetEmbedd.start();
            m.put("lakehouse.fleet.embedd", "http://127.0.0.1:" + fleetEmbedd.getAddress().getPort());
            m.put("test.outside-url", outsideUrl);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        m.put("lakehouse.observerd.ship-interval", "1h");
        return m;
    }

    @Override
    public void stop() {
        if (fleetEmbedd != null) {
            fleetEmbedd.stop(0);
        }
        if (outside != null) {
            outside.stop(0);
        }
        super.stop();
    }
}

package com.lakehouse.gateway.api;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw-socket daemon that misbehaves the way a dying process does: it reads a request and closes the connection
 * before any response head. Paths (the last segment is a token, so each test counts its own attempts):
 * {@code .../drop-once/T} closes the first request for T with a FIN and answers later ones;
 * {@code .../reset-always/T} resets (RST) every request for T; {@code /q/health/ready} answers 200 or 503 as
 * {@link #ready} says. Anything else answers 200.
 */
final class DroppingDaemon implements AutoCloseable {
    private final ServerSocket server;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final Set<String> dropped = ConcurrentHashMap.newKeySet();
    /** What {@code /q/health/ready} answers: 200 while true, 503 while false. */
    volatile boolean ready = true;

    DroppingDaemon() throws IOException {
        server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
        pool.submit(this::accept);
    }

    String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** Requests seen for a token, dropped ones included. */
    int attempts(String token) {
        AtomicInteger n = attempts.get(token);
        return n == null ? 0 : n.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                pool.submit(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            while (true) {
                String head = readHead(in);
                if (head == null) {
                    return;
                }
                String[] first = head.split("\r\n", 2)[0].split(" ");
                String path = first.length > 1 ? first[1] : "/";
                in.readNBytes(contentLength(head));
                String token = path.substring(path.lastIndexOf('/') + 1);
                attempts.computeIfAbsent(token, t -> new AtomicInteger()).incrementAndGet();
                if (path.contains("/reset-always/")) {
                    s.setSoLinger(true, 0); // close with RST, as a killed process's kernel does on new data
                    return;
                }
                if (path.contains("/drop-once/") && dropped.add(token)) {
                    return; // FIN before any response head
                }
                boolean health = path.startsWith("/q/health/ready");
                String status = health && !ready ? "503 Service Unavailable" : "200 OK";
                byte[] body = ("{\"ok\":true,\"token\":\"" + token + "\"}").getBytes(StandardCharsets.UTF_8);
                out.write(("HTTP/1.1 " + status + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
            }
        } catch (IOException e) {
            // the gateway went away; nothing to do
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            b.write(c);
            byte[] a = b.toByteArray();
            int n = a.length;
            if (n >= 4 && a[n - 4] == '\r' && a[n - 3] == '\n' && a[n - 2] == '\r' && a[n - 1] == '\n') {
                return b.toString(StandardCharsets.US_ASCII);
            }
        }
        return null;
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Integer.parseInt(line.substring(15).trim());
            }
        }
        return 0;
    }

    @Override
    public void close() throws IOException {
        server.close();
        pool.shutdownNow();
    }
}

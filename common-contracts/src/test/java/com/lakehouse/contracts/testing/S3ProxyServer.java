package com.lakehouse.contracts.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * A real S3 server for tests: S3Proxy's runnable jar, filesystem-backed, as a child process on 127.0.0.1 and a
 * free port (the same server the launcher runs). Its jar is copied to {@code target/tools/s3proxy.jar} at the
 * root by the common-contracts build. Talk to it through the MinIO SDK with {@link #ACCESS_KEY}/{@link #SECRET_KEY}.
 */
public final class S3ProxyServer implements AutoCloseable {
    public static final String ACCESS_KEY = "local-identity";
    public static final String SECRET_KEY = "local-credential";

    private Process process;
    private final int port;
    private final Path dataDir;
    private final List<String> cmd;
    private final Path log;

    private S3ProxyServer(Process process, int port, Path dataDir, List<String> cmd, Path log) {
        this.process = process;
        this.port = port;
        this.dataDir = dataDir;
        this.cmd = cmd;
        this.log = log;
    }

    /** Starts a server on a free port with a fresh data directory and waits until it answers (about 3 s). */
    public static S3ProxyServer start() {
        try {
            Path dir = Files.createTempDirectory("s3proxy-test");
            return start(freePort(), dir.resolve("data"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static S3ProxyServer start(int port, Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            Path props = dataDir.getParent().resolve("s3proxy-" + port + ".properties");
            Properties p = new Properties();
            p.setProperty("s3proxy.endpoint", "http://127.0.0.1:" + port);
            p.setProperty("s3proxy.authorization", "aws-v2-or-v4");
            p.setProperty("s3proxy.identity", ACCESS_KEY);
            p.setProperty("s3proxy.credential", SECRET_KEY);
            p.setProperty("jclouds.provider", "filesystem");
            p.setProperty("jclouds.filesystem.basedir", dataDir.toAbsolutePath().toString());
            try (var out = Files.newOutputStream(props)) {
                p.store(out, "test S3 server");
            }
            List<String> cmd = new ArrayList<>();
            cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
            cmd.add("-Xmx128m");
            cmd.add("-jar");
            cmd.add(jar().toString());
            cmd.add("--properties");
            cmd.add(props.toString());
            Path log = dataDir.getParent().resolve("s3proxy-" + port + ".log");
            Process process = launch(cmd, log);
            S3ProxyServer server = new S3ProxyServer(process, port, dataDir, List.copyOf(cmd), log);
            server.awaitReady(Duration.ofSeconds(60));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Process launch(List<String> cmd, Path log) throws IOException {
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /**
     * Stops the server (S3 is down: connections are refused) and keeps its port and data, so that
     * {@link #startAgain()} brings the same bucket back on the same endpoint. For "S3 down, then back" tests.
     */
    public void stop() {
        close();
    }

    /** Starts the stopped server again on the same port and data directory and waits until it answers. */
    public void startAgain() {
        if (process.isAlive()) {
            return;
        }
        try {
            process = launch(cmd, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitReady(Duration.ofSeconds(60));
    }

    /** Where the runnable jar is: system property {@code lakehouse.tools.dir}, else target/tools upward from here. */
    public static Path jar() {
        String dir = System.getProperty("lakehouse.tools.dir");
        if (dir != null && Files.exists(Path.of(dir, "s3proxy.jar"))) {
            return Path.of(dir, "s3proxy.jar");
        }
        Path here = Path.of("").toAbsolutePath();
        while (here != null) {
            Path candidate = here.resolve("target/tools/s3proxy.jar");
            if (Files.exists(candidate)) {
                return candidate;
            }
            here = here.getParent();
        }
        throw new IllegalStateException("s3proxy.jar not found; build common-contracts first (mvn install)");
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("S3Proxy exited with " + process.exitValue() + "; see its log in " + dataDir.getParent());
            }
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create(endpoint() + "/").toURL().openConnection();
                c.setConnectTimeout(200);
                c.setReadTimeout(500);
                c.getResponseCode();
                return;
            } catch (IOException notYet) {
                sleep(100);
            }
        }
        close();
        throw new IllegalStateException("S3Proxy did not start within " + timeout);
    }

    /** A store on {@code bucket} of this server (made on first use), as the daemons' ObjectStore sees it. */
    public com.lakehouse.contracts.s3.ObjectStore objectStore(String bucket) {
        return new com.lakehouse.contracts.s3.ObjectStore(io.minio.MinioClient.builder().endpoint(endpoint())
                .credentials(ACCESS_KEY, SECRET_KEY).region("us-east-1").build(), bucket, "", 5L * 1024 * 1024);
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

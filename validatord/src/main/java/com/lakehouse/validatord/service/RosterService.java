package com.lakehouse.validatord.service;

import com.lakehouse.contracts.http.RequestIds;
import com.lakehouse.contracts.s3.ObjectStore;
import com.lakehouse.validatord.client.CatalogdClient;
import com.lakehouse.validatord.config.ValidatordConfig;
import com.lakehouse.validatord.store.ParquetRosterReader;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * Holds the live roster and loads new ones: from {@code roster-file} when set, else the latest version of the
 * roster dataset from catalogd, downloaded from S3. One load at a time, on a background thread; the new
 * roster replaces the old one only when it is complete, so checks never see a half-loaded roster.
 */
@ApplicationScoped
public class RosterService {
    private static final Logger LOG = Logger.getLogger(RosterService.class);

    @Inject
    ValidatordConfig config;
    @Inject
    CatalogdClient catalogd;
    @Inject
    ObjectStore store;

    private final AtomicReference<Roster> roster = new AtomicReference<>(Roster.EMPTY);
    private final AtomicReference<CompletableFuture<Roster>> loading = new AtomicReference<>();
    private volatile String lastError;
    private volatile Instant lastAttempt;
    private volatile String lastSource;
    private final ExecutorService loader = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "roster-loader");
        t.setDaemon(true);
        return t;
    });
    private final ScheduledExecutorService retry = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "roster-retry");
        t.setDaemon(true);
        return t;
    });

    /** Where a load reads from. */
    public enum Source { FILE, CATALOGD }

    /** What GET /v1/validate/roster answers. */
    public record Status(boolean loaded, int count, String version, Instant loadedAt, Long loadMs, boolean loading,
                         String source, String lastError, Instant lastAttempt) {
    }

    void onStart(@Observes StartupEvent ev) {
        if (config.rosterLoadAtStart()) {
            reload(null);
        }
        long watchMs = config.rosterWatchInterval().toMillis();
        if (watchMs > 0 && defaultSource() == Source.CATALOGD) {
            retry.scheduleWithFixedDelay(this::reloadWhenCatalogMoved, watchMs, watchMs, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * How a replica learns of a new roster that was ingested (or reloaded through another replica): catalogd's
     * latest version of the roster dataset is compared with the live one, and a differing one is loaded. One
     * small catalogd call per interval; nothing while a load runs or before the first roster is live (the
     * retry owns that case).
     */
    public void reloadWhenCatalogMoved() {
        CompletableFuture<Roster> running = loading.get();
        if (!loaded() || (running != null && !running.isDone())) {
            return;
        }
        try {
            String latest = catalogd.latest(config.rosterDataset()).version();
            if (latest != null && !latest.equals(roster.get().version())) {
                LOG.infof("roster dataset moved to version %s (live: %s): loading it", latest, roster.get().version());
                reload(Source.CATALOGD);
            }
        } catch (Exception e) {
            LOG.debugf("roster version check failed, will look again: %s", e.getMessage());
        }
    }

    void onStop(@Observes ShutdownEvent ev) {
        retry.shutdownNow();
        loader.shutdownNow();
    }

    private volatile boolean awaitingDataset;

    /** True while catalogd says the roster dataset does not exist yet (nothing to load, as opposed to a failure). */
    public boolean awaitingDataset() {
        return awaitingDataset && !loaded();
    }

    public Roster current() {
        return roster.get();
    }

    public boolean loaded() {
        return roster.get() != Roster.EMPTY;
    }

    public Status status() {
        Roster r = roster.get();
        boolean ok = r != Roster.EMPTY;
        CompletableFuture<Roster> f = loading.get();
        return new Status(ok, r.count(), ok ? r.version() : null, ok ? r.loadedAt() : null, ok ? r.loadMs() : null,
                f != null && !f.isDone(), lastSource, lastError, lastAttempt);
    }

    /** The default source: the file when configured, else catalogd. */
    public Source defaultSource() {
        return config.rosterFile().isPresent() ? Source.FILE : Source.CATALOGD;
    }

    /**
     * Starts a load (or joins the one running). The future completes with the new roster once it is live, or
     * exceptionally with the reason the old one stays.
     */
    public CompletableFuture<Roster> reload(Source requested) {
        Source source = requested == null ? defaultSource() : requested;
        if (source == Source.FILE && config.rosterFile().isEmpty()) {
            throw new IllegalArgumentException("no roster-file is configured");
        }
        String requestId = RequestIds.currentOrNew();
        while (true) {
            CompletableFuture<Roster> running = loading.get();
            if (running != null && !running.isDone()) {
                return running;
            }
            CompletableFuture<Roster> next = new CompletableFuture<>();
            if (loading.compareAndSet(running, next)) {
                loader.execute(() -> runLoad(source, requestId, next));
                return next;
            }
        }
    }

    private void runLoad(Source source, String requestId, CompletableFuture<Roster> done) {
        RequestIds.set(requestId);
        lastAttempt = Instant.now();
        lastSource = source.name().toLowerCase(Locale.ROOT);
        try {
            Roster r = source == Source.FILE ? loadFile(Path.of(config.rosterFile().orElseThrow())) : loadCatalogd();
            roster.set(r);
            lastError = null;
            awaitingDataset = false;
            LOG.infof("roster loaded from %s: %d workers, version %s, %d ms", lastSource, r.count(), r.version(), r.loadMs());
            done.complete(r);
        } catch (Throwable e) {
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            lastError = msg;
            // catalogd answered and has no such dataset yet (a fresh stack): nothing to load is a known state,
            // not a fault; the retry below picks the roster up once it is ingested.
            awaitingDataset = source == Source.CATALOGD && e instanceof com.lakehouse.contracts.client.UpstreamException u
                    && u.status() == 404;
            LOG.errorf("roster load from %s failed, keeping the current roster (%d workers): %s", lastSource,
                    roster.get().count(), msg);
            done.completeExceptionally(e);
            long retryMs = config.rosterRetryInterval().toMillis();
            if (!loaded() && retryMs > 0 && !retry.isShutdown()) {
                retry.schedule(() -> {
                    if (!loaded()) {
                        reload(source);
                    }
                }, retryMs, TimeUnit.MILLISECONDS);
            }
        } finally {
            RequestIds.set(null);
        }
    }

    Roster loadFile(Path path) throws Exception {
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(path)) {
            try (Stream<Path> s = Files.list(path)) {
                s.filter(p -> p.getFileName().toString().endsWith(".parquet")).sorted().forEach(files::add);
            }
        } else if (Files.isRegularFile(path)) {
            files.add(path);
        }
        if (files.isEmpty()) {
            throw new IOException("roster-file " + path + " has no Parquet file");
        }
        long t0 = System.nanoTime();
        Roster r = ParquetRosterReader.read(files, "file:" + path.getFileName(), config.duckdbMemoryLimit());
        return rebuiltWithTime(r, t0);
    }

    Roster loadCatalogd() throws Exception {
        long t0 = System.nanoTime();
        CatalogdClient.DatasetVersion v = catalogd.latest(config.rosterDataset());
        Path spool = Files.createTempDirectory(config.rosterSpoolDir().map(Path::of)
                .orElse(Path.of(System.getProperty("java.io.tmpdir"))), "roster-");
        try {
            List<Path> files = new ArrayList<>();
            int i = 0;
            for (CatalogdClient.DatasetFile f : v.files()) {
                Path target = spool.resolve(String.format("part-%05d.parquet", i++));
                store.download(f.key(), target);
                if (f.sha256() != null && !f.sha256().isBlank()) {
                    String actual = sha256(target);
                    if (!actual.equalsIgnoreCase(f.sha256())) {
                        throw new IOException("checksum mismatch for " + f.key() + ": catalogd says " + f.sha256()
                                + ", S3 has " + actual);
                    }
                }
                files.add(target);
            }
            Roster r = ParquetRosterReader.read(files, v.version(), config.duckdbMemoryLimit());
            return rebuiltWithTime(r, t0);
        } finally {
            try (Stream<Path> s = Files.list(spool)) {
                s.forEach(p -> p.toFile().delete());
            }
            Files.deleteIfExists(spool);
        }
    }

    /** The reader times the parse; the load time reported covers download and parse. */
    private static Roster rebuiltWithTime(Roster r, long t0) {
        long ms = (System.nanoTime() - t0) / 1_000_000;
        return r.withLoadMs(ms);
    }

    static String sha256(Path file) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}

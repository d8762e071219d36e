package com.lakehouse.matrixd.config;

import com.lakehouse.contracts.fleet.FleetConfig;
import com.lakehouse.contracts.jobs.JobRegistry;
import com.lakehouse.matrixd.service.Catalog;
import com.lakehouse.matrixd.service.CorpusRegistry;
import com.lakehouse.matrixd.service.CorpusStore;
import com.lakehouse.matrixd.service.Embedder;
import com.lakehouse.matrixd.service.IndexingService;
import com.lakehouse.matrixd.service.MatrixMetrics;
import com.lakehouse.matrixd.service.PlaybookService;
import com.lakehouse.matrixd.service.QueryVectors;
import com.lakehouse.matrixd.service.RoleExtractor;
import com.lakehouse.matrixd.service.RoleLlm;
import com.lakehouse.matrixd.service.SearchService;
import com.lakehouse.matrixd.service.Settings;
import com.lakehouse.matrixd.service.VectorIndex;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Builds the plain-Java services from config and the client/store beans; loads the registry at start. */
@ApplicationScoped
public class Wiring {
    private static final Logger LOG = Logger.getLogger(Wiring.class);
    private ScheduledExecutorService refresher;

    @Produces
    @Singleton
    Settings settings(MatrixdConfig c, FleetConfig fleet) {
        return new Settings(c.defaultK(), c.maxK(), c.maxCorporaPerSearch(), c.defaultDistance(), c.embedBatchSize(),
                c.addBatchSize(), c.maxDocumentsPerRequest(), fleet.vectord().replaceAll("/+$", ""),
                c.playbook().corpus(), c.playbook().model().orElse(null), c.playbook().topK(),
                c.playbook().maxDistance(), c.playbook().maxInjectDistance(), Math.max(1, c.filterOverfetch()));
    }

    @Produces
    @Singleton
    CorpusRegistry registry(CorpusStore store) {
        return new CorpusRegistry(store);
    }

    @Produces
    @Singleton
    RoleExtractor roleExtractor(RoleLlm llm, MatrixdConfig c) {
        return new RoleExtractor(llm, c.roleLlm().enabled(), c.roleLlm().cacheSize());
    }

    @Produces
    @Singleton
    MatrixMetrics metrics(MeterRegistry meters, CorpusRegistry r) {
        return new MatrixMetrics(meters, r);
    }

    @Produces
    @Singleton
    SearchService search(CorpusRegistry r, Embedder e, VectorIndex v, RoleExtractor x, Settings s, MatrixMetrics m,
                         MatrixdConfig c) {
        QueryVectors q = QueryVectors.cached(e, c.queryCache().maxBytes(), c.queryCache().ttl());
        return new SearchService(r, q, v, x, s, m);
    }

    @Produces
    @Singleton
    IndexingService indexing(CorpusRegistry r, Embedder e, VectorIndex v, Catalog c, Settings s, MatrixdConfig config) {
        int n = config.ingestConcurrency() > 0 ? config.ingestConcurrency() : 2 * Runtime.getRuntime().availableProcessors();
        return new IndexingService(r, e, v, c, s, n);
    }

    @Produces
    @Singleton
    PlaybookService playbooks(CorpusRegistry r, Embedder e, VectorIndex v, RoleExtractor x, CorpusStore st,
                              Settings s, MatrixMetrics m) {
        return new PlaybookService(r, e, v, x, st, s, m);
    }

    @Produces
    @Singleton
    JobRegistry jobs(MatrixdConfig c) {
        return new JobRegistry("matrixd", c.jobThreads(), c.jobsRetained());
    }

    void closeJobs(@Disposes JobRegistry jobs) {
        jobs.close();
    }

    void onStart(@Observes StartupEvent ev, CorpusRegistry registry, MatrixMetrics metrics, MatrixdConfig c) {
        // metrics is asked for so that its meters are registered at start, before the first search
        Infrastructure.getDefaultWorkerPool().execute(() -> loadWithRetry(registry));
        long every = Math.max(100, c.registryRefresh().toMillis());
        refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "matrixd-registry-refresh");
            t.setDaemon(true);
            return t;
        });
        refresher.scheduleWithFixedDelay(() -> refreshQuietly(registry), every, every, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent ev) {
        if (refresher != null) {
            refresher.shutdownNow();
        }
    }

    /** Another replica's registrations, taken in; an unreadable S3 keeps the current view (logged, retried). */
    static void refreshQuietly(CorpusRegistry registry) {
        if (!registry.loaded()) {
            return; // the start-up load owns the first read
        }
        try {
            registry.refresh();
        } catch (RuntimeException e) {
            LOG.warnf("corpus registry refresh failed, keeping the current view: %s", e.getMessage());
        }
    }

    static void loadWithRetry(CorpusRegistry registry) {
        for (int attempt = 1; !registry.loaded(); attempt++) {
            try {
                registry.load();
                LOG.infof("corpus registry loaded: %d corpora", registry.all().size());
            } catch (RuntimeException e) {
                LOG.warnf("corpus registry not readable yet (attempt %d): %s", attempt, e.getMessage());
                try {
                    Thread.sleep(Math.min(5000, 250L * attempt));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}

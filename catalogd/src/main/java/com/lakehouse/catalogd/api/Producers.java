package com.lakehouse.catalogd.api;

import com.lakehouse.catalogd.config.CatalogdConfig;
import com.lakehouse.catalogd.service.CatalogMetrics;
import com.lakehouse.catalogd.service.CatalogService;
import com.lakehouse.catalogd.service.IngestService;
import com.lakehouse.catalogd.service.Journal;
import com.lakehouse.catalogd.service.SqlService;
import com.lakehouse.catalogd.store.CatalogStore;
import com.lakehouse.contracts.jobs.JobRegistry;
import com.lakehouse.contracts.s3.ObjectStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.nio.file.Path;

/** Wires catalogd's plain-Java services from its config. */
@ApplicationScoped
public class Producers {
    @Produces
    @Singleton
    CatalogMetrics metrics(MeterRegistry registry) {
        return new CatalogMetrics(registry);
    }

    /** Registers the meters at start; the journal and catalog stay lazy (building them reads S3). */
    void onStart(@Observes StartupEvent ev, CatalogMetrics metrics) {
        // asking for the bean is enough: its constructor registers every meter
    }

    @Produces
    @Singleton
    Journal journal(ObjectStore store, CatalogdConfig config, CatalogMetrics metrics,
                    com.lakehouse.contracts.redact.Redactor redactor) {
        Journal journal = new Journal(store, Path.of(config.journal().spoolDir()), config.journal().segmentEvents(),
                metrics::mutated, redactor::redact, config.commit().maxAttempts());
        metrics.watch(journal);
        return journal;
    }

    @Produces
    @Singleton
    CatalogService catalog(ObjectStore store, Journal journal, CatalogMetrics metrics, CatalogdConfig config) {
        CatalogService catalog = new CatalogService(new CatalogStore(store), journal, config.refreshInterval(),
                config.commit().maxAttempts());
        metrics.watch(catalog);
        return catalog;
    }

    @Produces
    @Singleton
    IngestService ingest(CatalogdConfig config) {
        return new IngestService(Path.of(config.workDir()), config.duckdb().memoryLimit(), config.duckdb().threads(),
                config.ingest().maxErrors());
    }

    @Produces
    @Singleton
    SqlService sql(CatalogService catalog, ObjectStore store, CatalogdConfig config) {
        return new SqlService(catalog, store, Path.of(config.cacheDir()), config.duckdb().memoryLimit(),
                config.duckdb().threads());
    }

    void closeSql(@Disposes SqlService sql) {
        sql.close();
    }

    @Produces
    @Singleton
    JobRegistry jobs(CatalogdConfig config) {
        return new JobRegistry("catalogd-ingest", config.ingest().threads(), config.ingest().retainedJobs());
    }

    void closeJobs(@Disposes JobRegistry jobs) {
        jobs.close();
    }
}

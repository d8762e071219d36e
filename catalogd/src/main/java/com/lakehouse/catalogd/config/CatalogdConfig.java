package com.lakehouse.catalogd.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Every knob of catalogd ({@code lakehouse.catalogd.*}). */
@ConfigMapping(prefix = "lakehouse.catalogd")
public interface CatalogdConfig {
    /** Local directory where the Parquet files of dataset versions are cached for SQL, keyed by sha256. */
    @WithDefault("data/catalogd/cache")
    String cacheDir();

    /** Local directory for ingest temp files (request bodies, converted Parquet before upload). */
    @WithDefault("data/catalogd/work")
    String workDir();

    /**
     * How stale this process's cached catalog may be before a read checks S3 for newer catalog versions (other
     * catalogd processes' commits). Commits always check first.
     */
    @WithDefault("2s")
    Duration refreshInterval();

    Commit commit();

    interface Commit {
        /**
         * Create attempts per commit (catalog version or journal event) when other writers keep taking the next
         * sequence number; past it the request is a 503 ({@code catalog_contended} / {@code journal_contended}).
         */
        @WithDefault("20")
        int maxAttempts();
    }

    Ingest ingest();

    Sql sql();

    Rows rows();

    Journal journal();

    Duckdb duckdb();

    interface Ingest {
        /** Largest ingest body (or S3 object) accepted, in bytes; past it the request is a 413. */
        @WithDefault("1073741824")
        long maxBytes();

        /** Ingest jobs that run at once. */
        @WithDefault("1")
        int threads();

        /** Finished jobs kept for polling. */
        @WithDefault("200")
        int retainedJobs();

        /** Bad lines collected and reported before validation stops. */
        @WithDefault("100")
        int maxErrors();

        /** How long {@code ?wait=true} blocks before answering 202 with the job anyway. */
        @WithDefault("10m")
        Duration waitTimeout();
    }

    interface Sql {
        /** Row limit when the request gives none. */
        @WithDefault("10000")
        int defaultLimit();

        /** Largest row limit a request may ask for; above it the request is a 422. */
        @WithDefault("100000")
        int maxLimit();

        /** Statement time limit; the statement is cancelled past it and the answer is a 408 problem. */
        @WithDefault("30s")
        Duration timeout();

        /** Largest SQL text accepted, in characters. */
        @WithDefault("20000")
        int maxSqlChars();
    }

    interface Rows {
        /** Rows per page of {@code /rows} when no limit is given. */
        @WithDefault("1000")
        int defaultLimit();

        /** Largest page of {@code /rows}. */
        @WithDefault("100000")
        int maxLimit();
    }

    interface Journal {
        /**
         * Local spool of the older journal layout: segments still pending there are shipped at startup when S3
         * has no per-event object yet. New events go straight to S3.
         */
        @WithDefault("data/catalogd/journal")
        String spoolDir();

        /** Events per segment of the older journal layout (read, and shipped from an old spool at startup). */
        @WithDefault("1000")
        int segmentEvents();

        /** Largest page of {@code /v1/journal/events}. */
        @WithDefault("1000")
        int maxLimit();
    }

    interface Duckdb {
        /** DuckDB memory limit per database (SQL database and each ingest), DuckDB syntax. */
        @WithDefault("512MB")
        String memoryLimit();

        /** DuckDB worker threads per database. */
        @WithDefault("2")
        int threads();
    }
}

package com.lakehouse.validatord.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Every knob of validatord ({@code lakehouse.validatord.*}). Unknown keys under this prefix fail startup. */
@ConfigMapping(prefix = "lakehouse.validatord")
public interface ValidatordConfig {

    /**
     * A local Parquet file (or a directory of {@code *.parquet}) holding the worker roster, for offline use and
     * tests. When set, the roster is loaded from it instead of asking catalogd. Default: unset (catalogd + S3).
     */
    Optional<String> rosterFile();

    /** The catalogd dataset that holds the roster. Default {@code workers}. */
    @WithDefault("workers")
    String rosterDataset();

    /** Load the roster in the background at startup. Default true. */
    @WithDefault("true")
    boolean rosterLoadAtStart();

    /** After a failed background load, try again after this long (0 = never). Default 30s. */
    @WithDefault("30s")
    Duration rosterRetryInterval();

    /**
     * How often a loaded roster is compared with catalogd's latest version of the dataset, loading a newer one
     * (0 = never: only POST /v1/validate/roster/reload). The bound on a replica serving an old roster. Default 30s.
     */
    @WithDefault("30s")
    Duration rosterWatchInterval();

    /** Where roster Parquet parts downloaded from S3 are spooled while loading. Default: the JVM temp dir. */
    Optional<String> rosterSpoolDir();

    /** DuckDB memory limit while reading the roster (native memory, not heap). Default 256MB. */
    @WithDefault("256MB")
    String duckdbMemoryLimit();

    /** Blacklisted clients (case-insensitive, exact name). Default: none. */
    Optional<List<String>> blacklist();

    /** A file of blacklisted clients, one per line, {@code #} comments. Default: unset. */
    Optional<String> blacklistFile();

    /** Directory of truth rule files ({@code *.toml}, {@code *.yaml}, {@code *.yml}) applied on top of the built-in rules. Default: unset. */
    Optional<String> truthDir();

    /** Email and SMS validation. */
    Email email();

    /** The iterate loop. */
    Iterate iterate();

    /** Calls to catalogd. */
    Catalogd catalogd();

    /** Calls to chatd. */
    Chatd chatd();

    interface Email {
        /** Longest SMS body, in characters. Default 160. */
        @WithDefault("160")
        int smsMaxChars();

        /** Longest email subject, in characters. Default 78. */
        @WithDefault("78")
        int subjectMaxChars();

        /** How many characters may separate a pay word from a money amount for a pay disclosure. Default 40. */
        @WithDefault("40")
        int payProximityChars();

        /** How many characters may separate "SSN"/"social" from a bare nine-digit number. Default 30. */
        @WithDefault("30")
        int ssnProximityChars();

        /**
         * The clients the desk works with: an email to one client must not name another (merged with the
         * request's {@code context.known_clients}). Default: none.
         */
        Optional<List<String>> knownClients();
    }

    interface Iterate {
        /** Default {@code max_iterations} when a request leaves it out. Default 3. */
        @WithDefault("3")
        int defaultMaxIterations();

        /** Largest {@code max_iterations} a request may ask for (400 above). Default 10. */
        @WithDefault("10")
        int maxIterationsLimit();

        /** Default {@code temperature}. Default 0.2. */
        @WithDefault("0.2")
        double defaultTemperature();

        /** Default {@code max_tokens} when a request leaves it out. Default 1024. */
        @WithDefault("1024")
        int defaultMaxTokens();

        /** Longest prompt accepted, in characters (422 above). Default 32768. */
        @WithDefault("32768")
        int maxPromptChars();

        /** Model used when a request names none; unset means {@code model} is required. Default: unset. */
        Optional<String> defaultModel();
    }

    /** Circuit breaker numbers of one peer (SmallRye Fault Tolerance, through the shared {@code Upstream}). */
    interface Breaker {
        /** Circuit breaker: calls in the rolling window. Default 4. */
        @WithDefault("4")
        int cbRequestVolume();

        /** Circuit breaker: failure ratio in the window that opens it. Default 0.75. */
        @WithDefault("0.75")
        double cbFailureRatio();

        /** Circuit breaker: how long it stays open before a trial call. Default 10s. */
        @WithDefault("10s")
        Duration cbDelay();
    }

    interface Catalogd extends Breaker {
        /** Timeout of one call, and of connecting. Default 5s. */
        @WithDefault("5s")
        Duration timeout();

        /** Retries after a failed call (connection errors, timeouts and 5xx; never 4xx). Default 1. */
        @WithDefault("1")
        int retries();
    }

    interface Chatd extends Breaker {
        /** Timeout of one chat call (LLMs are slow). Default 120s. */
        @WithDefault("120s")
        Duration timeout();

        /** Connect timeout; a chatd that is down is reported fast. Default 1s. */
        @WithDefault("1s")
        Duration connectTimeout();
    }
}

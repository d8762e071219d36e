package com.lakehouse.catalogd.store;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;

/** The catalog's stored documents (snake_case JSON in S3 via {@code Json.mapper()}). */
public final class CatalogModel {
    private CatalogModel() {
    }

    /** One column of a dataset version. */
    public record Column(String name, String type) {
    }

    /** One Parquet object of a version. */
    public record FileEntry(String key, long bytes, String sha256, long rows) {
    }

    /** {@code catalog/<name>/v<n>/manifest-<publish id>.json} (older stacks: {@code manifest.json}): immutable. */
    public record Manifest(String dataset, int version, List<Column> schema, long rowCount, List<FileEntry> files,
                           Instant createdAt, String source, String requestId) {
    }

    /** One entry of {@code dataset.json}'s version list. */
    public record VersionEntry(int version, long rowCount, Instant createdAt, String manifestKey, String source) {
    }

    /**
     * One dataset's published versions, held in each {@link CatalogVersion} (older stacks kept it in
     * {@code catalog/<name>/dataset.json}, still read when the stack has no catalog version yet).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DatasetRecord(String dataset, Instant createdAt, Instant updatedAt, int latestVersion,
                                List<VersionEntry> versions, boolean tombstoned, String tombstoneReason,
                                Instant tombstonedAt) {
    }

    /**
     * {@code catalog/_log/<seq, 12 digits>.json}: catalog version {@code seq}, the whole catalog (every dataset's
     * record) after one commit. Created with If-None-Match, so each seq has exactly one writer; never rewritten.
     */
    public record CatalogVersion(long seq, Instant committedAt, List<DatasetRecord> datasets) {
    }
}

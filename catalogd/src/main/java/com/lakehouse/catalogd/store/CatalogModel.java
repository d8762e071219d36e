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

    /** {@code catalog/<name>/v<n>/manifest.json}: immutable once written. */
    public record Manifest(String dataset, int version, List<Column> schema, long rowCount, List<FileEntry> files,
                           Instant createdAt, String source, String requestId) {
    }

    /** One entry of {@code dataset.json}'s version list. */
    public record VersionEntry(int version, long rowCount, Instant createdAt, String manifestKey, String source) {
    }

    /**
     * {@code catalog/<name>/dataset.json}: the dataset's published versions. Rewritten only after a version's
     * Parquet and manifest are complete, so a version becomes visible only when whole.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DatasetRecord(String dataset, Instant createdAt, Instant updatedAt, int latestVersion,
                                List<VersionEntry> versions, boolean tombstoned, String tombstoneReason,
                                Instant tombstonedAt) {
    }
}

package com.lakehouse.vectord.store;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;

/** The JSON documents of the storage layout (snake_case on disk, like the wire). */
public final class Envelope {
    private Envelope() {
    }

    /** {@code vectors/<index>/current.json}: the pointer to the live generation, written last. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Current(Integer envelopeVersion, Long generation, String manifest, Instant writtenAt) {
    }

    /**
     * {@code vectors/<index>/v2/<gen>/manifest.json}. {@code graph} (with its format and version) names the
     * optional HNSW structure payload ({@link GraphCodec}); generations without it restore by rebuilding.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Manifest(
            int envelopeVersion,
            String name,
            int dimension,
            String distance,
            int m,
            int efConstruction,
            int efSearch,
            long generation,
            long walSeq,
            long count,
            List<String> ids,
            String payloadFormat,
            int payloadFormatVersion,
            List<Payload> payloads,
            Instant createdAt,
            Instant writtenAt,
            Payload graph,
            String graphFormat,
            Integer graphFormatVersion) {
    }

    /** One payload object of a generation: its key, size and sha256 (hex), and how many items it holds. */
    public record Payload(String key, long bytes, String sha256, long items) {
    }

    /**
     * The v1 manifest (read only): no {@code ids} and no checksums; {@code vectors} names an object of
     * {@code count x dimension} little-endian float32 rows; {@code metadata} names a JSON object whose keys, in
     * order, are the ids of those rows and whose values are their metadata (null = none).
     */
    public record ManifestV1(Integer envelopeVersion, String name, int dimension, String distance, Integer m,
                             Integer efConstruction, Integer efSearch, long count, String vectors, String metadata,
                             Instant createdAt) {
    }
}

package com.lakehouse.vectord.api;

import java.util.List;
import java.util.Map;

/** Request and response bodies of /v1/vectors (snake_case on the wire). */
public final class Dtos {
    private Dtos() {
    }

    public record CreateIndexRequest(String name, Integer dimension, String distance, Integer m, Integer efConstruction,
                                     Integer efSearch) {
    }

    public record ItemIn(String id, float[] vector, Map<String, Object> metadata) {
    }

    public record AddRequest(List<ItemIn> items) {
    }

    public record AddResponse(String index, int added, long count) {
    }

    public record ItemOut(String id, float[] vector, Map<String, Object> metadata) {
    }

    public record SearchRequest(float[] vector, Integer k, Integer ef, Map<String, Object> filter) {
    }

    public record SearchHit(String id, float distance, double score, Map<String, Object> metadata) {
    }

    public record SearchResponse(List<SearchHit> results) {
    }

    public record BatchSearchRequest(List<SearchRequest> queries) {
    }

    public record BatchSearchResponse(List<SearchResponse> results) {
    }

    public record MergeRequest(String dest, Boolean clearSource) {
    }

    public record RebuildRequest(Integer m, Integer efConstruction, Integer efSearch) {
    }

    public record IndexList(List<?> indexes) {
    }
}

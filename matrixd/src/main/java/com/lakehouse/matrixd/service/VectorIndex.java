package com.lakehouse.matrixd.service;

import com.lakehouse.contracts.client.UpstreamException;

import io.smallrye.mutiny.Uni;

import java.util.List;
import java.util.Map;

/** A vector index service (vectord in production), addressed by base URL and index name. */
public interface VectorIndex {
    /** Creates the index; true when created, false when it already existed. */
    Uni<Boolean> create(String baseUrl, String name, int dimension, String distance);

    Uni<Void> add(String baseUrl, String name, List<Item> items);

    /** Nearest items first. An unknown index fails with {@link UpstreamException} status 404. */
    Uni<List<Hit>> search(String baseUrl, String name, float[] vector, int k);

    record Item(String id, float[] vector, Map<String, Object> metadata) {
    }

    record Hit(String id, double distance, Double score, Map<String, Object> metadata) {
    }
}

package com.lakehouse.matrixd.client;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.lakehouse.contracts.client.VectorsApi;
import com.lakehouse.matrixd.service.VectorIndex;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;

/**
 * vectord (any instance, by base URL): create (409 = exists), add, search, through the shared typed API;
 * maps between it and matrixd's {@link VectorIndex} records.
 */
@ApplicationScoped
public class VectordClient implements VectorIndex {
    private final VectorsApi api;

    @Inject
    public VectordClient(HttpClients clients) {
        this.api = new VectorsApi(clients.vectord());
    }

    @Override
    public Uni<Boolean> create(String baseUrl, String name, int dimension, String distance) {
        return api.create(baseUrl, name, dimension, distance);
    }

    @Override
    public Uni<Void> add(String baseUrl, String name, List<Item> items) {
        return api.add(baseUrl, name, items.stream().map(i -> new VectorsApi.Item(i.id(), i.vector(), i.metadata())).toList());
    }

    /**
     * Each query vector's JSON, written once: a search sends the same vector to every corpus and to the playbook
     * memory, and the query cache hands out the same array for a repeated query. Weak keys compare by identity, so
     * an entry lives exactly as long as its vector does.
     */
    private final Cache<float[], byte[]> encoded = Caffeine.newBuilder().weakKeys().maximumSize(4096).build();

    @Override
    public Uni<List<Hit>> search(String baseUrl, String name, float[] vector, int k) {
        return api.search(baseUrl, name, encoded.get(vector, VectorsApi::encode), k)
                .map(hs -> hs.stream().map(h -> new Hit(h.id(), h.distance(), h.score(), h.metadata())).toList());
    }
}

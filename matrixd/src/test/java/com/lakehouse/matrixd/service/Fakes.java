package com.lakehouse.matrixd.service;

import com.lakehouse.contracts.client.UpstreamException;

import io.smallrye.mutiny.Uni;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** Deterministic in-memory stand-ins for embedd, vectord, chatd and S3, where the math is exact. */
final class Fakes {
    private Fakes() {
    }

    /** A unit vector at cosine distance {@code d} from (1, 0, 0), leaning towards axis 1 or 2. */
    static float[] at(double d, int axis) {
        float[] v = new float[3];
        v[0] = (float) (1 - d);
        v[axis] = (float) Math.sqrt(1 - (1 - d) * (1 - d));
        return v;
    }

    static final class Embeddings implements Embedder {
        final Map<String, float[]> exact = new HashMap<>();
        final Function<String, float[]> fallback;
        final AtomicInteger calls = new AtomicInteger();
        volatile boolean down;

        Embeddings(Function<String, float[]> fallback) {
            this.fallback = fallback;
        }

        @Override
        public Uni<Embedding> embed(List<String> texts, String model) {
            calls.incrementAndGet();
            if (down) {
                return Uni.createFrom().failure(new UpstreamException("embedd", "unreachable (connection refused)", null));
            }
            List<float[]> out = new ArrayList<>();
            for (String t : texts) {
                float[] v = exact.get(t);
                out.add(v != null ? v : fallback.apply(t));
            }
            return Uni.createFrom().item(new Embedding(model == null ? "fake" : model, 3, out));
        }
    }

    /** Exact cosine search over everything added. */
    static final class Vectors implements VectorIndex {
        final Map<String, Map<String, Item>> indexes = new ConcurrentHashMap<>();
        final Map<String, Integer> dims = new ConcurrentHashMap<>();
        volatile String failing;

        @Override
        public Uni<Boolean> create(String baseUrl, String name, int dimension, String distance) {
            boolean created = indexes.putIfAbsent(name, new LinkedHashMap<>()) == null;
            dims.putIfAbsent(name, dimension);
            return Uni.createFrom().item(created);
        }

        @Override
        public Uni<Void> add(String baseUrl, String name, List<Item> items) {
            Map<String, Item> idx = indexes.get(name);
            if (idx == null) {
                return Uni.createFrom().failure(new UpstreamException("vectord", 404, "no index " + name));
            }
            synchronized (idx) {
                items.forEach(i -> idx.put(i.id(), i));
            }
            return Uni.createFrom().voidItem();
        }

        @Override
        public Uni<List<Hit>> search(String baseUrl, String name, float[] vector, int k) {
            if (name.equals(failing)) {
                return Uni.createFrom().failure(new UpstreamException("vectord", 500, "index " + name + " broke"));
            }
            Map<String, Item> idx = indexes.get(name);
            if (idx == null) {
                return Uni.createFrom().failure(new UpstreamException("vectord", 404, "no index " + name));
            }
            List<Hit> hits = new ArrayList<>();
            synchronized (idx) {
                for (Item i : idx.values()) {
                    hits.add(new Hit(i.id(), cosineDistance(vector, i.vector()), null, i.metadata()));
                }
            }
            hits.sort(Comparator.comparingDouble(Hit::distance));
            return Uni.createFrom().item(hits.subList(0, Math.min(k, hits.size())));
        }
    }

    static double cosineDistance(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return 1 - dot / (Math.sqrt(na) * Math.sqrt(nb));
    }

    static final class Llm implements RoleLlm {
        final Map<String, String> answers = new HashMap<>();
        final AtomicInteger calls = new AtomicInteger();
        volatile boolean down;

        @Override
        public Uni<Optional<String>> extractRole(String queryText) {
            calls.incrementAndGet();
            if (down) {
                return Uni.createFrom().failure(new UpstreamException("chatd", "unreachable (connection refused)", null));
            }
            return Uni.createFrom().item(Optional.ofNullable(answers.get(queryText)));
        }
    }

    static final class Store implements CorpusStore {
        Map<String, Corpus> registry;
        final Map<String, Map<String, Object>> playbooks = new ConcurrentHashMap<>();

        @Override
        public Optional<Map<String, Corpus>> loadRegistry() {
            return Optional.ofNullable(registry);
        }

        @Override
        public synchronized void saveCorpus(Corpus corpus) {
            registry = registry == null ? new LinkedHashMap<>() : new LinkedHashMap<>(registry);
            registry.put(corpus.name(), corpus);
        }

        @Override
        public void savePlaybook(String playbookCorpus, String id, Map<String, Object> playbook) {
            playbooks.put(playbookCorpus + "/" + id, playbook);
        }
    }

    static Settings settings() {
        return new Settings(10, 500, 16, "cosine", 64, 256, 5000, "http://vectord.test", "playbook_memory", null, 5,
                0.5, 0.20, 4);
    }
}

package com.lakehouse.matrixd.store;

import com.fasterxml.jackson.core.type.TypeReference;
import com.lakehouse.contracts.json.Json;
import com.lakehouse.contracts.s3.ObjectStore;
import com.lakehouse.matrixd.service.Corpus;
import com.lakehouse.matrixd.service.CorpusStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The corpus registry as one object per corpus at {@code matrix/corpora/<name>.json}, so two matrixd replicas on
 * one bucket never lose each other's registrations (a whole-registry object would be last-writer-wins). The
 * single {@code matrix/corpora.json} of earlier releases is still read; a corpus in both is taken from its own
 * object. Playbook copies at {@code matrix/playbooks/<corpus>/<id>.json}.
 */
@ApplicationScoped
public class S3CorpusStore implements CorpusStore {
    static final String LEGACY_REGISTRY_KEY = "matrix/corpora.json";
    static final String CORPORA_PREFIX = "matrix/corpora/";
    private static final TypeReference<LinkedHashMap<String, Corpus>> REGISTRY = new TypeReference<>() {
    };

    private final ObjectStore store;

    @Inject
    public S3CorpusStore(ObjectStore store) {
        this.store = store;
    }

    @Override
    public Optional<Map<String, Corpus>> loadRegistry() {
        Map<String, Corpus> corpora = new LinkedHashMap<>();
        store.get(LEGACY_REGISTRY_KEY).ifPresent(bytes -> corpora.putAll(read(bytes, REGISTRY, LEGACY_REGISTRY_KEY)));
        boolean any = !corpora.isEmpty();
        for (String key : store.list(CORPORA_PREFIX)) {
            if (!key.endsWith(".json")) {
                continue;
            }
            Optional<byte[]> bytes = store.get(key);
            if (bytes.isPresent()) { // gone between list and get: a concurrent re-registration, read next time
                Corpus c = read(bytes.get(), new TypeReference<Corpus>() {
                }, key);
                corpora.put(c.name(), c);
                any = true;
            }
        }
        return any ? Optional.of(corpora) : Optional.empty();
    }

    @Override
    public void saveCorpus(Corpus corpus) {
        store.put(CORPORA_PREFIX + corpus.name() + ".json", bytes(corpus), "application/json");
    }

    @Override
    public void savePlaybook(String playbookCorpus, String id, Map<String, Object> playbook) {
        store.put("matrix/playbooks/" + playbookCorpus + "/" + id + ".json", bytes(playbook), "application/json");
    }

    private static <T> T read(byte[] bytes, TypeReference<T> type, String key) {
        try {
            return Json.mapper().readValue(bytes, type);
        } catch (IOException e) {
            throw new UncheckedIOException(key + " is not a readable corpus registry entry", e);
        }
    }

    private static byte[] bytes(Object o) {
        try {
            return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

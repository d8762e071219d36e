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

/** The corpus registry at {@code matrix/corpora.json}; playbook copies at {@code matrix/playbooks/<corpus>/<id>.json}. */
@ApplicationScoped
public class S3CorpusStore implements CorpusStore {
    static final String REGISTRY_KEY = "matrix/corpora.json";
    private static final TypeReference<LinkedHashMap<String, Corpus>> REGISTRY = new TypeReference<>() {
    };

    private final ObjectStore store;

    @Inject
    public S3CorpusStore(ObjectStore store) {
        this.store = store;
    }

    @Override
    public Optional<Map<String, Corpus>> loadRegistry() {
        return store.get(REGISTRY_KEY).map(bytes -> {
            try {
                return Json.mapper().readValue(bytes, REGISTRY);
            } catch (IOException e) {
                throw new UncheckedIOException("matrix/corpora.json is not a readable registry", e);
            }
        });
    }

    @Override
    public void saveRegistry(Map<String, Corpus> corpora) {
        store.put(REGISTRY_KEY, bytes(corpora), "application/json");
    }

    @Override
    public void savePlaybook(String playbookCorpus, String id, Map<String, Object> playbook) {
        store.put("matrix/playbooks/" + playbookCorpus + "/" + id + ".json", bytes(playbook), "application/json");
    }

    private static byte[] bytes(Object o) {
        try {
            return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

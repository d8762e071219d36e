package com.lakehouse.matrixd.service;

import java.util.Map;
import java.util.Optional;

/** Where the corpus registry and playbook copies persist (S3 in production). */
public interface CorpusStore {
    Optional<Map<String, Corpus>> loadRegistry();

    void saveRegistry(Map<String, Corpus> corpora);

    /** Keeps a copy of one recorded playbook. */
    void savePlaybook(String playbookCorpus, String id, Map<String, Object> playbook);
}

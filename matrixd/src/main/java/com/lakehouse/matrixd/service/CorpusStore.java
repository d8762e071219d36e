package com.lakehouse.matrixd.service;

import java.util.Map;
import java.util.Optional;

/**
 * Where the corpus registry and playbook copies persist (S3 in production). Each corpus is its own object, so
 * replicas registering different corpora at the same time never overwrite each other's.
 */
public interface CorpusStore {
    /** Every registered corpus, by name; empty when none was ever registered. */
    Optional<Map<String, Corpus>> loadRegistry();

    /** Persists one corpus definition (replacing that corpus' previous one). */
    void saveCorpus(Corpus corpus);

    /** Keeps a copy of one recorded playbook. */
    void savePlaybook(String playbookCorpus, String id, Map<String, Object> playbook);
}

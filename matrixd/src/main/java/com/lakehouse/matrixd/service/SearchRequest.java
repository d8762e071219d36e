package com.lakehouse.matrixd.service;

import java.util.List;
import java.util.Map;

/**
 * {@code POST /v1/matrix/search}, the Go fleet's shape: {@code query_text | query_vector, corpora, k,
 * per_corpus_k, model, query_role, metadata_filter, exclude_ids, use_playbook, playbook_corpus,
 * playbook_top_k, playbook_max_distance (0.5), playbook_max_inject_distance (0.20)}.
 */
public record SearchRequest(
        String queryText,
        float[] queryVector,
        List<String> corpora,
        Integer k,
        Integer perCorpusK,
        String model,
        String queryRole,
        Map<String, Object> metadataFilter,
        List<String> excludeIds,
        Boolean usePlaybook,
        String playbookCorpus,
        Integer playbookTopK,
        Double playbookMaxDistance,
        Double playbookMaxInjectDistance) {
}

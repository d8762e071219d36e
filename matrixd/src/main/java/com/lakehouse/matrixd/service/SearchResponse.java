package com.lakehouse.matrixd.service;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Map;

/**
 * {@code {results: [{id, distance, corpus, metadata}], per_corpus, metadata_filter_dropped, gate}} plus
 * {@code excluded} and, with {@code use_playbook}, a {@code playbook} report.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SearchResponse(
        List<Result> results,
        Map<String, Integer> perCorpus,
        int metadataFilterDropped,
        int excluded,
        Gate gate,
        PlaybookReport playbook) {

    /** One hit; {@code playbook} is "boosted" or "injected" when a playbook moved or added it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Result(String id, double distance, String corpus, Map<String, Object> metadata, String playbook) {
    }

    /**
     * The cross-role gate: the query role, where it came from, gated-corpus documents dropped for another
     * role, playbooks rejected for another role, and a note when something is worth saying (LLM down).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Gate(String queryRole, String queryRoleDisplay, String roleSource, String rule, int dropped,
                       int playbooksRejected, String note) {
    }

    /** Playbooks within reach of the query and what they did. */
    public record PlaybookReport(String corpus, boolean available, int considered, int boosted, int injected,
                                 int rejected) {
    }
}

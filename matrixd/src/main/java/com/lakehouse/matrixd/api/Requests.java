package com.lakehouse.matrixd.api;

import com.lakehouse.matrixd.service.PlaybookRecord;

import java.util.List;
import java.util.Map;

/** Request bodies of matrixd's routes that are not service records themselves. */
public final class Requests {
    private Requests() {
    }

    /** {@code POST /v1/matrix/corpora/{name}/documents {documents: [{id, fields...}]}}. */
    public record Documents(List<Map<String, Object>> documents) {
    }

    /** {@code POST /v1/matrix/corpora/{name}/ingest {dataset, id_field?, page_size?}}. */
    public record Ingest(String dataset, String idField, Integer pageSize) {
    }

    /** {@code POST /v1/matrix/playbooks/record}: one playbook, optionally into another playbook corpus. */
    public record Record(String queryText, String answerId, String answerCorpus, Double score, List<String> tags,
                         String role, String playbookCorpus) {
        PlaybookRecord playbook() {
            return new PlaybookRecord(queryText, answerId, answerCorpus, score, tags, role);
        }
    }

    /** {@code POST /v1/matrix/playbooks/bulk {playbooks: [...], playbook_corpus?}}. */
    public record Bulk(List<PlaybookRecord> playbooks, String playbookCorpus) {
    }

    /** {@code POST /v1/matrix/roles/extract {query_text}}. */
    public record Extract(String queryText) {
    }
}

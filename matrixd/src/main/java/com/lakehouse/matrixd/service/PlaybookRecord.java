package com.lakehouse.matrixd.service;

import java.util.List;

/**
 * A recorded fill: {@code {query_text, answer_id, answer_corpus, score, tags, role}}. {@code score} in [0, 1]
 * (default 1); without {@code role} the role is extracted from {@code query_text} by the rules.
 */
public record PlaybookRecord(
        String queryText,
        String answerId,
        String answerCorpus,
        Double score,
        List<String> tags,
        String role) {
}

package com.lakehouse.matrixd.service;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;

/**
 * A registered corpus: a vectord index on {@code vectordUrl} (null = the fleet's vectord) holding documents
 * embedded with {@code model} from their {@code textFields}. In a {@code gated} corpus, a search with a
 * query role drops documents whose {@code roleField} names another role.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Corpus(
        String name,
        String model,
        boolean gated,
        String roleField,
        List<String> textFields,
        List<String> metadataFields,
        String vectordUrl,
        int dimension,
        String distance,
        Instant createdAt,
        Instant updatedAt) {
}

package com.lakehouse.matrixd.service;

import java.util.List;

/**
 * {@code PUT /v1/matrix/corpora/{name}}: {@code {model, gated, role_field, text_fields, metadata_fields,
 * vectord_url?, dimension?, distance?}}. Without {@code dimension} matrixd embeds a probe text to learn it.
 */
public record CorpusDefinition(
        String model,
        Boolean gated,
        String roleField,
        List<String> textFields,
        List<String> metadataFields,
        String vectordUrl,
        Integer dimension,
        String distance) {
}

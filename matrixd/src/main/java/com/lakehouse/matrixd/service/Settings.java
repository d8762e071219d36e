package com.lakehouse.matrixd.service;

/** The numbers the services work with (from {@code MatrixdConfig} in the daemon, literal in unit tests). */
public record Settings(
        int defaultK,
        int maxK,
        int maxCorporaPerSearch,
        String defaultDistance,
        int embedBatchSize,
        int addBatchSize,
        int maxDocumentsPerRequest,
        String defaultVectordUrl,
        String playbookCorpus,
        String playbookModel,
        int playbookTopK,
        double playbookMaxDistance,
        double playbookMaxInjectDistance,
        int filterOverfetch) {
}

package com.lakehouse.matrixd.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.lakehouse.contracts.error.ApiException;
import com.lakehouse.contracts.names.ResourceNames;
import com.lakehouse.contracts.roles.RoleTaxonomy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Playbook memory: each recorded fill is embedded from its query text into the playbook corpus (a vectord
 * index registered like any corpus, created on first use) and copied to S3. The id is derived from corpus,
 * answer and normalized query, so recording the same fill again replaces it. Blocking.
 */
public class PlaybookService {
    static final List<String> METADATA_FIELDS = List.of("query_text", "answer_id", "answer_corpus", "score", "tags",
            "role", "role_display", "recorded_at");

    private final CorpusRegistry registry;
    private final Embedder embedder;
    private final VectorIndex index;
    private final RoleExtractor roles;
    private final CorpusStore store;
    private final Settings settings;
    private final MatrixMetrics metrics;

    public PlaybookService(CorpusRegistry registry, Embedder embedder, VectorIndex index, RoleExtractor roles,
                           CorpusStore store, Settings settings, MatrixMetrics metrics) {
        this.registry = registry;
        this.embedder = embedder;
        this.index = index;
        this.roles = roles;
        this.store = store;
        this.settings = settings;
        this.metrics = metrics;
    }

    /** One stored playbook: its id and the role it is gated by (null when none could be found). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Recorded(String id, String role, String roleSource, String answerId, String answerCorpus) {
    }

    public List<Recorded> record(List<PlaybookRecord> items, String playbookCorpus, String field) {
        if (items == null || items.isEmpty()) {
            throw ApiException.badField(field, field + " must hold at least one playbook");
        }
        if (items.size() > settings.maxDocumentsPerRequest()) {
            throw ApiException.unprocessable(field, "at most " + settings.maxDocumentsPerRequest() + " playbooks");
        }
        String corpusName = playbookCorpus == null || playbookCorpus.isBlank() ? settings.playbookCorpus()
                : ResourceNames.require("playbook_corpus", playbookCorpus);
        boolean single = items.size() == 1 && field == null;
        List<Map<String, Object>> docs = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        List<Recorded> out = new ArrayList<>();
        Instant now = Instant.now();
        for (int i = 0; i < items.size(); i++) {
            String at = single ? "" : field + "[" + i + "].";
            PlaybookRecord p = items.get(i);
            if (p == null) {
                throw ApiException.badField(single ? "body" : field + "[" + i + "]", "a playbook must be an object");
            }
            if (p.queryText() == null || p.queryText().isBlank()) {
                throw ApiException.badField(at + "query_text", "query_text is required");
            }
            if (p.answerId() == null || p.answerId().isBlank()) {
                throw ApiException.badField(at + "answer_id", "answer_id is required");
            }
            if (p.answerCorpus() != null && !ResourceNames.isValid(p.answerCorpus())) {
                throw ApiException.badField(at + "answer_corpus", "answer_corpus must match "
                        + ResourceNames.PATTERN.pattern());
            }
            double score = p.score() == null ? 1.0 : p.score();
            if (!Double.isFinite(score) || score < 0 || score > 1) {
                throw ApiException.badField(at + "score", "score must be between 0 and 1");
            }
            RoleExtractor.Extraction role;
            if (p.role() != null && !p.role().isBlank()) {
                role = roles.explicit(p.role());
            } else {
                role = roles.rules(p.queryText()).orElse(RoleExtractor.Extraction.none(null));
            }
            String id = id(corpusName, p);
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("id", id);
            doc.put("query_text", p.queryText().strip());
            doc.put("answer_id", p.answerId().strip());
            if (p.answerCorpus() != null) {
                doc.put("answer_corpus", p.answerCorpus());
            }
            doc.put("score", score);
            doc.put("tags", p.tags() == null ? List.of() : p.tags());
            if (role.role() != null) {
                doc.put("role", role.role());
                if (role.roleDisplay() != null) {
                    doc.put("role_display", role.roleDisplay());
                }
            }
            doc.put("recorded_at", now.toString());
            docs.add(doc);
            ids.add(id);
            out.add(new Recorded(id, role.role(), role.source(), p.answerId().strip(), p.answerCorpus()));
        }
        Corpus corpus = ensureCorpus(corpusName);
        IndexingService indexer = new IndexingService(registry, embedder, index, null, settings);
        indexer.addDocuments(corpus, docs, IndexingService.Attribution.API, ids);
        for (int i = 0; i < docs.size(); i++) {
            store.savePlaybook(corpusName, ids.get(i), docs.get(i));
        }
        metrics.playbooksRecorded(out.size());
        return out;
    }

    /** The playbook corpus, registered (and its index created) on first use. */
    Corpus ensureCorpus(String name) {
        Optional<Corpus> existing = registry.find(name);
        if (existing.isPresent()) {
            return existing.get();
        }
        IndexingService indexer = new IndexingService(registry, embedder, index, null, settings);
        return indexer.putCorpus(name, new CorpusDefinition(settings.playbookModel(), false, "role",
                List.of("query_text"), METADATA_FIELDS, null, null, null)).corpus();
    }

    static String id(String corpus, PlaybookRecord p) {
        String key = corpus + "\n" + (p.answerCorpus() == null ? "" : p.answerCorpus()) + "\n" + p.answerId().strip()
                + "\n" + RoleTaxonomy.normalize(p.queryText());
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return "pb-" + HexFormat.of().formatHex(h, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

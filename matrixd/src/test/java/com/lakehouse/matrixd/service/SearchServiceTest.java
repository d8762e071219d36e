package com.lakehouse.matrixd.service;

import com.lakehouse.contracts.error.ApiException;
import com.lakehouse.contracts.jobs.JobRegistry;
import com.lakehouse.contracts.jobs.JobView;
import io.smallrye.mutiny.Uni;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Merge, filters, exclusions, validation and failure mapping of the search, on exact fakes. */
class SearchServiceTest {
    Fakes.Embeddings embeddings;
    Fakes.Vectors vectors;
    Fakes.Store store;
    CorpusRegistry registry;
    IndexingService indexing;
    SearchService search;
    SimpleMeterRegistry meters;

    @BeforeEach
    void setUp() {
        embeddings = new Fakes.Embeddings(text -> new float[]{1, 0, 0});
        vectors = new Fakes.Vectors();
        store = new Fakes.Store();
        registry = new CorpusRegistry(store);
        registry.load();
        Settings s = Fakes.settings();
        indexing = new IndexingService(registry, embeddings, vectors, null, s);
        meters = new SimpleMeterRegistry();
        search = new SearchService(registry, embeddings, vectors, new RoleExtractor(null, false, 10), s,
                new MatrixMetrics(meters, registry));
        corpus("workers", List.of(
                doc("W-1", "w one", 0.10, Map.of("city", "Detroit", "state", "MI", "certs", List.of("osha10"))),
                doc("W-2", "w two", 0.30, Map.of("city", "Flint", "state", "MI", "certs", List.of("forklift"))),
                doc("W-3", "w three", 0.50, Map.of("city", "Detroit", "state", "OH", "certs", List.of()))));
        corpus("job_orders", List.of(
                doc("J-1", "j one", 0.20, Map.of("city", "Detroit", "state", "MI")),
                doc("J-2", "j two", 0.40, Map.of("city", "Toledo", "state", "OH"))));
    }

    private Map<String, Object> doc(String id, String text, double d, Map<String, Object> meta) {
        embeddings.exact.put(text, Fakes.at(d, 1));
        Map<String, Object> m = new HashMap<>(meta);
        m.put("id", id);
        m.put("text", text);
        return m;
    }

    private void corpus(String name, List<Map<String, Object>> docs) {
        indexing.putCorpus(name, new CorpusDefinition(null, false, null, List.of("text"),
                List.of("city", "state", "certs"), null, null, null));
        Corpus c = registry.require(name);
        indexing.addDocuments(c, docs, IndexingService.Attribution.API, indexing.validateDocuments(c, docs, "documents"));
    }

    private SearchResponse run(SearchRequest r) {
        return search.search(r).await().indefinitely();
    }

    private static SearchRequest req(List<String> corpora, Integer k, Map<String, Object> filter, List<String> exclude) {
        return new SearchRequest("anything", null, corpora, k, null, null, null, filter, exclude, null, null, null,
                null, null);
    }

    private static List<String> ids(SearchResponse r) {
        return r.results().stream().map(SearchResponse.Result::id).toList();
    }

    private ApiException fails(SearchRequest r) {
        return assertThrows(ApiException.class, () -> run(r));
    }

    @Test
    void corporaAreMergedByDistanceWithPerCorpusCounts() {
        SearchResponse r = run(req(List.of("workers", "job_orders"), 10, null, null));
        assertEquals(List.of("W-1", "J-1", "W-2", "J-2", "W-3"), ids(r));
        assertEquals(Map.of("workers", 3, "job_orders", 2), r.perCorpus());
        assertEquals("job_orders", r.results().get(1).corpus());
        assertEquals(0.20, r.results().get(1).distance(), 1e-5);
        assertEquals("W-2", run(req(List.of("workers", "job_orders"), 3, null, null)).results().get(2).id());
        assertEquals(1, embeddings.calls.get() - 5 /* indexing calls */, "the query was embedded once for both corpora");
    }

    @Test
    void attributionMetadataIsStoredWithEveryDocument() {
        Map<String, Object> m = run(req(List.of("workers"), 1, null, null)).results().get(0).metadata();
        assertEquals("workers", m.get("corpus"));
        assertEquals("W-1", m.get("doc_id"));
        assertEquals("Detroit", m.get("city"));
    }

    @Test
    void metadataFilterScalarListAndKeysAnded() {
        SearchResponse r = run(req(List.of("workers", "job_orders"), 10, Map.of("city", "Detroit"), null));
        assertEquals(List.of("W-1", "J-1", "W-3"), ids(r));
        assertEquals(2, r.metadataFilterDropped());
        r = run(req(List.of("workers", "job_orders"), 10, Map.of("city", List.of("Flint", "Toledo")), null));
        assertEquals(List.of("W-2", "J-2"), ids(r));
        r = run(req(List.of("workers", "job_orders"), 10, Map.of("city", "Detroit", "state", "MI"), null));
        assertEquals(List.of("W-1", "J-1"), ids(r));
        assertEquals(3, r.metadataFilterDropped());
        // a list-valued field matches when any element does; a missing key never matches
        r = run(req(List.of("workers", "job_orders"), 10, Map.of("certs", "forklift"), null));
        assertEquals(List.of("W-2"), ids(r));
    }

    @Test
    void filteringOverFetchesButKeepsPerCorpusK() {
        // per_corpus_k 1: the nearest worker (W-1, Detroit) fails the filter; over-fetching finds W-2 in Flint
        SearchResponse r = run(new SearchRequest("q", null, List.of("workers"), 10, 1, null, null,
                Map.of("state", "MI"), null, null, null, null, null, null));
        assertEquals(List.of("W-1"), ids(r), "at most per_corpus_k from one corpus");
        r = run(new SearchRequest("q", null, List.of("workers"), 10, 1, null, null, Map.of("city", "Flint"), null,
                null, null, null, null, null));
        assertEquals(List.of("W-2"), ids(r));
        assertEquals(3, r.perCorpus().get("workers"), "asked vectord for 1 x 4, it had 3");
        assertEquals(1, r.metadataFilterDropped());
        r = run(new SearchRequest("q", null, List.of("workers"), 10, 1, null, null, null, List.of("W-1"), null, null,
                null, null, null));
        assertEquals(List.of("W-2"), ids(r), "an excluded id does not cost a slot");
    }

    @Test
    void excludeIdsDropsAndCounts() {
        SearchResponse r = run(req(List.of("workers", "job_orders"), 10, null, List.of("W-1", "J-2")));
        assertEquals(List.of("J-1", "W-2", "W-3"), ids(r));
        assertEquals(2, r.excluded());
    }

    @Test
    void queryVectorIsUsedAsGivenAndItsDimensionChecked() {
        SearchResponse r = run(new SearchRequest(null, Fakes.at(0.5, 1), List.of("workers"), 1, null, null, null,
                null, null, null, null, null, null, null));
        assertEquals("W-3", r.results().get(0).id());
        assertEquals("query_vector", fails(new SearchRequest(null, new float[]{1, 0}, List.of("workers"), 1, null,
                null, null, null, null, null, null, null, null, null)).field());
        assertEquals("query_vector", fails(new SearchRequest(null, new float[]{Float.NaN, 0, 0}, List.of("workers"),
                1, null, null, null, null, null, null, null, null, null, null)).field());
    }

    @Test
    void badInputNamesTheField() {
        assertEquals("query_text", fails(new SearchRequest(" ", null, List.of("workers"), null, null, null, null,
                null, null, null, null, null, null, null)).field());
        assertEquals("corpora", fails(req(List.of(), null, null, null)).field());
        assertEquals("corpora", fails(req(null, null, null, null)).field());
        assertEquals("corpora[1]", fails(req(List.of("workers", "../etc"), null, null, null)).field());
        assertEquals("k", fails(req(List.of("workers"), 0, null, null)).field());
        assertEquals("k", fails(req(List.of("workers"), 501, null, null)).field());
        assertEquals("metadata_filter.city", fails(req(List.of("workers"), null, Map.of("city", List.of()), null)).field());
        assertEquals("playbook_max_distance", fails(new SearchRequest("q", null, List.of("workers"), null, null, null,
                null, null, null, true, null, null, -1.0, null)).field());
        List<String> withNull = new ArrayList<>();
        withNull.add(null);
        assertEquals("exclude_ids[0]", fails(req(List.of("workers"), null, null, withNull)).field());
    }

    @Test
    void unknownCorpusIsA404NamingIt() {
        ApiException e = fails(req(List.of("workers", "ghosts"), null, null, null));
        assertEquals(404, e.status());
        assertTrue(e.getMessage().contains("'ghosts'"), e.getMessage());
    }

    @Test
    void anUpstreamErrorIsA502NamingThePeer() {
        vectors.failing = "job_orders";
        ApiException e = fails(req(List.of("workers", "job_orders"), null, null, null));
        assertEquals(502, e.status());
        assertEquals("vectord_error", e.code());
        assertTrue(e.getMessage().contains("vectord"), e.getMessage());
    }

    @Test
    void anUnreachableEmbeddIsA503() {
        embeddings.down = true;
        ApiException e = fails(req(List.of("workers"), null, null, null));
        assertEquals(503, e.status());
        assertEquals("embedd_unavailable", e.code());
    }

    private long searches(String outcome) {
        return meters.get("matrix.search").tag("outcome", outcome).timer().count();
    }

    private double filtered(String reason) {
        return meters.get("matrix.search.filtered").tag("reason", reason).counter().count();
    }

    @Test
    void searchesAreTimedByOutcome() {
        assertEquals(0, searches(MatrixMetrics.OK), "registered before the first search");
        run(req(List.of("workers"), null, null, null));
        assertEquals(1, searches(MatrixMetrics.OK));
        fails(req(List.of("workers", "ghosts"), null, null, null));
        fails(req(List.of("workers"), 0, null, null));
        assertEquals(2, searches(MatrixMetrics.REJECTED), "a 404 and a 400 are rejected searches");
        vectors.failing = "job_orders";
        fails(req(List.of("workers", "job_orders"), null, null, null));
        assertEquals(1, searches(MatrixMetrics.FAILED), "a 502 is a failed search");
        assertEquals(1, searches(MatrixMetrics.OK));
    }

    @Test
    void filteredAndExcludedHitsAreCounted() {
        assertEquals(0, filtered("excluded"));
        run(req(List.of("workers", "job_orders"), 10, null, List.of("W-1", "J-2")));
        assertEquals(2, filtered("excluded"));
        run(req(List.of("workers"), 10, Map.of("city", "Detroit"), null));
        assertEquals(1, filtered("metadata_filter"), "W-2 is in Flint");
        assertEquals(0, meters.get("matrix.gate.dropped").tag("reason", "role_mismatch").counter().count(),
                "no query role, no gate drops");
    }

    @Test
    void corporaGaugeFollowsTheRegistry() {
        assertEquals(2, meters.get("matrix.corpora").gauge().value());
        corpus("more_workers", List.of(doc("W-9", "w nine", 0.9, Map.of())));
        assertEquals(3, meters.get("matrix.corpora").gauge().value());
        SimpleMeterRegistry fresh = new SimpleMeterRegistry();
        new MatrixMetrics(fresh, new CorpusRegistry(new Fakes.Store()));
        assertTrue(Double.isNaN(fresh.get("matrix.corpora").gauge().value()), "unknown until the registry is read");
    }

    @Test
    void usePlaybookWithoutAnyPlaybooksRecordedIsNotAnError() {
        SearchResponse r = run(new SearchRequest("q", null, List.of("workers"), 2, null, null, null, null, null, true,
                null, null, null, null));
        assertEquals(2, r.results().size());
        assertEquals(false, r.playbook().available());
        assertEquals(0, r.playbook().considered());
    }

    @Test
    void corpusDefinitionIsValidatedAndPersisted() {
        assertEquals("text_fields", assertThrows(ApiException.class, () -> indexing.putCorpus("x",
                new CorpusDefinition(null, false, null, List.of(), null, null, null, null))).field());
        assertEquals("distance", assertThrows(ApiException.class, () -> indexing.putCorpus("x",
                new CorpusDefinition(null, false, null, List.of("t"), null, null, null, "manhattan"))).field());
        assertEquals("vectord_url", assertThrows(ApiException.class, () -> indexing.putCorpus("x",
                new CorpusDefinition(null, false, null, List.of("t"), null, "ftp://x", null, null))).field());
        assertEquals("name", assertThrows(ApiException.class, () -> indexing.putCorpus("Bad Name",
                new CorpusDefinition(null, false, null, List.of("t"), null, null, null, null))).field());
        assertEquals(3, store.registry.get("workers").dimension(), "dimension learnt from a probe embedding");
        assertTrue(store.registry.containsKey("job_orders"));
        ApiException conflict = assertThrows(ApiException.class, () -> indexing.putCorpus("workers",
                new CorpusDefinition(null, false, null, List.of("t"), null, null, 8, null)));
        assertEquals(409, conflict.status());
    }

    @Test
    void documentsAreValidatedWholeBeforeAnythingIsAdded() {
        Corpus c = registry.require("workers");
        List<Map<String, Object>> docs = List.of(Map.of("id", "ok", "text", "fine"), Map.of("text", "no id"));
        assertEquals("documents[1].id", assertThrows(ApiException.class,
                () -> indexing.validateDocuments(c, docs, "documents")).field());
        assertEquals("documents[0]", assertThrows(ApiException.class,
                () -> indexing.validateDocuments(c, List.of(Map.of("id", "x", "other", "y")), "documents")).field());
        assertEquals(3, vectors.indexes.get("workers").size());
    }

    @Test
    void ingestReadsEveryPageWithAttribution() throws Exception {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Map<String, Object> row = new HashMap<>();
            row.put("worker_id", "W-10" + i);
            row.put("text", i == 2 ? "" : "row " + i); // row 2 has no text: skipped, row numbers keep counting
            row.put("city", "Detroit");
            rows.add(row);
        }
        Catalog catalog = new Catalog() {
            @Override
            public Uni<Long> latestVersion(String dataset) {
                return Uni.createFrom().item(7L);
            }

            @Override
            public Uni<Page> rows(String dataset, int limit, String cursor) {
                int from = cursor == null ? 0 : Integer.parseInt(cursor);
                int to = Math.min(rows.size(), from + limit);
                return Uni.createFrom().item(new Page(rows.subList(from, to), to < rows.size() ? "" + to : null));
            }
        };
        IndexingService ingesting = new IndexingService(registry, embeddings, vectors, catalog, Fakes.settings());
        try (JobRegistry jobs = new JobRegistry("t", 1, 16)) {
            var job = ingesting.submitIngest(jobs, registry.require("workers"), "workers_ds", null, 2);
            JobView v = job.view();
            for (int i = 0; i < 500 && !(v = job.view()).state().matches("succeeded|failed"); i++) {
                Thread.sleep(10);
            }
            assertEquals("succeeded", v.state(), String.valueOf(v.error()));
            IndexingService.IngestResult res = (IndexingService.IngestResult) v.result();
            assertEquals(5, res.rows());
            assertEquals(4, res.added());
            assertEquals(1, res.skipped());
            assertEquals("worker_id", res.idField());
        }
        VectorIndex.Item item = vectors.indexes.get("workers").get("W-104");
        assertEquals("workers_ds", item.metadata().get("dataset"));
        assertEquals(7L, item.metadata().get("version"));
        assertEquals(4L, item.metadata().get("row"));
        assertEquals("W-104", item.metadata().get("doc_id"));
    }
}

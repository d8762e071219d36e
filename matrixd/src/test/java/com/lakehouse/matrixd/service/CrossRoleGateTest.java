package com.lakehouse.matrixd.service;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The original's bleed: a worker recorded as the answer to "Forklift Operator @ Acme Detroit" was boosted and
 * injected into "Pickers" and "CNC Operator" queries for the same client and city, because those queries
 * embed almost exactly like the playbook. Here every Acme Detroit query embeds to the same vector (the worst
 * case) and the playbooks sit at cosine distance 0.05 and 0.10 from it, so only the role gate can stop them.
 */
class CrossRoleGateTest {
    static final float[] ACME_DETROIT = {1, 0, 0};

    Fakes.Embeddings embeddings;
    Fakes.Vectors vectors;
    Fakes.Llm llm;
    Fakes.Store store;
    SearchService search;
    SimpleMeterRegistry meters;

    @BeforeEach
    void setUp() {
        embeddings = new Fakes.Embeddings(text -> {
            String t = text.toLowerCase();
            return t.contains("acme") && t.contains("detroit") ? ACME_DETROIT : new float[]{0, 0, 1};
        });
        vectors = new Fakes.Vectors();
        llm = new Fakes.Llm();
        store = new Fakes.Store();
        Settings s = Fakes.settings();
        CorpusRegistry registry = new CorpusRegistry(store);
        registry.load();
        RoleExtractor roles = new RoleExtractor(llm, true, 100);
        IndexingService indexing = new IndexingService(registry, embeddings, vectors, null, s);
        meters = new SimpleMeterRegistry();
        MatrixMetrics metrics = new MatrixMetrics(meters, registry);
        PlaybookService playbooks = new PlaybookService(registry, embeddings, vectors, roles, store, s, metrics);
        search = new SearchService(registry, embeddings, vectors, roles, s, metrics);

        List<Map<String, Object>> workers = List.of(
                worker("W-PICK-1", "Dana, picker, Detroit", "Picker", 0.25),
                worker("W-CNC-1", "Chris, CNC operator, Detroit", "CNC Operator", 0.28),
                worker("W-FORK-1", "Fran, forklift operator, Detroit", "Forklift Operator", 0.30),
                worker("W-FORK-2", "Frank, forklift driver, Detroit", "forklift driver", 0.60));
        for (String name : List.of("workers", "workers_gated")) {
            indexing.putCorpus(name, new CorpusDefinition("fake", name.endsWith("gated"), "role", List.of("summary"),
                    List.of("city", "client"), null, 3, "cosine"));
            Corpus c = registry.require(name);
            indexing.addDocuments(c, workers, IndexingService.Attribution.API,
                    indexing.validateDocuments(c, workers, "documents"));
        }
        embeddings.exact.put("Forklift Operator @ Acme Detroit", Fakes.at(0.05, 2));
        embeddings.exact.put("Forklift Operator @ Acme Detroit, nights", Fakes.at(0.10, 2));
        // the first playbook has no role: the rules read it from its query text when it is recorded
        playbooks.record(List.of(
                new PlaybookRecord("Forklift Operator @ Acme Detroit", "W-FORK-1", "workers", 1.0, List.of("fill"), null),
                new PlaybookRecord("Forklift Operator @ Acme Detroit, nights", "W-FORK-2", "workers", 1.0, List.of(),
                        "Forklift Operator")), null, "playbooks");
    }

    private Map<String, Object> worker(String id, String summary, String role, double distance) {
        embeddings.exact.put(summary, Fakes.at(distance, 1));
        return Map.of("id", id, "summary", summary, "role", role, "city", "Detroit", "client", "Acme");
    }

    private SearchResponse run(String query, String queryRole, List<String> corpora) {
        return search.search(new SearchRequest(query, null, corpora, 10, 3, null, queryRole, null, null, true, null,
                null, null, null)).await().indefinitely();
    }

    private static Optional<SearchResponse.Result> find(SearchResponse r, String corpus, String id) {
        return r.results().stream().filter(x -> x.id().equals(id) && x.corpus().equals(corpus)).findFirst();
    }

    /** Neither forklift playbook touched the results, and the forklift worker kept its raw distance. */
    private static void assertNoBleed(SearchResponse r, String expectedRole) {
        assertEquals(expectedRole, r.gate().queryRole(), "query role");
        assertEquals(2, r.gate().playbooksRejected(), "both forklift playbooks rejected");
        assertEquals(2, r.playbook().considered());
        assertEquals(0, r.playbook().boosted(), "nothing boosted");
        assertEquals(0, r.playbook().injected(), "nothing injected");
        assertTrue(find(r, "workers", "W-FORK-2").isEmpty(), "W-FORK-2 was injected: " + r.results());
        SearchResponse.Result fork1 = find(r, "workers", "W-FORK-1").orElseThrow();
        assertEquals(0.30, fork1.distance(), 1e-5, "W-FORK-1 distance changed");
        assertNull(fork1.playbook());
        assertTrue(r.results().stream().allMatch(x -> x.playbook() == null));
        assertEquals(List.of("W-PICK-1", "W-CNC-1", "W-FORK-1"), r.results().stream().map(SearchResponse.Result::id).toList());
    }

    static Stream<Arguments> bleedQueries() {
        return Stream.of(
                Arguments.of("need style, pickers", "Need 5 pickers in Detroit for Acme", "picker_packer"),
                Arguments.of("client-first style, pickers", "Acme needs 5 pickers in Detroit", "picker_packer"),
                Arguments.of("looking style, pickers", "Looking for 5 pickers at Acme Detroit", "picker_packer"),
                Arguments.of("shorthand style, pickers", "pickers acme detroit nights", "picker_packer"),
                Arguments.of("need style, CNC", "Need 3 CNC operators in Detroit for Acme", "cnc_operator"),
                Arguments.of("client-first style, CNC", "Acme needs 3 CNC Operators in Detroit", "cnc_operator"),
                Arguments.of("looking style, CNC", "Looking for 3 CNC operators at Acme in Detroit", "cnc_operator"),
                Arguments.of("shorthand style, CNC", "cnc acme detroit nights", "cnc_operator"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("bleedQueries")
    void forkliftPlaybooksNeverBleedIntoOtherRolesInAnyQueryStyle(String name, String query, String role) {
        SearchResponse r = run(query, null, List.of("workers"));
        assertEquals("rules", r.gate().roleSource());
        assertNoBleed(r, role);
        assertEquals(0, llm.calls.get(), "the rules found the role, the LLM was not asked");
    }

    private double gateDropped(String reason) {
        return meters.get("matrix.gate.dropped").tag("reason", reason).counter().count();
    }

    @Test
    void gateDropsAreCountedByReason() {
        assertEquals(2, meters.get("matrix.playbooks.recorded").counter().count(), "the two playbooks of setUp");
        assertEquals(0, gateDropped("role_mismatch"));
        SearchResponse r = run("Need 5 pickers in Detroit for Acme", null, List.of("workers", "workers_gated"));
        assertTrue(r.gate().dropped() > 0, r.gate().toString());
        assertEquals(r.gate().dropped(), gateDropped("role_mismatch"), "the same number the response reports");
        assertEquals(2, gateDropped("playbook_role_mismatch"), "both forklift playbooks rejected");
        run("Need 2 forklift operators in Detroit for Acme", null, List.of("workers"));
        assertEquals(2, gateDropped("playbook_role_mismatch"), "a same-role search rejects nothing");
    }

    @Test
    void forkliftWorkerIsNotBoostedIntoPickersNeedQuery() {
        SearchResponse r = run("Need 5 pickers in Detroit for Acme", null, List.of("workers"));
        assertNoBleed(r, "picker_packer");
        assertEquals("need", r.gate().rule());
    }

    @Test
    void forkliftWorkerIsNotInjectedIntoCncClientFirstQuery() {
        SearchResponse r = run("Acme needs 3 CNC Operators in Detroit", null, List.of("workers"));
        assertNoBleed(r, "cnc_operator");
        assertEquals("client_needs", r.gate().rule());
    }

    @Test
    void forkliftWorkerIsNotInjectedIntoPickersLookingForQuery() {
        SearchResponse r = run("Looking for 5 pickers at Acme Detroit", null, List.of("workers"));
        assertNoBleed(r, "picker_packer");
        assertEquals("looking_for", r.gate().rule());
    }

    @Test
    void forkliftWorkerIsNotBoostedIntoCncShorthandQuery() {
        SearchResponse r = run("cnc acme detroit nights", null, List.of("workers"));
        assertNoBleed(r, "cnc_operator");
        assertEquals("taxonomy", r.gate().rule());
    }

    @Test
    void explicitQueryRoleGatesEvenWhenTheTextNamesForklifts() {
        SearchResponse r = run("forklift operators for Acme Detroit", "Pickers", List.of("workers"));
        assertEquals("explicit", r.gate().roleSource());
        assertNoBleed(r, "picker_packer");
    }

    @Test
    void sameRoleQueryStillGetsBoostAndInject() {
        SearchResponse r = run("Need 2 forklift operators in Detroit for Acme", null, List.of("workers"));
        assertEquals("forklift_operator", r.gate().queryRole());
        assertEquals(0, r.gate().playbooksRejected());
        assertEquals(1, r.playbook().boosted());
        assertEquals(1, r.playbook().injected());
        SearchResponse.Result first = r.results().get(0);
        assertEquals("W-FORK-2", first.id());
        assertEquals("injected", first.playbook());
        assertEquals(0.10 * 0.5, first.distance(), 1e-5);
        SearchResponse.Result fork1 = find(r, "workers", "W-FORK-1").orElseThrow();
        assertEquals("boosted", fork1.playbook());
        assertEquals(0.30 * 0.5, fork1.distance(), 1e-5);
    }

    @Test
    void synonymRoleCountsAsTheSameRole() {
        SearchResponse r = run("Need 2 forklift drivers in Detroit for Acme", null, List.of("workers"));
        assertEquals("forklift_operator", r.gate().queryRole());
        assertEquals(1, r.playbook().injected());
    }

    @Test
    void queryWithNoRoleAnywhereIsNotGated() {
        SearchResponse r = run("Who is free at Acme Detroit this week?", null, List.of("workers"));
        assertEquals("none", r.gate().roleSource());
        assertNull(r.gate().queryRole());
        assertEquals(1, llm.calls.get(), "the rules found nothing, so the LLM was asked once");
        assertEquals(1, r.playbook().boosted());
        assertEquals(1, r.playbook().injected());
    }

    @Test
    void llmRoleGatesWhenTheRulesFindNothing() {
        String q = "Who can run the pick line at Acme Detroit?";
        llm.answers.put(q, "Picker");
        SearchResponse r = run(q, null, List.of("workers"));
        assertEquals("llm", r.gate().roleSource());
        assertNoBleed(r, "picker_packer");
        run(q, null, List.of("workers"));
        assertEquals(1, llm.calls.get(), "the second search used the cached answer");
    }

    @Test
    void chatdDownMeansRulesAloneAndTheGateSaysSo() {
        llm.down = true;
        SearchResponse r = run("Who can run the pick line at Acme Detroit?", null, List.of("workers"));
        assertEquals("none", r.gate().roleSource());
        assertTrue(r.gate().note().contains("rules alone"), r.gate().note());
        // a query the rules understand is still gated with chatd down
        assertNoBleed(run("Acme needs 5 pickers in Detroit", null, List.of("workers")), "picker_packer");
    }

    @Test
    void ungatedCorpusKeepsOtherRoleDocumentsWhileGatedCorpusDropsThem() {
        SearchResponse r = run("Need 5 pickers in Detroit for Acme", null, List.of("workers", "workers_gated"));
        // the gated corpus is over-fetched (per_corpus_k 3 x 4) so the gate still leaves hits to merge
        assertEquals(Map.of("workers", 3, "workers_gated", 4), r.perCorpus());
        assertEquals(3, r.gate().dropped(), "CNC and both forklift workers dropped from the gated corpus");
        assertEquals(List.of("W-PICK-1"), r.results().stream().filter(x -> x.corpus().equals("workers_gated"))
                .map(SearchResponse.Result::id).toList());
        assertEquals(List.of("W-PICK-1", "W-CNC-1", "W-FORK-1"), r.results().stream()
                .filter(x -> x.corpus().equals("workers")).map(SearchResponse.Result::id).toList());
        assertEquals(0.28, find(r, "workers", "W-CNC-1").orElseThrow().distance(), 1e-5);
    }

    @Test
    void gatedCorpusKeepsSameRoleDocumentsUnderSynonyms() {
        SearchResponse r = search.search(new SearchRequest("Need 2 forklift operators in Detroit for Acme", null,
                List.of("workers_gated"), 10, 4, null, null, null, null, false, null, null, null, null))
                .await().indefinitely();
        // W-FORK-2's role is "forklift driver", a synonym: kept; the picker and the CNC operator are dropped
        assertEquals(List.of("W-FORK-1", "W-FORK-2"), r.results().stream().map(SearchResponse.Result::id).toList());
        assertEquals(2, r.gate().dropped());
    }

    @Test
    void playbookRecordedWithoutRoleGotItFromItsQueryText() {
        Map<String, Object> first = store.playbooks.values().stream()
                .filter(p -> "W-FORK-1".equals(p.get("answer_id"))).findFirst().orElseThrow();
        assertEquals("forklift_operator", first.get("role"));
        assertEquals("Forklift Operator", first.get("role_display"));
    }
}

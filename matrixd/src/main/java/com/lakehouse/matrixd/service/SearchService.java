package com.lakehouse.matrixd.service;

import com.lakehouse.contracts.client.UpstreamException;

import com.lakehouse.contracts.error.ApiException;
import com.lakehouse.contracts.http.RequestIds;
import com.lakehouse.contracts.names.ResourceNames;
import com.lakehouse.contracts.roles.RoleTaxonomy;
import io.smallrye.mutiny.Uni;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Multi-corpus search: embeds the query once per embedding model, queries every corpus (and the playbook
 * memory) in parallel, drops excluded ids, metadata-filter misses and, in gated corpora, documents of
 * another role; then applies playbooks that passed the cross-role gate (boost, inject) and merges by
 * distance.
 */
public class SearchService {
    /** The key of the query vector when the caller gave one (it serves every corpus). */
    private static final String GIVEN = "\u0000given";
    private static final String DEFAULT_MODEL = "\u0000default";

    private final CorpusRegistry registry;
    private final QueryVectors queryVectors;
    private final VectorIndex index;
    private final RoleExtractor roles;
    private final Settings settings;
    private final MatrixMetrics metrics;

    /** Every query embedded afresh (tests that count embed calls). */
    public SearchService(CorpusRegistry registry, Embedder embedder, VectorIndex index, RoleExtractor roles,
                         Settings settings, MatrixMetrics metrics) {
        this(registry, QueryVectors.uncached(embedder), index, roles, settings, metrics);
    }

    public SearchService(CorpusRegistry registry, QueryVectors queryVectors, VectorIndex index, RoleExtractor roles,
                         Settings settings, MatrixMetrics metrics) {
        this.registry = registry;
        this.queryVectors = queryVectors;
        this.index = index;
        this.roles = roles;
        this.settings = settings;
        this.metrics = metrics;
    }

    /** Everything a validated request resolves to. */
    private record Plan(SearchRequest request, List<Corpus> corpora, int k, int perCorpusK, boolean usePlaybook,
                        String playbookCorpusName, Corpus playbookCorpus, int playbookTopK, double maxDistance,
                        double maxInjectDistance, Set<String> excludeIds) {
    }

    private record CorpusHits(Corpus corpus, List<VectorIndex.Hit> hits, boolean available) {
    }

    public Uni<SearchResponse> search(SearchRequest r) {
        long start = System.nanoTime();
        return run(r)
                .invoke(() -> metrics.searched(MatrixMetrics.OK, Duration.ofNanos(System.nanoTime() - start)))
                .onFailure().invoke(e -> metrics.searched(e instanceof ApiException a && a.status() < 500
                        ? MatrixMetrics.REJECTED : MatrixMetrics.FAILED, Duration.ofNanos(System.nanoTime() - start)));
    }

    private Uni<SearchResponse> run(SearchRequest r) {
        Plan plan;
        try {
            plan = plan(r);
        } catch (RuntimeException e) {
            return Uni.createFrom().failure(e);
        }
        Uni<RoleExtractor.Extraction> role;
        if (r.queryRole() != null && !r.queryRole().isBlank()) {
            role = Uni.createFrom().item(roles.explicit(r.queryRole()));
        } else if (r.queryText() != null && !r.queryText().isBlank()) {
            role = roles.extract(r.queryText());
        } else {
            role = Uni.createFrom().item(RoleExtractor.Extraction.none(null));
        }
        String requestId = RequestIds.current();
        return Uni.combine().all().unis(role, queryVectors(plan)).asTuple()
                .flatMap(t -> {
                    // the fan-out may run on the thread that completed the embed call: keep the request id
                    if (requestId != null && !requestId.equals(RequestIds.current())) {
                        RequestIds.set(requestId);
                    }
                    return retrieve(plan, t.getItem2(), t.getItem1()).map(hits -> merge(plan, t.getItem1(), hits));
                })
                .onFailure(UpstreamException.class)
                .transform(e -> ApiException.fromUpstream((UpstreamException) e));
    }

    private Plan plan(SearchRequest r) {
        boolean hasText = r.queryText() != null && !r.queryText().isBlank();
        boolean hasVector = r.queryVector() != null && r.queryVector().length > 0;
        if (!hasText && !hasVector) {
            throw ApiException.badField("query_text", "give query_text or query_vector");
        }
        if (hasVector) {
            for (float f : r.queryVector()) {
                if (!Float.isFinite(f)) {
                    throw ApiException.badField("query_vector", "query_vector components must be finite numbers");
                }
            }
        }
        if (r.corpora() == null || r.corpora().isEmpty()) {
            throw ApiException.badField("corpora", "name at least one corpus");
        }
        if (r.corpora().size() > settings.maxCorporaPerSearch()) {
            throw ApiException.badField("corpora", "at most " + settings.maxCorporaPerSearch() + " corpora per search");
        }
        List<Corpus> corpora = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < r.corpora().size(); i++) {
            String name = ResourceNames.require("corpora[" + i + "]", r.corpora().get(i));
            if (seen.add(name)) {
                corpora.add(registry.require(name));
            }
        }
        int k = bounded("k", r.k(), settings.defaultK());
        int perCorpusK = bounded("per_corpus_k", r.perCorpusK(), k);
        if (hasVector) {
            for (Corpus c : corpora) {
                if (c.dimension() > 0 && c.dimension() != r.queryVector().length) {
                    throw ApiException.badField("query_vector", "query_vector has " + r.queryVector().length
                            + " components; corpus '" + c.name() + "' has dimension " + c.dimension());
                }
            }
        }
        MetadataFilter.validate(r.metadataFilter());
        boolean usePlaybook = Boolean.TRUE.equals(r.usePlaybook());
        String pbName = r.playbookCorpus() == null || r.playbookCorpus().isBlank()
                ? settings.playbookCorpus() : ResourceNames.require("playbook_corpus", r.playbookCorpus());
        Corpus pbCorpus = usePlaybook ? registry.find(pbName).orElse(null) : null;
        if (usePlaybook && hasVector && pbCorpus != null && pbCorpus.dimension() > 0
                && pbCorpus.dimension() != r.queryVector().length) {
            throw ApiException.badField("query_vector", "query_vector has " + r.queryVector().length
                    + " components; playbook corpus '" + pbName + "' has dimension " + pbCorpus.dimension());
        }
        int pbTopK = bounded("playbook_top_k", r.playbookTopK(), settings.playbookTopK());
        double maxDistance = distance("playbook_max_distance", r.playbookMaxDistance(), settings.playbookMaxDistance());
        double maxInject = distance("playbook_max_inject_distance", r.playbookMaxInjectDistance(),
                settings.playbookMaxInjectDistance());
        Set<String> exclude = new HashSet<>();
        if (r.excludeIds() != null) {
            for (int i = 0; i < r.excludeIds().size(); i++) {
                if (r.excludeIds().get(i) == null) {
                    throw ApiException.badField("exclude_ids[" + i + "]", "exclude_ids must not contain null");
                }
                exclude.add(r.excludeIds().get(i));
            }
        }
        return new Plan(r, corpora, k, perCorpusK, usePlaybook, pbName, pbCorpus, pbTopK, maxDistance, maxInject, exclude);
    }

    private int bounded(String field, Integer value, int dflt) {
        int v = value == null ? dflt : value;
        if (v < 1 || v > settings.maxK()) {
            throw ApiException.badField(field, field + " must be between 1 and " + settings.maxK());
        }
        return v;
    }

    private static double distance(String field, Double value, double dflt) {
        double v = value == null ? dflt : value;
        if (!Double.isFinite(v) || v < 0) {
            throw ApiException.badField(field, field + " must be a non-negative number");
        }
        return v;
    }

    private String modelKey(Plan p, Corpus c) {
        if (p.request().queryVector() != null && p.request().queryVector().length > 0) {
            return GIVEN;
        }
        String m = p.request().model() != null && !p.request().model().isBlank() ? p.request().model()
                : c == null ? settings.playbookModel() : c.model();
        return m == null ? DEFAULT_MODEL : m;
    }

    /** One embedding of the query per distinct model the corpora (and the playbook memory) use. */
    private Uni<Map<String, float[]>> queryVectors(Plan p) {
        Set<String> keys = new LinkedHashSet<>();
        for (Corpus c : p.corpora()) {
            keys.add(modelKey(p, c));
        }
        if (p.usePlaybook() && p.playbookCorpus() != null) {
            keys.add(modelKey(p, p.playbookCorpus()));
        }
        if (keys.contains(GIVEN)) {
            return Uni.createFrom().item(Map.of(GIVEN, p.request().queryVector()));
        }
        List<String> order = new ArrayList<>(keys);
        List<Uni<float[]>> unis = new ArrayList<>();
        for (String key : order) {
            String model = DEFAULT_MODEL.equals(key) ? null : key;
            unis.add(queryVectors.get(p.request().queryText(), model));
        }
        return Uni.combine().all().unis(unis).with(list -> {
            Map<String, float[]> out = new HashMap<>();
            for (int i = 0; i < order.size(); i++) {
                out.put(order.get(i), (float[]) list.get(i));
            }
            return out;
        });
    }

    private String url(Corpus c) {
        return c.vectordUrl() != null && !c.vectordUrl().isBlank() ? c.vectordUrl() : settings.defaultVectordUrl();
    }

    /** Corpus hits in the order of the plan's corpora, then the playbook hits (when asked for) last. */
    private Uni<List<CorpusHits>> retrieve(Plan p, Map<String, float[]> vectors, RoleExtractor.Extraction role) {
        List<Uni<CorpusHits>> unis = new ArrayList<>();
        boolean filtering = p.request().metadataFilter() != null && !p.request().metadataFilter().isEmpty();
        for (Corpus c : p.corpora()) {
            float[] v = vectors.get(modelKey(p, c));
            checkDimension(c, v);
            int fetch = p.perCorpusK();
            if (filtering || (c.gated() && role.role() != null)) {
                fetch = fetch * settings.filterOverfetch();
            }
            fetch = Math.max(p.perCorpusK(), Math.min(settings.maxK(), fetch + p.excludeIds().size()));
            unis.add(index.search(url(c), c.name(), v, fetch).map(h -> new CorpusHits(c, h, true)));
        }
        if (p.usePlaybook()) {
            Corpus pc = p.playbookCorpus();
            if (pc == null) {
                Corpus missing = new Corpus(p.playbookCorpusName(), null, false, "role", List.of(), List.of(), null,
                        0, null, null, null);
                unis.add(Uni.createFrom().item(new CorpusHits(missing, List.of(), false)));
            } else {
                float[] v = vectors.get(modelKey(p, pc));
                checkDimension(pc, v);
                unis.add(index.search(url(pc), pc.name(), v, p.playbookTopK())
                        .map(h -> new CorpusHits(pc, h, true))
                        .onFailure(e -> e instanceof UpstreamException u && u.status() == 404)
                        .recoverWithItem(new CorpusHits(pc, List.of(), false)));
            }
        }
        return Uni.combine().all().unis(unis).with(list -> {
            List<CorpusHits> out = new ArrayList<>();
            for (Object o : list) {
                out.add((CorpusHits) o);
            }
            return out;
        });
    }

    private static void checkDimension(Corpus c, float[] v) {
        if (c.dimension() > 0 && v.length != c.dimension()) {
            throw new UpstreamException("embedd", 200, "query embedding has dimension " + v.length
                    + " but corpus '" + c.name() + "' was built with " + c.dimension()
                    + " (model " + c.model() + ")");
        }
    }

    private SearchResponse merge(Plan p, RoleExtractor.Extraction role, List<CorpusHits> all) {
        String queryRole = role.role();
        Map<String, Integer> perCorpus = new LinkedHashMap<>();
        List<SearchResponse.Result> results = new ArrayList<>();
        Set<String> removed = new HashSet<>(); // corpus + "\u0000" + id dropped by exclude, filter or gate
        int filterDropped = 0;
        int excluded = 0;
        int gateDropped = 0;
        int corpusCount = p.corpora().size();
        for (int i = 0; i < corpusCount; i++) {
            CorpusHits ch = all.get(i);
            Corpus c = ch.corpus();
            perCorpus.put(c.name(), ch.hits().size());
            int kept = 0;
            for (VectorIndex.Hit h : ch.hits()) {
                if (kept >= p.perCorpusK()) {
                    break; // over-fetched for filtering: a corpus still contributes at most per_corpus_k
                }
                String key = c.name() + "\u0000" + h.id();
                if (p.excludeIds().contains(h.id())) {
                    excluded++;
                    removed.add(key);
                    continue;
                }
                if (!MetadataFilter.matches(p.request().metadataFilter(), h.metadata())) {
                    filterDropped++;
                    removed.add(key);
                    continue;
                }
                if (c.gated() && queryRole != null) {
                    Object docRole = h.metadata() == null ? null : h.metadata().get(roleField(c));
                    if (docRole != null && !String.valueOf(docRole).isBlank()
                            && !RoleTaxonomy.sameRole(String.valueOf(docRole), queryRole)) {
                        gateDropped++;
                        removed.add(key);
                        continue;
                    }
                }
                results.add(new SearchResponse.Result(h.id(), h.distance(), c.name(), h.metadata(), null));
                kept++;
            }
        }

        SearchResponse.PlaybookReport report = null;
        int rejected = 0;
        if (p.usePlaybook()) {
            CorpusHits pb = all.get(corpusCount);
            Set<String> requested = new HashSet<>();
            p.corpora().forEach(c -> requested.add(c.name()));
            int considered = 0;
            // the strongest boost factor per answer, and the nearest injecting playbook per answer
            Map<String, Double> factor = new HashMap<>();
            Map<String, VectorIndex.Hit> injectBy = new LinkedHashMap<>();
            Map<String, String> injectCorpus = new HashMap<>();
            for (VectorIndex.Hit h : pb.hits()) {
                if (h.distance() > p.maxDistance()) {
                    continue;
                }
                Map<String, Object> m = h.metadata() == null ? Map.of() : h.metadata();
                String answerId = str(m.get("answer_id"));
                String answerCorpus = str(m.get("answer_corpus"));
                if (answerId == null || (answerCorpus != null && !requested.contains(answerCorpus))) {
                    continue;
                }
                considered++;
                String pbRole = str(m.get("role"));
                if (queryRole != null && pbRole != null && !RoleTaxonomy.sameRole(pbRole, queryRole)) {
                    rejected++;
                    continue;
                }
                double f = 1.0 - 0.5 * clamp01(number(m.get("score"), 1.0));
                String target = (answerCorpus == null ? "" : answerCorpus) + "\u0000" + answerId;
                factor.merge(target, f, Math::min);
                if (h.distance() <= p.maxInjectDistance()) {
                    VectorIndex.Hit prev = injectBy.get(target);
                    if (prev == null || h.distance() * f < prev.distance() * factor.get(target)) {
                        injectBy.put(target, h);
                        injectCorpus.put(target, answerCorpus);
                    }
                }
            }
            int boosted = 0;
            Set<String> present = new HashSet<>();
            List<SearchResponse.Result> next = new ArrayList<>(results.size());
            for (SearchResponse.Result res : results) {
                Double f = factor.get(res.corpus() + "\u0000" + res.id());
                if (f == null) {
                    f = factor.get("\u0000" + res.id());
                }
                present.add(res.corpus() + "\u0000" + res.id());
                present.add("\u0000" + res.id());
                if (f != null) {
                    boosted++;
                    next.add(new SearchResponse.Result(res.id(), res.distance() * f, res.corpus(), res.metadata(),
                            "boosted"));
                } else {
                    next.add(res);
                }
            }
            results = next;
            int injected = 0;
            for (Map.Entry<String, VectorIndex.Hit> e : injectBy.entrySet()) {
                String target = e.getKey();
                String answerCorpus = injectCorpus.get(target);
                String answerId = str(e.getValue().metadata().get("answer_id"));
                String corpus = answerCorpus != null ? answerCorpus : p.corpora().get(0).name();
                if (present.contains(target) || present.contains(corpus + "\u0000" + answerId)
                        || removed.contains(corpus + "\u0000" + answerId) || p.excludeIds().contains(answerId)
                        || (p.request().metadataFilter() != null && !p.request().metadataFilter().isEmpty())) {
                    continue;
                }
                Map<String, Object> m = e.getValue().metadata();
                Map<String, Object> meta = new LinkedHashMap<>();
                meta.put("injected_by_playbook", e.getValue().id());
                meta.put("playbook_query_text", m.get("query_text"));
                if (m.get("role") != null) {
                    meta.put("role", m.get("role"));
                }
                if (m.get("tags") != null) {
                    meta.put("tags", m.get("tags"));
                }
                meta.put("playbook_distance", e.getValue().distance());
                results.add(new SearchResponse.Result(answerId, e.getValue().distance() * factor.get(target), corpus,
                        meta, "injected"));
                present.add(target);
                injected++;
            }
            report = new SearchResponse.PlaybookReport(p.playbookCorpusName(), pb.available(), considered, boosted,
                    injected, rejected);
        }

        results.sort(Comparator.comparingDouble(SearchResponse.Result::distance)
                .thenComparing(SearchResponse.Result::corpus).thenComparing(SearchResponse.Result::id));
        if (results.size() > p.k()) {
            results = new ArrayList<>(results.subList(0, p.k()));
        }
        metrics.dropped(gateDropped, rejected, filterDropped, excluded);
        SearchResponse.Gate gate = new SearchResponse.Gate(queryRole, role.roleDisplay(), role.source(), role.rule(),
                gateDropped, rejected, role.note());
        return new SearchResponse(results, perCorpus, filterDropped, excluded, gate, report);
    }

    private static String roleField(Corpus c) {
        return c.roleField() == null || c.roleField().isBlank() ? "role" : c.roleField();
    }

    private static String str(Object o) {
        if (o == null) {
            return null;
        }
        String s = String.valueOf(o);
        return s.isBlank() ? null : s;
    }

    private static double number(Object o, double dflt) {
        if (o instanceof Number n) {
            return n.doubleValue();
        }
        if (o instanceof String s) {
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                return dflt;
            }
        }
        return dflt;
    }

    private static double clamp01(double v) {
        return Math.max(0, Math.min(1, v));
    }

}

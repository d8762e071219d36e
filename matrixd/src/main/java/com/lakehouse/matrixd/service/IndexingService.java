package com.lakehouse.matrixd.service;

import com.lakehouse.contracts.client.UpstreamException;

import com.lakehouse.contracts.error.ApiException;
import com.lakehouse.contracts.jobs.Job;
import com.lakehouse.contracts.names.ResourceNames;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Corpus definitions and indexing: text from the corpus' text fields, embedded in batches, added to the
 * corpus' vectord index with attribution metadata {@code corpus, doc_id, dataset, version, row} plus the
 * metadata fields and the role field. Blocking: call from worker threads and jobs.
 */
public class IndexingService {
    private static final Set<String> DISTANCES = Set.of("cosine", "euclidean", "dot");

    private final CorpusRegistry registry;
    private final Embedder embedder;
    private final VectorIndex index;
    private final Catalog catalog;
    private final Settings settings;
    private final int ingestConcurrency;

    public IndexingService(CorpusRegistry registry, Embedder embedder, VectorIndex index, Catalog catalog,
                           Settings settings) {
        this(registry, embedder, index, catalog, settings, Runtime.getRuntime().availableProcessors());
    }

    /**
     * {@code ingestConcurrency}: batches a catalog ingest keeps in flight (each one embed call, then one vectord
     * add), overlapped with each other and with the next catalog page; it also bounds the ingest's memory to
     * that many batches plus one page.
     */
    public IndexingService(CorpusRegistry registry, Embedder embedder, VectorIndex index, Catalog catalog,
                           Settings settings, int ingestConcurrency) {
        this.registry = registry;
        this.embedder = embedder;
        this.index = index;
        this.catalog = catalog;
        this.settings = settings;
        this.ingestConcurrency = Math.max(1, ingestConcurrency);
    }

    /** Where a batch of documents came from. */
    public record Attribution(String dataset, Long version, long firstRow) {
        public static final Attribution API = new Attribution(null, null, -1);
    }

    /** The outcome of a PUT: the corpus as registered and whether its vectord index was created now. */
    public record PutResult(Corpus corpus, boolean indexCreated, boolean replaced) {
    }

    public PutResult putCorpus(String name, CorpusDefinition def) {
        ResourceNames.require("name", name);
        if (def == null) {
            throw ApiException.badField("body", "a corpus definition is required");
        }
        List<String> textFields = fields("text_fields", def.textFields());
        if (textFields.isEmpty()) {
            throw ApiException.badField("text_fields", "text_fields must name at least one field");
        }
        List<String> metadataFields = fields("metadata_fields", def.metadataFields());
        String roleField = def.roleField() == null || def.roleField().isBlank() ? "role" : def.roleField().strip();
        String distance = def.distance() == null || def.distance().isBlank() ? settings.defaultDistance()
                : def.distance().strip().toLowerCase();
        if (!DISTANCES.contains(distance)) {
            throw ApiException.badField("distance", "distance must be one of cosine, euclidean, dot");
        }
        if (def.dimension() != null && (def.dimension() < 1 || def.dimension() > 65536)) {
            throw ApiException.badField("dimension", "dimension must be between 1 and 65536");
        }
        String vectordUrl = null;
        if (def.vectordUrl() != null && !def.vectordUrl().isBlank()) {
            vectordUrl = def.vectordUrl().strip().replaceAll("/+$", "");
            try {
                URI u = URI.create(vectordUrl);
                if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                    throw new IllegalArgumentException("not an http(s) URL");
                }
            } catch (IllegalArgumentException e) {
                throw ApiException.badField("vectord_url", "vectord_url must be an http(s) base URL");
            }
        }
        String model = def.model() == null || def.model().isBlank() ? null : def.model().strip();
        Corpus existing = registry.find(name).orElse(null);
        int dimension;
        if (def.dimension() != null) {
            dimension = def.dimension();
        } else if (existing != null && existing.dimension() > 0 && java.util.Objects.equals(existing.model(), model)) {
            dimension = existing.dimension();
        } else {
            dimension = await(embedder.embed(List.of("dimension probe"), model)).dimension();
        }
        if (existing != null && existing.dimension() > 0 && existing.dimension() != dimension) {
            throw ApiException.conflict("dimension_conflict", "corpus '" + name + "' exists with dimension "
                    + existing.dimension() + "; a new dimension needs a new corpus name");
        }
        String url = vectordUrl != null ? vectordUrl : settings.defaultVectordUrl();
        boolean created = await(index.create(url, name, dimension, distance));
        Instant now = Instant.now();
        Corpus c = new Corpus(name, model, Boolean.TRUE.equals(def.gated()), roleField, textFields, metadataFields,
                vectordUrl, dimension, distance, existing != null ? existing.createdAt() : now, now);
        registry.put(c);
        return new PutResult(c, created, existing != null);
    }

    /** Registers the whole map ({@code PUT /v1/matrix/corpora}, the Go shape). */
    public Map<String, Corpus> putAll(Map<String, CorpusDefinition> defs) {
        if (defs == null || defs.isEmpty()) {
            throw ApiException.badField("body", "a map of corpus name to definition is required");
        }
        for (String name : defs.keySet()) {
            ResourceNames.require("corpora." + name, name);
        }
        Map<String, Corpus> out = new LinkedHashMap<>();
        for (Map.Entry<String, CorpusDefinition> e : defs.entrySet()) {
            out.put(e.getKey(), putCorpus(e.getKey(), e.getValue()).corpus());
        }
        return out;
    }

    private static List<String> fields(String field, List<String> names) {
        if (names == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i);
            if (n == null || n.isBlank()) {
                throw ApiException.badField(field + "[" + i + "]", "field names must be non-empty");
            }
            out.add(n.strip());
        }
        return out;
    }

    /** Validates a batch of documents before anything is embedded; returns their ids. */
    public List<String> validateDocuments(Corpus c, List<Map<String, Object>> docs, String field) {
        if (docs == null || docs.isEmpty()) {
            throw ApiException.badField(field, field + " must hold at least one document");
        }
        if (docs.size() > settings.maxDocumentsPerRequest()) {
            throw ApiException.unprocessable(field, "at most " + settings.maxDocumentsPerRequest()
                    + " documents per request");
        }
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
            Map<String, Object> d = docs.get(i);
            if (d == null) {
                throw ApiException.badField(field + "[" + i + "]", "a document must be an object");
            }
            Object id = d.get("id");
            if (id == null || id instanceof Map || id instanceof List || String.valueOf(id).isBlank()) {
                throw ApiException.badField(field + "[" + i + "].id", "every document needs a scalar id");
            }
            if (text(c, d).isEmpty()) {
                throw ApiException.badField(field + "[" + i + "]", "document has none of the text fields "
                        + c.textFields());
            }
            ids.add(String.valueOf(id));
        }
        return ids;
    }

    private int batchSize() {
        return Math.max(1, Math.min(settings.embedBatchSize(), settings.addBatchSize()));
    }

    /** Embeds and adds documents (already validated); returns how many were added. */
    public int addDocuments(Corpus c, List<Map<String, Object>> docs, Attribution attribution, List<String> ids) {
        int added = 0;
        int batch = batchSize();
        for (int from = 0; from < docs.size(); from += batch) {
            int to = Math.min(docs.size(), from + batch);
            added += await(addBatch(c, docs.subList(from, to), ids.subList(from, to), attribution, from));
        }
        return added;
    }

    /**
     * One batch, non-blocking: one embed call, then one vectord add; emits how many were added. {@code offset}
     * is the batch's position after {@code attribution.firstRow()}.
     */
    private io.smallrye.mutiny.Uni<Integer> addBatch(Corpus c, List<Map<String, Object>> docs, List<String> ids,
                                                     Attribution attribution, int offset) {
        String url = c.vectordUrl() != null ? c.vectordUrl() : settings.defaultVectordUrl();
        List<String> texts = new ArrayList<>(docs.size());
        for (Map<String, Object> d : docs) {
            texts.add(text(c, d));
        }
        return embedder.embed(texts, c.model()).chain(e -> {
            if (e.vectors() == null || e.vectors().size() != texts.size()) {
                throw new UpstreamException("embedd", 200, "asked for " + texts.size() + " vectors, got "
                        + (e.vectors() == null ? 0 : e.vectors().size()));
            }
            List<VectorIndex.Item> items = new ArrayList<>(docs.size());
            for (int i = 0; i < docs.size(); i++) {
                float[] v = e.vectors().get(i);
                if (c.dimension() > 0 && v.length != c.dimension()) {
                    throw new UpstreamException("embedd", 200, "model " + e.model() + " gave dimension " + v.length
                            + "; corpus '" + c.name() + "' has " + c.dimension());
                }
                long row = attribution.firstRow() < 0 ? -1 : attribution.firstRow() + offset + i;
                items.add(new VectorIndex.Item(ids.get(i), v, metadata(c, docs.get(i), ids.get(i), attribution, row)));
            }
            return index.add(url, c.name(), items).replaceWith(items.size());
        });
    }

    static String text(Corpus c, Map<String, Object> doc) {
        StringBuilder sb = new StringBuilder();
        for (String f : c.textFields()) {
            Object v = doc.get(f);
            if (v == null) {
                continue;
            }
            String s = v instanceof List<?> l ? String.join(", ", l.stream().map(String::valueOf).toList())
                    : String.valueOf(v);
            if (s.isBlank()) {
                continue;
            }
            if (!sb.isEmpty()) {
                sb.append(". ");
            }
            sb.append(s.strip());
        }
        return sb.toString();
    }

    static Map<String, Object> metadata(Corpus c, Map<String, Object> doc, String id, Attribution a, long row) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String f : c.metadataFields()) {
            if (doc.containsKey(f)) {
                m.put(f, doc.get(f));
            }
        }
        String rf = c.roleField() == null ? "role" : c.roleField();
        if (doc.get(rf) != null) {
            m.put(rf, doc.get(rf));
        }
        m.put("corpus", c.name());
        m.put("doc_id", id);
        if (a.dataset() != null) {
            m.put("dataset", a.dataset());
        }
        if (a.version() != null) {
            m.put("version", a.version());
        }
        if (row >= 0) {
            m.put("row", row);
        }
        return m;
    }

    /** The ingest job's result: rows read, documents added, rows skipped (no id or no text). */
    public record IngestResult(String corpus, String dataset, long version, long rows, long added, long skipped,
                               String idField) {
    }

    /** Queues an ingest job; the job's total starts at one page (Job.view() needs a positive total). */
    public Job submitIngest(com.lakehouse.contracts.jobs.JobRegistry jobs, Corpus c, String dataset, String idField,
                            int pageSize) {
        Job job = jobs.submit("matrix_ingest", j -> ingest(j, c, dataset, idField, pageSize));
        if (job.state() == com.lakehouse.contracts.jobs.JobState.QUEUED) {
            job.total(Math.max(1, pageSize));
        }
        return job;
    }

    /**
     * Reads every row of a catalog dataset page by page and indexes it; runs inside a job. A pipeline: the job
     * thread reads pages and cuts them into batches; up to {@code ingestConcurrency} batches are in flight at
     * once (embed, then vectord add, non-blocking), so catalog reads, embedding and vectord inserts overlap and
     * embedd gets enough concurrent batches to use every core. The permits bound memory (batches in flight
     * plus one page). Progress ({@code done} = rows whose batch finished or that were skipped) is in the job.
     */
    public IngestResult ingest(Job job, Corpus c, String dataset, String idField, int pageSize) {
        Pipeline pipe = new Pipeline(ingestConcurrency);
        try {
            return ingest(job, c, dataset, idField, pageSize, pipe);
        } finally {
            pipe.drain();
        }
    }

    /** The in-flight batches of one ingest: a permit per batch, the count added and the first failure. */
    private static final class Pipeline {
        final java.util.concurrent.Semaphore permits;
        final int size;
        final java.util.concurrent.atomic.AtomicLong added = new java.util.concurrent.atomic.AtomicLong();
        final java.util.concurrent.atomic.AtomicLong finishedRows = new java.util.concurrent.atomic.AtomicLong();
        final java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();

        Pipeline(int size) {
            this.size = size;
            this.permits = new java.util.concurrent.Semaphore(size);
        }

        void submit(io.smallrye.mutiny.Uni<Integer> batch, int rows) {
            rethrow();
            permits.acquireUninterruptibly();
            batch.subscribe().with(n -> {
                added.addAndGet(n);
                finishedRows.addAndGet(rows);
                permits.release();
            }, t -> {
                failure.compareAndSet(null, t);
                permits.release();
            });
        }

        /** Waits for every batch in flight. */
        void drain() {
            permits.acquireUninterruptibly(size);
            permits.release(size);
        }

        void rethrow() {
            Throwable t = failure.get();
            if (t instanceof RuntimeException re) {
                throw re;
            }
            if (t != null) {
                throw new IllegalStateException(t);
            }
        }
    }

    private IngestResult ingest(Job job, Corpus c, String dataset, String idField, int pageSize, Pipeline pipe) {
        // Job.view() cannot render an unknown total (-1) before success, so the total is always an estimate > 0:
        // rows read so far plus one more page while a cursor remains.
        job.progress(0, Math.max(1, pageSize));
        long version = await(catalog.latestVersion(dataset));
        job.message("reading " + dataset + " v" + version + " from catalogd");
        String cursor = null;
        long rows = 0;
        long skipped = 0;
        String usedIdField = idField;
        do {
            if (job.cancelRequested()) {
                job.message("cancelled after " + rows + " rows");
                break;
            }
            Catalog.Page page = await(catalog.rows(dataset, pageSize, cursor));
            List<Map<String, Object>> docs = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            long firstRow = rows;
            List<Long> rowNumbers = new ArrayList<>();
            for (Map<String, Object> row : page.rows()) {
                long rowNo = rows++;
                if (usedIdField == null) {
                    usedIdField = guessIdField(row);
                }
                Object id = usedIdField == null ? null : row.get(usedIdField);
                if (id == null || String.valueOf(id).isBlank() || text(c, row).isEmpty()) {
                    skipped++;
                    continue;
                }
                docs.add(row);
                ids.add(String.valueOf(id));
                rowNumbers.add(rowNo);
            }
            // rows are attributed individually: a skipped row must not shift the row numbers after it
            for (int i = 0; i < docs.size(); ) {
                int j = i;
                while (j + 1 < docs.size() && rowNumbers.get(j + 1) == rowNumbers.get(j) + 1) {
                    j++;
                }
                Attribution a = new Attribution(dataset, version, rowNumbers.get(i));
                int batch = batchSize();
                for (int from = i; from <= j; from += batch) {
                    int to = Math.min(j + 1, from + batch);
                    pipe.submit(addBatch(c, docs.subList(from, to), ids.subList(from, to), a, from - i), to - from);
                }
                i = j + 1;
            }
            cursor = page.nextCursor();
            long done = pipe.finishedRows.get() + skipped;
            job.progress(done, Math.max(done + 1, rows + (cursor == null ? 0 : pageSize)));
            job.message("read " + rows + " rows of " + dataset + " v" + version + "; " + pipe.added.get()
                    + " indexed, " + skipped + " skipped");
            job.result(new IngestResult(c.name(), dataset, version, rows, pipe.added.get(), skipped, usedIdField));
            if (firstRow == rows) {
                break; // an empty page ends the dataset even when a cursor came with it
            }
        } while (cursor != null && !cursor.isBlank());
        pipe.drain();
        pipe.rethrow();
        long added = pipe.added.get();
        job.progress(rows, Math.max(1, rows));
        job.message("indexed " + added + " of " + rows + " rows into " + c.name());
        return new IngestResult(c.name(), dataset, version, rows, added, skipped, usedIdField);
    }

    /** {@code id} when present, else the first field whose name ends in {@code _id} (worker_id, job_id). */
    static String guessIdField(Map<String, Object> row) {
        if (row.containsKey("id")) {
            return "id";
        }
        for (String k : row.keySet()) {
            if (k.endsWith("_id")) {
                return k;
            }
        }
        return null;
    }

    static <T> T await(io.smallrye.mutiny.Uni<T> uni) {
        return uni.await().indefinitely();
    }
}

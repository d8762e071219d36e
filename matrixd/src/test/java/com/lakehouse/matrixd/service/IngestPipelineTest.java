package com.lakehouse.matrixd.service;

import com.lakehouse.contracts.client.UpstreamException;
import com.lakehouse.contracts.jobs.JobRegistry;
import com.lakehouse.contracts.jobs.JobView;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The catalog ingest pipeline: batches in flight at once, bounded, every row attributed, a failure fails the job. */
class IngestPipelineTest {
    /** An embedder that answers later on another thread and records how many calls overlap. */
    static final class SlowEmbeddings implements Embedder {
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();
        volatile String failOn;

        @Override
        public Uni<Embedding> embed(List<String> texts, String model) {
            return Uni.createFrom().item(texts).emitOn(Infrastructure.getDefaultWorkerPool()).map(ts -> {
                int now = inFlight.incrementAndGet();
                maxInFlight.accumulateAndGet(now, Math::max);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                inFlight.decrementAndGet();
                if (failOn != null && ts.contains(failOn)) {
                    throw new UpstreamException("embedd", 503, "fake embedd: failing on purpose");
                }
                List<float[]> out = new ArrayList<>();
                for (int i = 0; i < ts.size(); i++) {
                    out.add(new float[]{1, 0, 0});
                }
                return new Embedding("fake", 3, out);
            });
        }
    }

    static Catalog catalog(List<Map<String, Object>> rows) {
        return new Catalog() {
            @Override
            public Uni<Long> latestVersion(String dataset) {
                return Uni.createFrom().item(3L);
            }

            @Override
            public Uni<Page> rows(String dataset, int limit, String cursor) {
                int from = cursor == null ? 0 : Integer.parseInt(cursor);
                int to = Math.min(rows.size(), from + limit);
                return Uni.createFrom().item(new Page(rows.subList(from, to), to < rows.size() ? "" + to : null));
            }
        };
    }

    static List<Map<String, Object>> rows(int n) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Object> row = new HashMap<>();
            row.put("worker_id", "W-" + i);
            row.put("text", i % 97 == 5 ? "" : "worker " + i); // some rows have no text: skipped, numbering goes on
            rows.add(row);
        }
        return rows;
    }

    static JobView run(IndexingService ingesting, CorpusRegistry registry, int pageSize) throws InterruptedException {
        try (JobRegistry jobs = new JobRegistry("t", 1, 16)) {
            var job = ingesting.submitIngest(jobs, registry.require("workers"), "workers_ds", null, pageSize);
            JobView v = job.view();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!(v = job.view()).state().matches("succeeded|failed") && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            return v;
        }
    }

    @Test
    void batchesOverlapUpToTheLimitAndEveryRowIsIndexedWithItsRowNumber() throws Exception {
        Fakes.Store store = new Fakes.Store();
        CorpusRegistry registry = new CorpusRegistry(store);
        registry.load();
        Fakes.Vectors vectors = new Fakes.Vectors();
        SlowEmbeddings embeddings = new SlowEmbeddings();
        List<Map<String, Object>> rows = rows(2000);
        // embed batch 64 (Fakes.settings), pages of 500, at most 3 batches in flight
        IndexingService ingesting = new IndexingService(registry, embeddings, vectors, catalog(rows), Fakes.settings(), 3);
        ingesting.putCorpus("workers", new CorpusDefinition(null, false, null, List.of("text"), null, null, 3, null));

        JobView v = run(ingesting, registry, 500);
        assertEquals("succeeded", v.state(), String.valueOf(v.error()));
        IndexingService.IngestResult res = (IndexingService.IngestResult) v.result();
        long skipped = rows.stream().filter(r -> ((String) r.get("text")).isEmpty()).count();
        assertEquals(2000, res.rows());
        assertEquals(skipped, res.skipped());
        assertEquals(2000 - skipped, res.added());
        Map<String, VectorIndex.Item> idx = vectors.indexes.get("workers");
        assertEquals(2000 - skipped, idx.size());
        for (int i : new int[]{0, 4, 6, 63, 64, 499, 500, 1999}) {
            assertEquals((long) i, idx.get("W-" + i).metadata().get("row"), "row number of W-" + i);
        }
        assertTrue(embeddings.maxInFlight.get() > 1, "batches overlapped: " + embeddings.maxInFlight.get());
        assertTrue(embeddings.maxInFlight.get() <= 3, "never more than the limit in flight: " + embeddings.maxInFlight.get());
        assertEquals(2000, v.progress().done());
    }

    @Test
    void aFailedBatchFailsTheJob() throws Exception {
        Fakes.Store store = new Fakes.Store();
        CorpusRegistry registry = new CorpusRegistry(store);
        registry.load();
        SlowEmbeddings embeddings = new SlowEmbeddings();
        IndexingService ingesting = new IndexingService(registry, embeddings, new Fakes.Vectors(), catalog(rows(600)),
                Fakes.settings(), 2);
        ingesting.putCorpus("workers", new CorpusDefinition(null, false, null, List.of("text"), null, null, 3, null));
        embeddings.failOn = "worker 300";
        JobView v = run(ingesting, registry, 200);
        assertEquals("failed", v.state());
        assertTrue(String.valueOf(v.error()).contains("failing on purpose"), String.valueOf(v.error()));
    }
}

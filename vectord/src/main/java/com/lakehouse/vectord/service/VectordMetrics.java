package com.lakehouse.vectord.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * vectord's domain meters (Prometheus names in docs/operations.md). Per-index gauges come and go with the
 * index; the save and restore counters are registered up front so their series exist before the first event.
 */
public final class VectordMetrics {
    /** What the per-index gauges read; implemented by the service's managed index. */
    public interface IndexView {
        int vectors();

        int tombstones();

        long unsavedWrites();
    }

    private final MeterRegistry registry;
    private final Map<String, List<Meter>> perIndex = new ConcurrentHashMap<>();
    private final Counter savesOk;
    private final Counter savesFailed;
    private final Counter restoredLoaded;
    private final Counter restoredRebuilt;
    private final Counter restoreFailed;
    private final Timer saveTime;
    private final Counter savedBytes;

    public VectordMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("vectord.indexes", perIndex, Map::size).description("indexes served").register(registry);
        savesOk = saves("ok");
        savesFailed = saves("failed");
        restoredLoaded = restores("graph_loaded");
        restoredRebuilt = restores("graph_rebuilt");
        restoreFailed = restores("failed");
        saveTime = Timer.builder("vectord.save.duration").description("time to write a generation to S3")
                .register(registry);
        savedBytes = Counter.builder("vectord.save.bytes").baseUnit("bytes")
                .description("payload bytes written to S3 by saves").register(registry);
    }

    private Counter saves(String outcome) {
        return Counter.builder("vectord.saves").tag("outcome", outcome)
                .description("generations written (ok) or attempted and failed").register(registry);
    }

    private Counter restores(String outcome) {
        return Counter.builder("vectord.restores").tag("outcome", outcome)
                .description("indexes restored at start, by whether the stored graph was used").register(registry);
    }

    /** Starts the gauges of one index (replacing any of the same name). */
    public void track(String name, IndexView view) {
        untrack(name);
        List<Meter> meters = new ArrayList<>(3);
        meters.add(gauge("vectord.index.vectors", name, view, v -> v.vectors(), "items in the index"));
        meters.add(gauge("vectord.index.tombstones", name, view, v -> v.tombstones(),
                "graph nodes of removed or replaced items (reclaimed by a rebuild)"));
        meters.add(gauge("vectord.index.unsaved.writes", name, view, v -> v.unsavedWrites(),
                "items written since the last generation (held in the WAL)"));
        perIndex.put(name, meters);
    }

    private Meter gauge(String metric, String index, IndexView view, ToDoubleFunction<IndexView> f, String description) {
        return Gauge.builder(metric, view, f).tag("index", index).description(description).strongReference(true)
                .register(registry);
    }

    /** Removes the gauges of a dropped index. */
    public void untrack(String name) {
        List<Meter> old = perIndex.remove(name);
        if (old != null) {
            old.forEach(registry::remove);
        }
    }

    public void saved(long bytes, Duration took) {
        savesOk.increment();
        savedBytes.increment(bytes);
        saveTime.record(took);
    }

    public void saveFailed() {
        savesFailed.increment();
    }

    public void restored(boolean graphLoaded) {
        (graphLoaded ? restoredLoaded : restoredRebuilt).increment();
    }

    public void restoreFailed() {
        restoreFailed.increment();
    }
}

package com.lakehouse.observerd.service;

import com.lakehouse.contracts.s3.ObjectStore;
import com.lakehouse.observerd.config.ObserverdConfig;
import com.lakehouse.observerd.store.OpsArchive;
import com.lakehouse.observerd.store.Spool;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Wires the {@link OpsLedger} into Quarkus: recovery at start, the periodic S3 shipper, metrics, final ship. */
@ApplicationScoped
public class ObserverService {
    private static final Logger LOG = Logger.getLogger(ObserverService.class);

    @Inject
    ObserverdConfig config;
    @Inject
    Instance<ObjectStore> store;
    @Inject
    MeterRegistry registry;

    private volatile OpsLedger ledger;
    private ScheduledExecutorService shipper;

    void onStart(@Observes StartupEvent ev) {
        ledger();
    }

    /** The ledger, created and recovered on first use. */
    public OpsLedger ledger() {
        OpsLedger l = ledger;
        if (l != null) {
            return l;
        }
        synchronized (this) {
            if (ledger != null) {
                return ledger;
            }
            Spool spool = new Spool(Path.of(config.spoolDir()), config.fsync(), config.segmentMaxEvents(),
                    config.segmentMaxBytes().asLongValue());
            OpsArchive archive = store.isResolvable() ? new OpsArchive(store.get()) : null;
            long budget = memoryBudget(Runtime.getRuntime().maxMemory(), config.ringHeapFraction(),
                    config.ringMaxBytes().asLongValue());
            l = new OpsLedger(budget, config.recentScenarioOps(), spool, archive);
            l.pageScanSegments(config.pageScanSegments());
            l.pageMaxBytes(config.pageMaxBytes().asLongValue());
            OpsLedger.Recovery r = l.recover(config.reloadDays(), OpsLedger.todayUtc());
            LOG.infof("observerd loaded the newest %d operations from S3 and %d from the spool into a %d-byte budget"
                            + " (%d unreadable lines, s3 %s, %s)", r.fromS3(), r.fromSpool(), budget, r.badLines(),
                    r.s3Reachable() ? "reachable" : "unreachable",
                    r.truncated() ? "older history stays in S3 and is paged by cursor" : "the whole history window fits");
            OpsLedger fin = l;
            Gauge.builder("observerd.ring.size", fin, OpsLedger::size).register(registry);
            Gauge.builder("observerd.ring.bytes", fin, OpsLedger::bytes)
                    .description("what the operations held in memory cost").register(registry);
            Gauge.builder("observerd.ring.max.bytes", () -> budget)
                    .description("the in-memory budget (ring-heap-fraction of the heap, at most ring-max-bytes)").register(registry);
            FunctionCounter.builder("observerd.ring.dropped", fin, x -> x.droppedCount())
                    .description("operations pushed out of memory by the byte budget (still in the spool / S3)").register(registry);
            FunctionCounter.builder("observerd.spool.failures", fin, x -> x.spoolFailureCount()).register(registry);
            FunctionCounter.builder("observerd.ship.failures", fin, x -> x.shipFailureCount()).register(registry);
            shipper = Executors.newSingleThreadScheduledExecutor(r2 -> {
                Thread t = new Thread(r2, "observerd-shipper");
                t.setDaemon(true);
                return t;
            });
            long every = Math.max(100, config.shipInterval().toMillis());
            shipper.scheduleWithFixedDelay(() -> {
                try {
                    fin.ship();
                } catch (RuntimeException e) {
                    LOG.warnf("shipper: %s", e.getMessage());
                }
            }, every, every, TimeUnit.MILLISECONDS);
            ledger = l;
            return l;
        }
    }

    /** The in-memory budget: {@code fraction} of the heap, at most {@code cap} bytes, at least 1 MiB. */
    static long memoryBudget(long maxHeap, double fraction, long cap) {
        long share = (long) (maxHeap * Math.max(0, Math.min(1, fraction)));
        return Math.max(1L << 20, Math.min(share, cap));
    }

    void onStop(@Observes ShutdownEvent ev) {
        if (shipper != null) {
            shipper.shutdownNow();
        }
        OpsLedger l = ledger;
        if (l != null) {
            try {
                l.ship();
            } catch (RuntimeException e) {
                LOG.warnf("final ship failed; the spool keeps the operations: %s", e.getMessage());
            }
        }
    }
}

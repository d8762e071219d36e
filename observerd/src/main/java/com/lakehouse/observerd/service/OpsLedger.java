package com.lakehouse.observerd.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.lakehouse.contracts.error.ApiException;
import com.lakehouse.contracts.json.Json;
import com.lakehouse.contracts.observer.ObservedOperation;
import com.lakehouse.observerd.store.OpsArchive;
import com.lakehouse.observerd.store.Spool;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The heart of observerd, plain Java: an in-memory ring of observed operations (the truth while running),
 * a local spool written before an operation is acknowledged, and an S3 archive the spool is shipped to.
 * Fail-safe: a failed disk or S3 write is logged and counted, never fatal; the ring still takes the operation.
 */
public final class OpsLedger {
    private static final Logger LOG = Logger.getLogger(OpsLedger.class);
    private static final ObjectMapper JSON = Json.mapper();

    /** One ring slot: the sequence number is the read-back cursor. */
    public record Entry(long seq, ObservedOperation op) {
    }

    public record Accepted(int accepted, int duplicates, boolean durable) {
    }

    public record Page(List<ObservedOperation> ops, String nextCursor) {
    }

    public record Stats(long total, long successes, long failures, Map<String, Long> bySource,
                        List<ObservedOperation> recentScenarioOps, long inRing, long dropped, long duplicates,
                        long spoolFailures, long shipFailures, long shippedSegments) {
    }

    public record Recovery(int fromS3, int fromSpool, int badLines, boolean s3Reachable) {
    }

    private final Entry[] ring;
    private int head;
    private int size;
    private long nextSeq = 1;
    private final Set<String> ids = new HashSet<>();
    private final Deque<ObservedOperation> recentScenario = new ArrayDeque<>();
    private final int recentScenarioCap;
    private long total;
    private long successes;
    private long failures;
    private final Map<String, Long> bySource = new TreeMap<>();

    private final Spool spool;
    private final OpsArchive archive;
    final AtomicLong dropped = new AtomicLong();
    final AtomicLong duplicates = new AtomicLong();
    final AtomicLong spoolFailures = new AtomicLong();
    final AtomicLong shipFailures = new AtomicLong();
    final AtomicLong shippedSegments = new AtomicLong();

    /** {@code archive} may be null (no S3): the spool then only grows until one is configured. */
    public OpsLedger(int ringCapacity, int recentScenarioCap, Spool spool, OpsArchive archive) {
        this.ring = new Entry[Math.max(1, ringCapacity)];
        this.recentScenarioCap = Math.max(0, recentScenarioCap);
        this.spool = spool;
        this.archive = archive;
    }

    /** Fills what a caller may leave out (id, time, source); endpoint must already be checked. */
    public static ObservedOperation normalize(ObservedOperation op, Instant now) {
        return new ObservedOperation(
                op.opId() == null || op.opId().isBlank() ? UUID.randomUUID().toString() : op.opId(),
                op.timestamp() == null ? now : op.timestamp(),
                op.source() == null || op.source().isBlank() ? "unknown" : op.source(),
                op.endpoint(), op.requestId(), op.taskId(), op.kind(), op.model(), op.request(), op.result(),
                op.success(), op.latencyMs(), op.error(), op.tags());
    }

    /** Checks every operation of a batch; the first bad one is a 400 naming {@code <prefix>[i].endpoint}. */
    public static void validate(List<ObservedOperation> ops, String prefix) {
        for (int i = 0; i < ops.size(); i++) {
            ObservedOperation op = ops.get(i);
            String at = prefix == null ? "" : prefix + "[" + i + "].";
            if (op == null) {
                throw ApiException.badField(prefix == null ? "event" : prefix + "[" + i + "]", "an operation is required");
            }
            if (op.endpoint() == null || op.endpoint().isBlank()) {
                throw ApiException.badField(at + "endpoint", "endpoint is required");
            }
            if (op.latencyMs() != null && op.latencyMs() < 0) {
                throw ApiException.badField(at + "latency_ms", "latency_ms must not be negative");
            }
        }
    }

    /**
     * Accepts operations: duplicates (same op_id as one already held) are acknowledged but not stored twice;
     * new ones are spooled (fsync'd) and then put in the ring. A spool failure is logged and reported as
     * {@code durable=false}, never thrown.
     */
    public Accepted accept(List<ObservedOperation> ops) {
        Instant now = Instant.now();
        List<ObservedOperation> fresh = new ArrayList<>(ops.size());
        int dups = 0;
        synchronized (this) {
            for (ObservedOperation raw : ops) {
                ObservedOperation op = normalize(raw, now);
                // the id is claimed now so a concurrent duplicate is refused while this batch is being spooled
                if (!ids.add(op.opId())) {
                    dups++;
                    continue;
                }
                fresh.add(op);
            }
        }
        duplicates.addAndGet(dups);
        boolean durable = true;
        if (spool != null && !fresh.isEmpty()) {
            try {
                List<byte[]> lines = new ArrayList<>(fresh.size());
                for (ObservedOperation op : fresh) {
                    byte[] b = JSON.writeValueAsBytes(op);
                    byte[] l = new byte[b.length + 1];
                    System.arraycopy(b, 0, l, 0, b.length);
                    l[b.length] = '\n';
                    lines.add(l);
                }
                spool.append(lines);
            } catch (IOException | RuntimeException e) {
                durable = false;
                spoolFailures.incrementAndGet();
                LOG.errorf("spool write failed (%d operations kept in memory only): %s", fresh.size(), e.getMessage());
            }
        } else if (spool == null) {
            durable = false;
        }
        synchronized (this) {
            for (ObservedOperation op : fresh) {
                add(op);
            }
        }
        return new Accepted(fresh.size(), dups, durable);
    }

    private void add(ObservedOperation op) {
        if (size == ring.length) {
            Entry old = ring[head];
            ids.remove(old.op().opId());
            ring[head] = null;
            head = (head + 1) % ring.length;
            size--;
            dropped.incrementAndGet();
        }
        ring[(head + size) % ring.length] = new Entry(nextSeq++, op);
        size++;
        ids.add(op.opId());
        total++;
        if (failed(op)) {
            failures++;
        } else {
            successes++;
        }
        bySource.merge(op.source(), 1L, Long::sum);
        if (recentScenarioCap > 0 && isScenario(op)) {
            recentScenario.addFirst(op);
            while (recentScenario.size() > recentScenarioCap) {
                recentScenario.removeLast();
            }
        }
    }

    /** A failure: {@code success=false}, or no verdict but an error. */
    static boolean failed(ObservedOperation op) {
        return Boolean.FALSE.equals(op.success()) || (op.success() == null && op.error() != null && !op.error().isBlank());
    }

    static boolean isScenario(ObservedOperation op) {
        return "scenario".equals(op.source()) || (op.tags() != null && op.tags().contains("scenario"));
    }

    public synchronized Stats stats() {
        return new Stats(total, successes, failures, new LinkedHashMap<>(bySource), List.copyOf(recentScenario),
                size, dropped.get(), duplicates.get(), spoolFailures.get(), shipFailures.get(), shippedSegments.get());
    }

    public synchronized int size() {
        return size;
    }

    /**
     * Reads back in arrival order: operations after {@code cursor} (a sequence number, 0 = from the start)
     * matching source and the [since, until) time window, at most {@code limit}. next_cursor is null at the end.
     */
    public Page query(String source, Instant since, Instant until, long cursor, int limit) {
        return query(source, since, until, cursor, limit, false);
    }

    /**
     * As above; with {@code newestFirst} the ring is read from its newest end instead: operations before
     * {@code cursor} ({@link Long#MAX_VALUE} = from the newest), so the first page is the most recent activity and
     * each next_cursor pages further back in time.
     */
    public synchronized Page query(String source, Instant since, Instant until, long cursor, int limit, boolean newestFirst) {
        List<ObservedOperation> out = new ArrayList<>(Math.min(limit, 1024));
        long last = -1;
        boolean more = false;
        for (int n = 0; n < size; n++) {
            int i = newestFirst ? size - 1 - n : n;
            Entry e = ring[(head + i) % ring.length];
            if (newestFirst ? e.seq() >= cursor : e.seq() <= cursor) {
                continue;
            }
            ObservedOperation op = e.op();
            if (source != null && !source.equals(op.source())) {
                continue;
            }
            if (since != null && op.timestamp().isBefore(since)) {
                continue;
            }
            if (until != null && !op.timestamp().isBefore(until)) {
                continue;
            }
            if (out.size() == limit) {
                more = true;
                break;
            }
            out.add(op);
            last = e.seq();
        }
        return new Page(out, more ? Long.toString(last) : null);
    }

    /**
     * Seals the active spool segment and ships every sealed one to S3, deleting each local file once uploaded.
     * A failure is logged and counted; the file stays for the next try. Returns the segments shipped.
     */
    public int ship() {
        if (spool == null || archive == null) {
            return 0;
        }
        spool.seal();
        int n = 0;
        for (Path file : spool.sealed()) {
            try {
                if (Files.size(file) == 0) {
                    Files.deleteIfExists(file);
                    continue;
                }
                String key = archive.ship(file);
                Files.deleteIfExists(file);
                shippedSegments.incrementAndGet();
                n++;
                LOG.debugf("shipped %s to %s", file.getFileName(), key);
            } catch (IOException | RuntimeException e) {
                shipFailures.incrementAndGet();
                LOG.warnf("shipping spool segment %s failed, will retry: %s", file.getFileName(), e.getMessage());
                break;
            }
        }
        return n;
    }

    /**
     * Rebuilds the ring after a restart: S3 segments of the last {@code reloadDays} days, then every local spool
     * segment (not shipped yet), merged in segment-name (arrival) order and de-duplicated by op_id. Unreadable
     * lines (a torn last write) are skipped and counted. S3 being down is logged; the spool still reloads.
     */
    public Recovery recover(int reloadDays, LocalDate today) {
        record Segment(String name, String where, byte[] bytes) {
        }
        List<Segment> segments = new ArrayList<>();
        boolean s3 = true;
        int fromS3 = 0;
        int fromSpool = 0;
        if (archive != null && reloadDays > 0) {
            try {
                for (String key : archive.segmentsSince(today.minusDays(reloadDays - 1L), today)) {
                    byte[] bytes = archive.read(key).orElse(null);
                    if (bytes != null) {
                        String name = key.substring(key.lastIndexOf('/') + 1).replace(".jsonl", "");
                        segments.add(new Segment(name, "s3", bytes));
                    }
                }
            } catch (RuntimeException e) {
                s3 = false;
                LOG.errorf("could not reload observed operations from S3 (continuing with the local spool): %s", e.getMessage());
            }
        }
        if (spool != null) {
            for (Path file : spool.all()) {
                try {
                    segments.add(new Segment(Spool.segmentName(file), "spool", Files.readAllBytes(file)));
                } catch (IOException e) {
                    LOG.errorf("could not read spool segment %s: %s", file, e.getMessage());
                }
            }
        }
        segments.sort(Comparator.comparing(Segment::name).thenComparing(Segment::where));
        int bad = 0;
        synchronized (this) {
            for (Segment seg : segments) {
                String text = new String(seg.bytes(), StandardCharsets.UTF_8);
                int lineNo = 0;
                for (String line : text.split("\n", -1)) {
                    lineNo++;
                    if (line.isBlank()) {
                        continue;
                    }
                    ObservedOperation op;
                    try {
                        op = JSON.readValue(line, ObservedOperation.class);
                    } catch (IOException e) {
                        bad++;
                        LOG.warnf("skipping unreadable line %d of segment %s (%s)", lineNo, seg.name(), seg.where());
                        continue;
                    }
                    if (op.endpoint() == null || op.opId() == null || ids.contains(op.opId())) {
                        continue;
                    }
                    add(normalize(op, Instant.now()));
                    if ("s3".equals(seg.where())) {
                        fromS3++;
                    } else {
                        fromSpool++;
                    }
                }
            }
        }
        return new Recovery(fromS3, fromSpool, bad, s3);
    }

    public static LocalDate todayUtc() {
        return LocalDate.now(ZoneOffset.UTC);
    }

    public long droppedCount() {
        return dropped.get();
    }

    public long spoolFailureCount() {
        return spoolFailures.get();
    }

    public long shipFailureCount() {
        return shipFailures.get();
    }
}

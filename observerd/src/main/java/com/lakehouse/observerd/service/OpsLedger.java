package com.lakehouse.observerd.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.lakehouse.contracts.error.ApiException;
import com.lakehouse.contracts.json.Json;
import com.lakehouse.contracts.observer.ObservedOperation;
import com.lakehouse.observerd.store.OpsArchive;
import com.lakehouse.observerd.store.OpsHistory;
import com.lakehouse.observerd.store.OpsPosition;
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
 * The heart of observerd, plain Java: the newest observed operations in memory ({@link OpsRing}, bounded by
 * bytes), a local spool written before an operation is acknowledged, and an S3 archive the spool is shipped to.
 * Older history is never loaded: read-back pages into it by cursor ({@link OpsHistory}), and start-up reads
 * only the newest operations that fit, newest segment first, so it costs the same whatever the history's size.
 * Fail-safe: a failed disk or S3 write is logged and counted, never fatal; memory still takes the operation.
 */
public final class OpsLedger {
    private static final Logger LOG = Logger.getLogger(OpsLedger.class);
    private static final ObjectMapper JSON = Json.mapper();
    /** Distinct sources counted by name in the stats; more go to {@link #OTHER_SOURCES} (sources are caller text). */
    static final int MAX_SOURCES = 1024;
    static final String OTHER_SOURCES = "(other)";

    public record Accepted(int accepted, int duplicates, boolean durable) {
    }

    public record Page(List<ObservedOperation> ops, String nextCursor) {
    }

    /**
     * Totals count what start-up loaded plus everything accepted since; {@code countsSince} is the oldest
     * timestamp counted and {@code countsCoverAllHistory} says whether start-up loaded the whole history window
     * (false: older operations are in S3 and pageable, but not in these totals).
     */
    public record Stats(long total, long successes, long failures, Map<String, Long> bySource,
                        List<ObservedOperation> recentScenarioOps, long inRing, long dropped, long duplicates,
                        long spoolFailures, long shipFailures, long shippedSegments, long ringBytes,
                        long ringMaxBytes, Instant countsSince, boolean countsCoverAllHistory) {
    }

    /** {@code truncated}: history held more than the memory budget, so only the newest part was loaded. */
    public record Recovery(int fromS3, int fromSpool, int badLines, boolean s3Reachable, boolean truncated) {
    }

    /**
     * A read-back cursor: a ring sequence number (valid while the operation is in memory) and/or the operation's
     * position in the durable history (valid for ever). Wire form: {@code <seq>}, {@code <seq>:<segment>:<line>}
     * or {@code h:<segment>:<line>}.
     */
    record Cursor(long seq, OpsPosition pos) {
        static Cursor parse(String s) {
            if (s.startsWith("h:")) {
                return new Cursor(-1, OpsPosition.parse(s.substring(2)));
            }
            int colon = s.indexOf(':');
            long seq = Long.parseLong(colon < 0 ? s : s.substring(0, colon));
            if (seq < 0) {
                throw new IllegalArgumentException("negative cursor");
            }
            return new Cursor(seq, colon < 0 ? null : OpsPosition.parse(s.substring(colon + 1)));
        }

        static String of(OpsRing.Entry e) {
            return e.pos() == null ? Long.toString(e.seq()) : e.seq() + ":" + e.pos();
        }

        static String history(OpsPosition p) {
            return "h:" + p;
        }
    }

    private record Filter(String source, Instant since, Instant until) {
        boolean matches(String src, long ts) {
            return (source == null || source.equals(src))
                    && (since == null || ts >= since.toEpochMilli())
                    && (until == null || ts < until.toEpochMilli());
        }
    }

    private final OpsRing ring;
    private final Set<String> pending = new HashSet<>();
    private final Deque<OpsRing.Entry> recentScenario = new ArrayDeque<>();
    private final int recentScenarioCap;
    private long recentScenarioBytes;
    private long total;
    private long successes;
    private long failures;
    private long countsSinceMillis = Long.MAX_VALUE;
    private final Map<String, Long> bySource = new TreeMap<>();
    /** Whether memory holds the whole history window: then read-back never needs S3. */
    private boolean historyLoaded = true;
    private boolean tooLargeSkipped;

    private final Spool spool;
    private final OpsArchive archive;
    private final OpsHistory history;
    private volatile int historyDays = 7;
    private volatile int pageScanSegments = 64;
    private volatile long pageMaxBytes = 4L << 20;
    final AtomicLong duplicates = new AtomicLong();
    final AtomicLong spoolFailures = new AtomicLong();
    final AtomicLong shipFailures = new AtomicLong();
    final AtomicLong shippedSegments = new AtomicLong();

    /**
     * {@code maxBytes}: what the operations held in memory may cost. {@code archive} may be null (no S3): the
     * spool then only grows until one is configured.
     */
    public OpsLedger(long maxBytes, int recentScenarioCap, Spool spool, OpsArchive archive) {
        this.ring = new OpsRing(maxBytes);
        this.recentScenarioCap = Math.max(0, recentScenarioCap);
        this.spool = spool;
        this.archive = archive;
        this.history = new OpsHistory(spool, archive);
    }

    /**
     * Most JSON bytes of operations on one read-back page (at least one op is always returned): a page of 1,000
     * large results would otherwise be parsed, held and serialised at once. The page ends early with a cursor.
     */
    public void pageMaxBytes(long n) {
        this.pageMaxBytes = Math.max(1, n);
    }

    /** Most segments one read-back request opens in the history before it answers with a cursor to go on. */
    public void pageScanSegments(int n) {
        this.pageScanSegments = Math.max(1, n);
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
     * new ones are spooled (fsync'd) and then put in memory. A spool failure is logged and reported as
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
                if (ring.contains(op.opId()) || !pending.add(op.opId())) {
                    dups++;
                    continue;
                }
                fresh.add(op);
            }
        }
        duplicates.addAndGet(dups);
        List<byte[]> json = new ArrayList<>(fresh.size());
        try {
            for (ObservedOperation op : fresh) {
                json.add(JSON.writeValueAsBytes(op));
            }
        } catch (IOException e) {
            synchronized (this) {
                fresh.forEach(op -> pending.remove(op.opId()));
            }
            throw new IllegalStateException("an observed operation could not be serialised", e);
        }
        boolean durable = true;
        OpsPosition first = null;
        if (spool != null && !fresh.isEmpty()) {
            try {
                List<byte[]> lines = new ArrayList<>(fresh.size());
                for (byte[] b : json) {
                    byte[] l = new byte[b.length + 1];
                    System.arraycopy(b, 0, l, 0, b.length);
                    l[b.length] = '\n';
                    lines.add(l);
                }
                first = spool.append(lines);
            } catch (IOException | RuntimeException e) {
                durable = false;
                spoolFailures.incrementAndGet();
                LOG.errorf("spool write failed (%d operations kept in memory only): %s", fresh.size(), e.getMessage());
            }
        } else if (spool == null) {
            durable = false;
        }
        synchronized (this) {
            for (int i = 0; i < fresh.size(); i++) {
                ObservedOperation op = fresh.get(i);
                pending.remove(op.opId());
                OpsPosition pos = first == null ? null : new OpsPosition(first.segment(), first.line() + i);
                add(op, json.get(i), pos);
            }
        }
        return new Accepted(fresh.size(), dups, durable);
    }

    /** Holds one operation (if it fits at all) and counts it. Under the lock. */
    private void add(ObservedOperation op, byte[] json, OpsPosition pos) {
        long ts = op.timestamp().toEpochMilli();
        if (ring.fits(json.length + op.opId().length() + OpsRing.ENTRY_OVERHEAD)) {
            ring.add(op.opId(), op.source(), ts, json, pos);
            if (recentScenarioCap > 0 && isScenario(op)) {
                OpsRing.Entry e = ring.get(ring.size() - 1);
                recentScenario.addFirst(e);
                recentScenarioBytes += e.cost();
                // count and bytes: an entry here may outlive its ring slot, so these are bounded too
                while (recentScenario.size() > recentScenarioCap || recentScenarioBytes > ring.maxBytes() / 8) {
                    recentScenarioBytes -= recentScenario.removeLast().cost();
                }
            }
        } else {
            tooLargeSkipped = true;
            LOG.warnf("operation %s (%d bytes) is larger than the memory budget; it is kept in the spool / S3 only",
                    op.opId(), json.length);
        }
        total++;
        countsSinceMillis = Math.min(countsSinceMillis, ts);
        if (failed(op)) {
            failures++;
        } else {
            successes++;
        }
        String src = bySource.containsKey(op.source()) || bySource.size() < MAX_SOURCES ? op.source() : OTHER_SOURCES;
        bySource.merge(src, 1L, Long::sum);
    }

    /** Whether memory holds everything of the history window (read-back then never goes to S3). Under the lock. */
    private boolean complete() {
        return historyLoaded && ring.evicted() == 0 && !tooLargeSkipped;
    }

    /** A failure: {@code success=false}, or no verdict but an error. */
    static boolean failed(ObservedOperation op) {
        return Boolean.FALSE.equals(op.success()) || (op.success() == null && op.error() != null && !op.error().isBlank());
    }

    static boolean isScenario(ObservedOperation op) {
        return "scenario".equals(op.source()) || (op.tags() != null && op.tags().contains("scenario"));
    }

    public synchronized Stats stats() {
        List<ObservedOperation> recent = new ArrayList<>(recentScenario.size());
        recentScenario.forEach(e -> recent.add(decode(e)));
        return new Stats(total, successes, failures, new LinkedHashMap<>(bySource), recent,
                ring.size(), ring.evicted(), duplicates.get(), spoolFailures.get(), shipFailures.get(),
                shippedSegments.get(), ring.bytes(), ring.maxBytes(),
                countsSinceMillis == Long.MAX_VALUE ? null : Instant.ofEpochMilli(countsSinceMillis), historyLoaded);
    }

    public synchronized int size() {
        return ring.size();
    }

    public synchronized long bytes() {
        return ring.bytes();
    }

    private static ObservedOperation decode(OpsRing.Entry e) {
        try {
            return normalize(JSON.readValue(e.json(), ObservedOperation.class), Instant.ofEpochMilli(e.timestampMillis()));
        } catch (IOException ex) {
            throw new IllegalStateException("held operation " + e.opId() + " does not parse", ex);
        }
    }

    /**
     * Reads back, filtered by source and the [since, until) time window, at most {@code limit}.
     * Arrival order ({@code newestFirst=false}): operations after {@code cursor} (null = from the oldest of the
     * history window). Newest first: operations before {@code cursor} (null = from the newest), each next_cursor
     * going further back in time. What is in memory is answered from memory; a cursor past it (or one whose
     * operation has left memory meanwhile) continues in the spool / S3 by position, so paging never skips
     * history. next_cursor is null at the end. A bad cursor is an IllegalArgumentException.
     */
    public Page query(String source, Instant since, Instant until, String cursor, int limit, boolean newestFirst) {
        Cursor c = cursor == null || cursor.isBlank() ? null : Cursor.parse(cursor);
        Filter f = new Filter(source, since, until);
        return newestFirst ? queryDesc(f, c, limit) : queryAsc(f, c, limit);
    }

    private Page queryDesc(Filter f, Cursor c, int limit) {
        List<ObservedOperation> out = new ArrayList<>(Math.min(limit, 1024));
        OpsPosition bound;
        long pageBytes = 0;
        synchronized (this) {
            int from;
            if (c == null || c.seq() == Long.MAX_VALUE) {
                from = ring.size();
            } else if (c.seq() >= 0 && (c.seq() > ring.oldestSeq() || complete())) {
                from = ring.indexAfter(c.seq() - 1);
            } else {
                from = -1;
            }
            if (from >= 0) {
                OpsRing.Entry last = null;
                for (int i = from - 1; i >= 0; i--) {
                    OpsRing.Entry e = ring.get(i);
                    if (!f.matches(e.source(), e.timestampMillis())) {
                        continue;
                    }
                    if (out.size() == limit || pageBytes >= pageMaxBytes) {
                        return new Page(out, Cursor.of(last));
                    }
                    out.add(decode(e));
                    pageBytes += e.json().length;
                    last = e;
                }
                if (complete()) {
                    return new Page(out, null);
                }
                if (pageBytes >= pageMaxBytes && last != null) {
                    return new Page(out, Cursor.of(last));
                }
                bound = ring.oldestPosition();
            } else {
                bound = c.pos() != null ? c.pos() : ring.oldestPosition();
            }
        }
        return historyDesc(f, bound, limit, out, pageBytes);
    }

    /** Newest first from the history, strictly before {@code bound} (null: from its newest end). */
    private Page historyDesc(Filter f, OpsPosition bound, int limit, List<ObservedOperation> out, long usedBytes) {
        if (out.size() == limit) {
            return new Page(out, bound == null ? null : Cursor.history(bound));
        }
        List<OpsHistory.Segment> segs = listHistory();
        int scanned = 0;
        for (int s = segs.size() - 1; s >= 0; s--) {
            OpsHistory.Segment seg = segs.get(s);
            int cmp = bound == null ? -1 : seg.id().compareTo(bound.segment());
            if (cmp > 0 || (cmp == 0 && bound.line() == 0)) {
                continue;
            }
            if (scanned == pageScanSegments) {
                return new Page(out, Cursor.history(new OpsPosition(segs.get(s + 1).id(), 0)));
            }
            int upper = cmp == 0 ? bound.line() : Integer.MAX_VALUE;
            int need = limit - out.size();
            long room = pageMaxBytes - usedBytes;
            // this segment's newest matches below the bound, at most what is left of the page (count and bytes)
            ArrayDeque<Map.Entry<Integer, ObservedOperation>> tail = new ArrayDeque<>();
            ArrayDeque<Integer> sizes = new ArrayDeque<>();
            long[] tailBytes = {0};
            boolean[] more = {false};
            readHistory(seg, (i, line) -> {
                if (i >= upper) {
                    return false;
                }
                ObservedOperation op = historyOp(line, f);
                if (op != null) {
                    tail.addLast(Map.entry(i, op));
                    sizes.addLast(line.length());
                    tailBytes[0] += line.length();
                    while (tail.size() > need || (tail.size() > 1 && tailBytes[0] > room)) {
                        tail.removeFirst();
                        tailBytes[0] -= sizes.removeFirst();
                        more[0] = true;
                    }
                }
                return true;
            });
            scanned++;
            while (!tail.isEmpty()) {
                Map.Entry<Integer, ObservedOperation> t = tail.removeLast();
                out.add(t.getValue());
                usedBytes += sizes.removeLast();
                if (out.size() == limit || usedBytes >= pageMaxBytes) {
                    // the cursor is the position of the last operation returned: the next page starts before it
                    boolean end = !more[0] && s == 0 && tail.isEmpty();
                    return new Page(out, end ? null : Cursor.history(new OpsPosition(seg.id(), t.getKey())));
                }
            }
        }
        return new Page(out, null);
    }

    private Page queryAsc(Filter f, Cursor c, int limit) {
        OpsPosition after;
        synchronized (this) {
            int from = -1;
            if (c == null) {
                from = complete() ? 0 : -1;
            } else if (c.seq() >= 0 && (c.seq() >= ring.oldestSeq() - 1 || complete())) {
                from = ring.indexAfter(c.seq());
            }
            if (from >= 0) {
                return ringAsc(f, from, limit, new ArrayList<>(), null, 0);
            }
            after = c == null ? null : c.pos();
        }
        List<ObservedOperation> out = new ArrayList<>(Math.min(limit, 1024));
        OpsPosition boundary;
        synchronized (this) {
            boundary = ring.oldestPosition();
        }
        List<OpsHistory.Segment> segs = listHistory();
        int scanned = 0;
        OpsPosition[] lastAdded = {null};
        long[] used = {0};
        for (OpsHistory.Segment seg : segs) {
            int cmp = after == null ? 1 : seg.id().compareTo(after.segment());
            if (cmp < 0 || (boundary != null && seg.id().compareTo(boundary.segment()) > 0)) {
                continue;
            }
            int lower = cmp == 0 ? after.line() : -1;
            int[] last = {lower};
            boolean[] full = {false};
            readHistory(seg, (i, line) -> {
                if (i <= lower) {
                    return true;
                }
                ObservedOperation op = historyOp(line, f);
                if (op != null) {
                    if (out.size() == limit || used[0] >= pageMaxBytes) {
                        full[0] = true;
                        return false;
                    }
                    out.add(op);
                    used[0] += line.length();
                    lastAdded[0] = new OpsPosition(seg.id(), i);
                }
                last[0] = i;
                return true;
            });
            scanned++;
            if (full[0]) {
                return new Page(out, Cursor.history(lastAdded[0]));
            }
            if (scanned == pageScanSegments) {
                return new Page(out, Cursor.history(new OpsPosition(seg.id(), Math.max(0, last[0]))));
            }
        }
        // the history before memory is read: memory takes over from its oldest entry
        synchronized (this) {
            return ringAsc(f, 0, limit, out, lastAdded[0], used[0]);
        }
    }

    /**
     * Arrival order from ring index {@code from}; next_cursor only when a further match exists. {@code before}:
     * the history position of the last op already on the page (the cursor when memory adds none). Under the lock.
     */
    private Page ringAsc(Filter f, int from, int limit, List<ObservedOperation> out, OpsPosition before, long used) {
        OpsRing.Entry last = null;
        for (int i = from; i < ring.size(); i++) {
            OpsRing.Entry e = ring.get(i);
            if (!f.matches(e.source(), e.timestampMillis())) {
                continue;
            }
            if (out.size() == limit || (used >= pageMaxBytes && !out.isEmpty())) {
                return new Page(out, last != null ? Cursor.of(last)
                        : before != null ? Cursor.history(before) : Long.toString(e.seq() - 1));
            }
            out.add(decode(e));
            used += e.json().length;
            last = e;
        }
        return new Page(out, null);
    }

    /** A history line as an operation when it parses, matches and is not held in memory (memory serves it). */
    private ObservedOperation historyOp(String line, Filter f) {
        if (line.isBlank()) {
            return null;
        }
        ObservedOperation op;
        try {
            op = JSON.readValue(line, ObservedOperation.class);
        } catch (IOException torn) {
            return null;
        }
        if (op.endpoint() == null || op.opId() == null) {
            return null;
        }
        op = normalize(op, Instant.EPOCH);
        if (!f.matches(op.source(), op.timestamp().toEpochMilli())) {
            return null;
        }
        synchronized (this) {
            return ring.contains(op.opId()) ? null : op;
        }
    }

    private List<OpsHistory.Segment> listHistory() {
        OpsHistory.Listing l = history.list(historyDays, todayUtc());
        if (!l.s3Reachable()) {
            throw ApiException.unavailable("s3_unavailable",
                    "older observed operations are in S3, which is not reachable; the newest are served from memory");
        }
        return l.segments();
    }

    private void readHistory(OpsHistory.Segment seg, OpsHistory.LineVisitor v) {
        try {
            history.read(seg, v);
        } catch (RuntimeException e) {
            throw ApiException.unavailable("s3_unavailable", "reading observed operations from S3 failed: " + e.getMessage());
        }
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
     * Fills memory after a restart with the newest operations that fit, and nothing else: the segments of the
     * last {@code historyDays} days in S3 and every local spool segment (not shipped yet) are listed, then read
     * newest segment first, each streamed line by line, until the memory budget is full. What does not fit stays
     * in the history and is paged by cursor; so start-up reads at most the budget whatever the history holds.
     * Duplicates (same op_id) are loaded once; unreadable lines (a torn last write) are skipped and counted.
     * S3 being down is logged; the spool still loads (and the stats say they do not cover all history).
     */
    public Recovery recover(int historyDays, LocalDate today) {
        record Loaded(ObservedOperation op, byte[] json, OpsPosition pos, long cost, boolean local) {
        }
        this.historyDays = Math.max(1, historyDays);
        OpsHistory.Listing listing = history.list(this.historyDays, today);
        boolean s3 = listing.s3Reachable();
        long remaining = ring.maxBytes();
        Deque<List<Loaded>> chunks = new ArrayDeque<>();
        Set<String> seen = new HashSet<>();
        int[] bad = {0};
        boolean truncated = false;
        List<OpsHistory.Segment> segs = listing.segments();
        for (int s = segs.size() - 1; s >= 0; s--) {
            OpsHistory.Segment seg = segs.get(s);
            if (remaining <= 0) {
                truncated = true;
                break;
            }
            ArrayDeque<Loaded> tail = new ArrayDeque<>();
            long[] tailBytes = {0};
            boolean[] cut = {false};
            long budget = remaining;
            try {
                history.read(seg, (i, line) -> {
                    if (line.isBlank()) {
                        return true;
                    }
                    ObservedOperation op;
                    try {
                        op = JSON.readValue(line, ObservedOperation.class);
                    } catch (IOException e) {
                        bad[0]++;
                        LOG.warnf("skipping unreadable line %d of segment %s", i, seg.id());
                        return true;
                    }
                    if (op.endpoint() == null || op.opId() == null || !seen.add(op.opId())) {
                        return true;
                    }
                    byte[] json = line.getBytes(StandardCharsets.UTF_8);
                    // only what counting and filtering need: request and result stay in the JSON bytes, so a
                    // parsed tree (several times the JSON's size) is never held while the budget fills
                    ObservedOperation n = normalize(op, Instant.now());
                    ObservedOperation slim = new ObservedOperation(n.opId(), n.timestamp(), n.source(), n.endpoint(),
                            null, null, null, null, null, null, n.success(), null, n.error(), n.tags());
                    Loaded l = new Loaded(slim, json, new OpsPosition(seg.id(), i),
                            json.length + op.opId().length() + OpsRing.ENTRY_OVERHEAD, seg.local());
                    tail.addLast(l);
                    tailBytes[0] += l.cost();
                    // keep only this segment's newest lines that fit what is left of the budget
                    while (!tail.isEmpty() && tailBytes[0] > budget) {
                        Loaded out = tail.removeFirst();
                        tailBytes[0] -= out.cost();
                        seen.remove(out.op().opId());
                        cut[0] = true;
                    }
                    return true;
                });
            } catch (RuntimeException e) {
                s3 = false;
                LOG.errorf("could not read segment %s (continuing with the others): %s", seg.id(), e.getMessage());
                continue;
            }
            chunks.addFirst(new ArrayList<>(tail));
            remaining -= tailBytes[0];
            if (cut[0]) {
                truncated = true;
                break;
            }
        }
        int fromS3 = 0;
        int fromSpool = 0;
        synchronized (this) {
            for (List<Loaded> chunk : chunks) {
                for (Loaded l : chunk) {
                    if (ring.contains(l.op().opId())) {
                        continue;
                    }
                    add(l.op(), l.json(), l.pos());
                    if (l.local()) {
                        fromSpool++;
                    } else {
                        fromS3++;
                    }
                }
            }
            historyLoaded = !truncated && s3;
        }
        return new Recovery(fromS3, fromSpool, bad[0], s3, truncated);
    }

    public static LocalDate todayUtc() {
        return LocalDate.now(ZoneOffset.UTC);
    }

    public synchronized long droppedCount() {
        return ring.evicted();
    }

    public long spoolFailureCount() {
        return spoolFailures.get();
    }

    public long shipFailureCount() {
        return shipFailures.get();
    }
}

package com.lakehouse.catalogd.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.lakehouse.contracts.s3.ObjectStore;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The append-only mutation journal: events sha256-chained ({@code hash} = sha256 of the canonical JSON of the
 * event without {@code hash}; {@code prev_hash} of the first event is 64 zeros). Several catalogd processes may
 * append to one bucket and the chain stays one chain.
 *
 * <p>Storage: each event is its own object {@code journal/events/<seq, 12 digits>.json}, created with
 * {@link ObjectStore#putIfAbsent} (S3 {@code If-None-Match: *}). The writer whose create of seq N succeeds owns N;
 * a writer that loses reads event N (learning its hash), rebuilds its event as N+1 chained to it, and tries again,
 * at most {@code maxAttempts} times (then a 503 {@code journal_contended}). An append returns once its object is in
 * S3. Within a process one fair lock orders the appends.
 *
 * <p>Older stacks wrote segments {@code journal/seg-<first seq>.jsonl} (re-uploaded on every append from a local
 * spool). They are still read: the chain is the legacy segments, then the per-event objects after them. At
 * startup, when no per-event object exists yet, legacy segments still pending in the local spool are shipped
 * first (as the old code did), so the new layout continues the old chain with no gap.
 */
public class Journal {
    public static final String PREFIX = "journal/";
    public static final String GENESIS = "0".repeat(64);
    private static final Logger LOG = Logger.getLogger(Journal.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** What a caller supplies; the journal adds event_id, seq, timestamp, prev_hash and hash. */
    public record Draft(String entityType, String entityId, String field, String action, Object oldValue,
                        Object newValue, String actor, String source, String requestId) {
    }

    /** Answer of {@link #verify()}. */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record Verification(boolean intact, long events, Long firstBrokenSeq, String reason) {
    }

    private final ObjectStore store;
    private final Path spool;
    private final java.util.function.UnaryOperator<JsonNode> values;
    private final int segmentEvents;
    private final int maxAttempts;
    private final ReentrantLock lock = new ReentrantLock(true);
    private final Set<String> pendingUploads = new LinkedHashSet<>();
    private final Consumer<Draft> onAppend;
    // volatile so that length() and pendingSegments() (read by metrics scrapes) never wait behind an S3 upload
    private volatile long lastSeq;
    private volatile int pendingCount;
    private String lastHash = GENESIS;

    public static final String EVENTS = PREFIX + "events/";

    public Journal(ObjectStore store, Path spool, int segmentEvents) {
        this(store, spool, segmentEvents, d -> { });
    }

    /** As above; {@code onAppend} is told of every event once it is durable in the spool (metrics count them). */
    public Journal(ObjectStore store, Path spool, int segmentEvents, Consumer<Draft> onAppend) {
        this(store, spool, segmentEvents, onAppend, v -> v);
    }

    /**
     * As above; {@code values} rewrites each event's entity id and old/new values before they are hashed and
     * written (the daemon passes its Redactor, so no private value is at rest in the journal, issue 25).
     */
    public Journal(ObjectStore store, Path spool, int segmentEvents, Consumer<Draft> onAppend,
                   java.util.function.UnaryOperator<JsonNode> values) {
        this(store, spool, segmentEvents, onAppend, values, 20);
    }

    /** As above; {@code maxAttempts} bounds the creates one append tries when other writers keep winning. */
    public Journal(ObjectStore store, Path spool, int segmentEvents, Consumer<Draft> onAppend,
                   java.util.function.UnaryOperator<JsonNode> values, int maxAttempts) {
        this.maxAttempts = Math.max(1, maxAttempts);
        this.values = values;
        this.store = store;
        this.onAppend = onAppend;
        this.spool = spool;
        this.segmentEvents = Math.max(1, segmentEvents);
        try {
            Files.createDirectories(spool);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        recover();
    }

    public static String eventKey(long seq) {
        return String.format("%s%012d.json", EVENTS, seq);
    }

    public static String segmentName(long firstSeq) {
        return String.format("seg-%012d.jsonl", firstSeq);
    }

    public long lastSeq() {
        lock.lock();
        try {
            return lastSeq;
        } finally {
            lock.unlock();
        }
    }

    /** Events in the chain, without taking the writer lock (an append may be uploading to S3). */
    public long length() {
        return lastSeq;
    }

    /** Segments written to the spool but not yet shipped to S3 (0 when S3 has everything). */
    public int pendingSegments() {
        return pendingCount;
    }

    /**
     * Appends one event and returns it as stored: created at the next free seq in S3, chained to the event
     * before it (whoever wrote that one). 503 {@code journal_contended} after {@code maxAttempts} lost creates.
     */
    public ObjectNode append(Draft d) {
        lock.lock();
        try {
            ship();
            for (int attempt = 1; ; attempt++) {
                long seq = lastSeq + 1;
                ObjectNode e = build(d, seq, lastHash);
                String hash = e.get("hash").asText();
                byte[] bytes = MAPPER.writeValueAsBytes(e);
                if (store.putIfAbsent(eventKey(seq), bytes, "application/json")) {
                    lastSeq = seq;
                    lastHash = hash;
                    onAppend.accept(d);
                    return e;
                }
                catchUp();
                if (attempt >= maxAttempts) {
                    throw com.lakehouse.contracts.error.ApiException.unavailable("journal_contended",
                            "the journal append lost " + attempt + " times to other writers; try again");
                }
            }
        } catch (IOException ex) {
            throw new UncheckedIOException("journal append failed: " + ex.getMessage(), ex);
        } finally {
            lock.unlock();
        }
    }

    private ObjectNode build(Draft d, long seq, String prevHash) {
        ObjectNode e = JsonNodeFactory.instance.objectNode();
        e.put("event_id", UUID.randomUUID().toString());
        e.put("seq", seq);
        e.put("timestamp", Instant.now().toString());
        e.put("entity_type", d.entityType());
        e.set("entity_id", values.apply(d.entityId() == null ? e.nullNode() : e.textNode(d.entityId())));
        e.put("field", d.field());
        e.put("action", d.action());
        e.set("old_value", d.oldValue() == null ? e.nullNode() : values.apply(com.lakehouse.contracts.json.Json.mapper().valueToTree(d.oldValue())));
        e.set("new_value", d.newValue() == null ? e.nullNode() : values.apply(com.lakehouse.contracts.json.Json.mapper().valueToTree(d.newValue())));
        e.put("actor", d.actor());
        e.put("source", d.source());
        e.put("request_id", d.requestId());
        e.put("prev_hash", prevHash);
        e.put("hash", hashOf(e));
        return e;
    }

    /** Moves the tail forward over events other writers created (probing the next seq until it is missing). */
    private void catchUp() {
        while (true) {
            Optional<byte[]> next = store.get(eventKey(lastSeq + 1));
            if (next.isEmpty()) {
                return;
            }
            try {
                JsonNode n = MAPPER.readTree(next.get());
                lastSeq = lastSeq + 1;
                lastHash = n.path("hash").asText();
            } catch (IOException ex) {
                throw new UncheckedIOException("unreadable journal event " + (lastSeq + 1), ex);
            }
        }
    }

    /** Uploads every pending segment; failures stay pending (logged) and are retried on the next call. */
    private void ship() {
        try {
            for (var it = pendingUploads.iterator(); it.hasNext(); ) {
                String seg = it.next();
                try {
                    store.putFile(PREFIX + seg, spool.resolve(seg), "application/x-ndjson");
                    it.remove();
                } catch (RuntimeException ex) {
                    LOG.warnf("journal segment %s not shipped yet (kept in the spool): %s", seg, ex.getMessage());
                    return;
                }
            }
        } finally {
            pendingCount = pendingUploads.size();
        }
    }

    /** Every event in S3, in segment order; unparsable lines are skipped (verify reports them). */
    public List<JsonNode> events() {
        lock.lock();
        try {
            ship();
        } finally {
            lock.unlock();
        }
        List<JsonNode> out = new ArrayList<>();
        for (Stored st : stored()) {
            try {
                out.add(MAPPER.readTree(st.line()));
            } catch (IOException ignored) {
                // verify() names such a line as the first broken event
            }
        }
        return out;
    }

    /** Walks the chain in S3: seq contiguous from 1, prev_hash links, and each hash recomputed. */
    public Verification verify() {
        lock.lock();
        try {
            ship();
        } finally {
            lock.unlock();
        }
        long expected = 1;
        String prev = GENESIS;
        for (Stored st : stored()) {
            String key = st.key();
            String line = st.line();
            {
                ObjectNode e;
                try {
                    JsonNode n = MAPPER.readTree(line);
                    if (!(n instanceof ObjectNode o)) {
                        return broken(expected, "event is not a JSON object in " + key);
                    }
                    e = o;
                } catch (IOException ex) {
                    return broken(expected, "unparsable event line in " + key);
                }
                long seq = e.path("seq").asLong(-1);
                if (seq != expected) {
                    return broken(expected, "expected seq " + expected + " but found " + seq + " in " + key);
                }
                if (!prev.equals(e.path("prev_hash").asText())) {
                    return broken(seq, "prev_hash does not match the hash of event " + (seq - 1));
                }
                String stored = e.path("hash").asText();
                ObjectNode copy = e.deepCopy();
                copy.remove("hash");
                if (!hashOf(copy).equals(stored)) {
                    return broken(seq, "hash mismatch: the event's content was changed after it was written");
                }
                prev = stored;
                expected++;
            }
        }
        return new Verification(true, expected - 1, null, null);
    }

    private static Verification broken(long seq, String reason) {
        return new Verification(false, seq - 1, seq, reason);
    }

    private List<String> segmentKeys() {
        return store.list(PREFIX).stream().filter(Journal::isLegacySegment).sorted().toList();
    }

    private static boolean isLegacySegment(String key) {
        return key.startsWith(PREFIX + "seg-") && key.endsWith(".jsonl");
    }

    /** One stored event line and the object it came from. */
    private record Stored(String key, String line) {
    }

    /** Every stored event line in chain order: the legacy segments, then the per-event objects by seq. */
    private List<Stored> stored() {
        List<String> keys = store.list(PREFIX);
        List<Stored> out = new ArrayList<>();
        for (String key : keys.stream().filter(Journal::isLegacySegment).sorted().toList()) {
            for (String line : lines(store.get(key).orElse(new byte[0]))) {
                out.add(new Stored(key, line));
            }
        }
        for (String key : keys.stream().filter(k -> k.startsWith(EVENTS) && k.endsWith(".json")).sorted().toList()) {
            store.get(key).ifPresent(b -> out.add(new Stored(key, new String(b, StandardCharsets.UTF_8).strip())));
        }
        return out;
    }

    private static List<String> lines(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
    }

    /** sha256 hex over the canonical JSON (keys sorted at every level, compact) of {@code event}. */
    public static String hashOf(JsonNode event) {
        try {
            byte[] canon = MAPPER.writeValueAsBytes(canonical(event));
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canon));
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode canonical(JsonNode node) {
        if (node instanceof ObjectNode o) {
            Map<String, JsonNode> sorted = new TreeMap<>();
            o.fields().forEachRemaining(f -> sorted.put(f.getKey(), canonical(f.getValue())));
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            sorted.forEach(out::set);
            return out;
        }
        if (node instanceof ArrayNode a) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            a.forEach(x -> out.add(canonical(x)));
            return out;
        }
        return node;
    }

    /** Continues the chain from the later of spool and S3, and brings the other side up to date. */
    private void recover() {
        List<String> events = store.list(EVENTS).stream().filter(k -> k.endsWith(".json")).sorted().toList();
        if (!events.isEmpty()) {
            String newest = events.getLast();
            long seq = Long.parseLong(newest.substring(EVENTS.length(), newest.length() - ".json".length()));
            byte[] bytes = store.get(newest).orElseThrow(() -> new IllegalStateException("journal event vanished: " + newest));
            try {
                lastHash = MAPPER.readTree(bytes).path("hash").asText();
            } catch (IOException e) {
                throw new UncheckedIOException("unreadable journal event " + newest, e);
            }
            lastSeq = seq;
            catchUp();
            LOG.infof("journal continues after seq %d (per-event objects)", lastSeq);
            return;
        }
        recoverLegacy();
        catchUp();
    }

    /** The old layout: continues from the later of spool and S3 segments, shipping pending ones. */
    private void recoverLegacy() {
        List<String> remote = segmentKeys().stream().map(k -> k.substring(PREFIX.length())).toList();
        List<String> local;
        try (Stream<Path> s = Files.list(spool)) {
            local = s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("seg-") && n.endsWith(".jsonl"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Optional<Tail> remoteTail = remote.isEmpty() ? Optional.empty()
                : tail(remote.getLast(), lines(store.get(PREFIX + remote.getLast()).orElse(new byte[0])));
        Optional<Tail> localTail = local.isEmpty() ? Optional.empty()
                : tail(local.getLast(), readLocal(local.getLast()));
        long r = remoteTail.map(Tail::seq).orElse(0L);
        long l = localTail.map(Tail::seq).orElse(0L);
        Optional<Tail> chosen;
        if (l > r) {
            chosen = localTail;
            for (String seg : local) {
                if (remote.isEmpty() || seg.compareTo(remote.getLast()) >= 0) {
                    pendingUploads.add(seg);
                }
            }
            ship();
        } else {
            chosen = remoteTail;
            if (remoteTail.isPresent()) {
                try {
                    Files.write(spool.resolve(remoteTail.get().segment()),
                            store.get(PREFIX + remoteTail.get().segment()).orElse(new byte[0]));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        chosen.ifPresent(t -> {
            lastSeq = t.seq();
            lastHash = t.hash();
        });
        LOG.infof("journal continues after seq %d (legacy segments: %s)", lastSeq, remote.isEmpty() ? "none" : remote.getLast());
    }

    private List<String> readLocal(String seg) {
        try {
            return lines(Files.readAllBytes(spool.resolve(seg)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Tail(String segment, long seq, String hash, int count) {
    }

    private static Optional<Tail> tail(String segment, List<String> lines) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            try {
                JsonNode n = MAPPER.readTree(lines.get(i));
                if (n.hasNonNull("seq") && n.hasNonNull("hash")) {
                    return Optional.of(new Tail(segment, n.get("seq").asLong(), n.get("hash").asText(), lines.size()));
                }
            } catch (IOException ignored) {
                // a torn last line (crash mid-write) is skipped; the previous event is the tail
            }
        }
        return Optional.empty();
    }
}

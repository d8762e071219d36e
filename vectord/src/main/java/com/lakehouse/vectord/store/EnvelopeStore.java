package com.lakehouse.vectord.store;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.lakehouse.contracts.json.Json;
import com.lakehouse.contracts.s3.ObjectStore;
import com.lakehouse.vectord.service.Distance;
import com.lakehouse.vectord.service.Entry;
import com.lakehouse.vectord.service.GraphSnapshot;
import com.lakehouse.vectord.service.IndexParams;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Generations of an index in S3 (DESIGN "Storage layout"):
 * {@code vectors/<index>/v2/<gen>/manifest.json} + {@code items-<nnnnn>.bin} payloads, then
 * {@code vectors/<index>/current.json} written last. Loading verifies the envelope version, every payload's size
 * and sha256 and the id set; a refused generation is reported and the next older one is tried.
 */
public final class EnvelopeStore {
    private static final Logger LOG = Logger.getLogger(EnvelopeStore.class);
    private static final Pattern GEN = Pattern.compile("vectors/[^/]+/v2/(\\d+)/manifest\\.json");

    /** A generation could not be used: unknown version, checksum or size mismatch, inconsistent contents. */
    public static class RefusedException extends IOException {
        public RefusedException(String message) {
            super(message);
        }
    }

    /**
     * What a load produced: the parameters, items, generation and WAL position, warnings on refusals, and the
     * stored graph (null when the generation has none or it was not usable).
     */
    public record Loaded(IndexParams params, long generation, long walSeq, List<Entry> items, Instant createdAt,
                         int envelopeVersion, List<String> warnings, GraphSnapshot graph) {
    }

    /** What a save wrote. */
    public record Saved(long generation, long payloadBytes, long millis) {
    }

    /**
     * A generation could not be claimed because another writer (another vectord's data directory) has written
     * this index since this one last did: two vectord instances share one key prefix. Nothing is overwritten;
     * this instance's acknowledged writes stay in its WAL.
     */
    public static class ConcurrentWriterException extends IllegalStateException {
        public ConcurrentWriterException(String message) {
            super(message);
        }
    }

    private final ObjectStore store;
    private final Path tmp;
    private final String writerId;

    public EnvelopeStore(ObjectStore store, Path tmpDir) {
        this(store, tmpDir, "writer-" + java.util.UUID.randomUUID());
    }

    /**
     * @param writerId who this writer is, stable across restarts (vectord uses one kept in its data directory,
     *                 the owner of its WAL), so a half-written generation of its own earlier run is not taken for
     *                 another writer's.
     */
    public EnvelopeStore(ObjectStore store, Path tmpDir, String writerId) {
        this.store = store;
        this.tmp = tmpDir;
        this.writerId = writerId;
        try {
            Files.createDirectories(tmpDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String currentKey(String name) {
        return "vectors/" + name + "/current.json";
    }

    public static String manifestKey(String name, long gen) {
        return "vectors/" + name + "/v2/" + gen + "/manifest.json";
    }

    /** Names of the indexes that have a current.json. */
    public List<String> listIndexes() {
        Set<String> names = new TreeSet<>();
        for (String key : store.list("vectors/")) {
            String[] parts = key.split("/");
            if (parts.length == 3 && parts[2].equals("current.json")) {
                names.add(parts[1]);
            }
        }
        return new ArrayList<>(names);
    }

    public boolean exists(String name) {
        return store.exists(currentKey(name));
    }

    /** v2 generations present for the index (manifest written), ascending. */
    public List<Long> generations(String name) {
        TreeSet<Long> gens = new TreeSet<>();
        for (String key : store.list("vectors/" + name + "/v2/")) {
            Matcher m = GEN.matcher(key);
            if (m.matches()) {
                gens.add(Long.parseLong(m.group(1)));
            }
        }
        return new ArrayList<>(gens);
    }

    public static String claimKey(String name, long gen) {
        return "vectors/" + name + "/v2/" + gen + "/claim.json";
    }

    private record Claim(String writer, Instant at) {
    }

    /**
     * Claims the next generation of the index for this writer, fencing off a second writer on the same prefix
     * with nothing but S3's atomic create-if-absent: every generation above {@code lastKnown} (the one this
     * writer loaded or last saved) must have been claimed by this writer, else another one wrote the index since;
     * then {@code claim.json} of the next number is created with {@code If-None-Match: *}, which exactly one of
     * two racing writers wins. Generations without a claim (written by releases before claims) count as this
     * writer's.
     *
     * @throws ConcurrentWriterException when another writer has claimed a generation, or wins this one
     */
    public long claimGeneration(String name, long lastKnown) {
        long max = lastKnown;
        TreeSet<Long> above = new TreeSet<>();
        for (String key : store.list("vectors/" + name + "/v2/")) {
            String[] parts = key.split("/");
            if (parts.length >= 4 && parts[3].matches("\\d+")) {
                long g = Long.parseLong(parts[3]);
                max = Math.max(max, g);
                if (g > lastKnown && key.endsWith("/claim.json")) {
                    above.add(g);
                }
            }
        }
        for (long g : above) {
            String owner = claimOwner(name, g);
            if (owner != null && !owner.equals(writerId)) {
                throw new ConcurrentWriterException("index " + name + ": generation " + g + " was written by "
                        + owner + " after this vectord's generation " + lastKnown + "; two vectord instances share"
                        + " one S3 prefix (give each shard its own lakehouse.s3.prefix)");
            }
        }
        long next = max + 1;
        byte[] claim;
        try {
            claim = Json.mapper().writeValueAsBytes(new Claim(writerId, Instant.now()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!store.putIfAbsent(claimKey(name, next), claim, "application/json")) {
            throw new ConcurrentWriterException("index " + name + ": generation " + next + " was claimed by "
                    + claimOwner(name, next) + " at the same time; two vectord instances share one S3 prefix");
        }
        return next;
    }

    private String claimOwner(String name, long gen) {
        return store.get(claimKey(name, gen)).map(bytes -> {
            try {
                return Json.mapper().readValue(bytes, Claim.class).writer();
            } catch (IOException e) {
                return "an unreadable claim";
            }
        }).orElse(null);
    }

    /** A generation number higher than any written, refused or half-written one. */
    public long nextGeneration(String name, long atLeast) {
        long max = atLeast - 1;
        for (String key : store.list("vectors/" + name + "/v2/")) {
            String[] parts = key.split("/");
            if (parts.length >= 4 && parts[3].matches("\\d+")) {
                max = Math.max(max, Long.parseLong(parts[3]));
            }
        }
        return max + 1;
    }

    /**
     * Writes a full generation (item payloads, the graph payload when given, manifest) and then switches
     * current.json to it.
     */
    public Saved save(IndexParams p, long gen, long walSeq, List<Entry> entries, GraphSnapshot graph, int payloadItems,
                      Instant createdAt) {
        long start = System.nanoTime();
        String base = "vectors/" + p.name() + "/v2/" + gen + "/";
        List<Envelope.Payload> payloads = new ArrayList<>();
        long total = 0;
        int per = Math.max(1, payloadItems);
        int chunks = Math.max(1, (entries.size() + per - 1) / per);
        Envelope.Payload graphPayload = null;
        try {
            for (int c = 0; c < chunks; c++) {
                List<Entry> part = entries.subList(Math.min(entries.size(), c * per), Math.min(entries.size(), (c + 1) * per));
                Envelope.Payload written = upload(base + String.format("items-%05d.bin", c), part.size(),
                        out -> PayloadCodec.write(out, p.dimension(), part));
                payloads.add(written);
                total += written.bytes();
            }
            if (graph != null) {
                graphPayload = upload(base + "graph.bin", graph.nodeCount(), out -> GraphCodec.write(out, p.dimension(), graph));
                total += graphPayload.bytes();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write generation " + gen + " of " + p.name(), e);
        }
        List<String> ids = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            ids.add(e.id());
        }
        Instant now = Instant.now();
        Envelope.Manifest manifest = new Envelope.Manifest(2, p.name(), p.dimension(), p.distance().wire(), p.m(),
                p.efConstruction(), p.efSearch(), gen, walSeq, entries.size(), ids, PayloadCodec.FORMAT,
                PayloadCodec.VERSION, payloads, createdAt, now, graphPayload,
                graphPayload == null ? null : GraphCodec.FORMAT, graphPayload == null ? null : GraphCodec.VERSION);
        try {
            store.put(base + "manifest.json", Json.mapper().writeValueAsBytes(manifest), "application/json");
            store.put(currentKey(p.name()), Json.mapper().writeValueAsBytes(
                    new Envelope.Current(2, gen, base + "manifest.json", now)), "application/json");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Saved(gen, total, (System.nanoTime() - start) / 1_000_000);
    }

    private interface PayloadWriter {
        void write(OutputStream out) throws IOException;
    }

    /** Writes a payload to a temp file (hashing it), uploads it (multipart when big) and describes it. */
    private Envelope.Payload upload(String key, long items, PayloadWriter writer) throws IOException {
        Path file = Files.createTempFile(tmp, "payload-", ".bin");
        try {
            MessageDigest sha = sha256();
            try (OutputStream out = new DigestOutputStream(Files.newOutputStream(file), sha)) {
                writer.write(out);
            }
            long bytes = Files.size(file);
            store.putFile(key, file, "application/octet-stream");
            return new Envelope.Payload(key, bytes, HexFormat.of().formatHex(sha.digest()), items);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private interface PayloadReader {
        void read(InputStream in) throws IOException;
    }

    /** Downloads a payload to a temp file, refuses it on a size or sha256 mismatch, then decodes it. */
    private void download(Envelope.Payload p, PayloadReader reader) throws IOException {
        Path file = Files.createTempFile(tmp, "load-", ".bin");
        try {
            MessageDigest sha = sha256();
            Optional<InputStream> in = store.open(p.key());
            if (in.isEmpty()) {
                throw new RefusedException("payload " + p.key() + " is missing");
            }
            long bytes;
            try (InputStream s = new DigestInputStream(in.get(), sha)) {
                bytes = Files.copy(s, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            String actual = HexFormat.of().formatHex(sha.digest());
            if (bytes != p.bytes()) {
                throw new RefusedException("payload " + p.key() + " has " + bytes + " bytes, manifest says " + p.bytes());
            }
            if (!actual.equalsIgnoreCase(p.sha256())) {
                throw new RefusedException("payload " + p.key() + " sha256 mismatch: manifest says " + p.sha256()
                        + ", object has " + actual);
            }
            try (InputStream s = Files.newInputStream(file)) {
                reader.read(s);
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /**
     * Loads the live generation. When current.json's generation is refused (unknown version, checksum or size
     * mismatch, missing payload), older v2 generations are tried newest first; the refusals are in the
     * warnings. Empty when the index has no current.json.
     */
    public Optional<Loaded> load(String name) throws IOException {
        Optional<byte[]> cur = store.get(currentKey(name));
        if (cur.isEmpty()) {
            return Optional.empty();
        }
        List<String> warnings = new ArrayList<>();
        JsonNode current = Json.mapper().readTree(cur.get());
        int version = current.path("envelope_version").asInt(1);
        Long pointed = null;
        if (version == 1) {
            try {
                return Optional.of(loadV1(name, current.path("manifest").asText()));
            } catch (IOException e) {
                throw new RefusedException("v1 envelope of " + name + " refused: " + e.getMessage());
            }
        } else if (version == 2 && current.hasNonNull("generation")) {
            pointed = current.get("generation").asLong();
            try {
                return Optional.of(loadV2(name, pointed, warnings));
            } catch (IOException | RuntimeException e) {
                String w = "generation " + pointed + " of " + name + " refused: " + e.getMessage();
                LOG.error(w + "; falling back to the previous generation");
                warnings.add(w);
            }
        } else {
            String w = "current.json of " + name + " has unknown envelope_version " + version + "; refused";
            LOG.error(w);
            warnings.add(w);
        }
        List<Long> gens = generations(name);
        for (int i = gens.size() - 1; i >= 0; i--) {
            long g = gens.get(i);
            if (pointed != null && g >= pointed) {
                continue;
            }
            try {
                Loaded l = loadV2(name, g, warnings);
                LOG.warnf("index %s serves generation %d after refusals: %s", name, g, warnings);
                return Optional.of(l);
            } catch (IOException | RuntimeException e) {
                String w = "generation " + g + " of " + name + " refused: " + e.getMessage();
                LOG.error(w);
                warnings.add(w);
            }
        }
        throw new RefusedException("no loadable generation of " + name + ": " + String.join("; ", warnings));
    }

    /** Loads one v2 generation, verifying everything. */
    public Loaded loadV2(String name, long gen, List<String> warnings) throws IOException {
        String key = manifestKey(name, gen);
        byte[] raw = store.get(key).orElseThrow(() -> new RefusedException("manifest " + key + " is missing"));
        JsonNode node = Json.mapper().readTree(raw);
        int version = node.path("envelope_version").asInt(-1);
        if (version != 2) {
            throw new RefusedException("unknown envelope_version " + version + " in " + key + " (this build reads 1 and 2)");
        }
        Envelope.Manifest m = Json.mapper().treeToValue(node, Envelope.Manifest.class);
        if (!PayloadCodec.FORMAT.equals(m.payloadFormat())) {
            throw new RefusedException("unknown payload format " + m.payloadFormat() + " in " + key);
        }
        Distance distance = Distance.parse(m.distance());
        if (distance == null) {
            throw new RefusedException("unknown distance " + m.distance() + " in " + key);
        }
        List<Entry> items = new ArrayList<>((int) m.count());
        for (Envelope.Payload p : m.payloads()) {
            download(p, in -> items.addAll(PayloadCodec.read(in, m.dimension())));
        }
        if (items.size() != m.count()) {
            throw new RefusedException("generation holds " + items.size() + " items, manifest says " + m.count());
        }
        if (m.ids() != null) {
            Set<String> declared = new HashSet<>(m.ids());
            for (Entry e : items) {
                if (!declared.contains(e.id())) {
                    throw new RefusedException("payload item " + e.id() + " is not in the manifest's ids");
                }
            }
            if (declared.size() != items.size()) {
                throw new RefusedException("manifest ids (" + declared.size() + ") and payload items (" + items.size() + ") differ");
            }
        }
        IndexParams params = new IndexParams(name, m.dimension(), distance, m.m(), m.efConstruction(), m.efSearch());
        GraphSnapshot graph = loadGraph(name, gen, m, warnings);
        return new Loaded(params, gen, m.walSeq(), items, m.createdAt() == null ? m.writtenAt() : m.createdAt(), 2,
                List.copyOf(warnings), graph);
    }

    /**
     * The generation's graph payload, or null when it has none or it cannot be used: the graph is derived from
     * the (already verified) items, so a damaged or unknown graph is a warning and a rebuild, not a refusal.
     */
    private GraphSnapshot loadGraph(String name, long gen, Envelope.Manifest m, List<String> warnings) {
        if (m.graph() == null) {
            return null;
        }
        String why;
        if (!GraphCodec.FORMAT.equals(m.graphFormat()) || m.graphFormatVersion() == null
                || m.graphFormatVersion() != GraphCodec.VERSION) {
            why = "graph format " + m.graphFormat() + " v" + m.graphFormatVersion() + " is not one this build reads ("
                    + GraphCodec.FORMAT + " v" + GraphCodec.VERSION + ")";
        } else {
            try {
                GraphSnapshot[] out = new GraphSnapshot[1];
                download(m.graph(), in -> out[0] = GraphCodec.read(in, m.dimension()));
                return out[0];
            } catch (IOException | RuntimeException e) {
                why = e.getMessage();
            }
        }
        String w = "graph of generation " + gen + " of " + name + " not used (" + why + "); it is rebuilt from the items";
        LOG.warn(w);
        warnings.add(w);
        return null;
    }

    private Loaded loadV1(String name, String manifestKey) throws IOException {
        byte[] raw = store.get(manifestKey).orElseThrow(() -> new RefusedException("v1 manifest " + manifestKey + " is missing"));
        Envelope.ManifestV1 m = Json.mapper().readValue(raw, Envelope.ManifestV1.class);
        if (m.envelopeVersion() != null && m.envelopeVersion() != 1) {
            throw new RefusedException("unknown envelope_version " + m.envelopeVersion() + " in " + manifestKey);
        }
        Distance distance = Distance.parse(m.distance());
        if (distance == null) {
            throw new RefusedException("unknown distance " + m.distance());
        }
        byte[] md = store.get(m.metadata()).orElseThrow(() -> new RefusedException("v1 metadata " + m.metadata() + " is missing"));
        LinkedHashMap<String, Map<String, Object>> byId = Json.mapper().readValue(md, new TypeReference<>() {
        });
        byte[] vec = store.get(m.vectors()).orElseThrow(() -> new RefusedException("v1 vectors " + m.vectors() + " is missing"));
        long expected = (long) m.count() * m.dimension() * 4;
        if (byId.size() != m.count() || vec.length != expected) {
            throw new RefusedException("v1 envelope inconsistent: " + byId.size() + " ids, " + vec.length
                    + " vector bytes, manifest count " + m.count());
        }
        ByteBuffer bb = ByteBuffer.wrap(vec).order(ByteOrder.LITTLE_ENDIAN);
        List<Entry> items = new ArrayList<>(byId.size());
        for (Map.Entry<String, Map<String, Object>> e : byId.entrySet()) {
            float[] v = new float[m.dimension()];
            bb.asFloatBuffer().get(v);
            bb.position(bb.position() + v.length * 4);
            items.add(new Entry(e.getKey(), v, e.getValue()));
        }
        IndexParams params = new IndexParams(name, m.dimension(), distance, m.m() == null ? 16 : m.m(),
                m.efConstruction() == null ? 200 : m.efConstruction(), m.efSearch() == null ? 100 : m.efSearch());
        return new Loaded(params, 0, 0, items, m.createdAt(), 1, List.of(), null);
    }

    /** Deletes generations older than the newest {@code keep} (never the live one). */
    public void prune(String name, long liveGen, int keep) {
        List<Long> gens = generations(name);
        int drop = gens.size() - Math.max(2, keep);
        for (int i = 0; i < drop; i++) {
            long g = gens.get(i);
            if (g >= liveGen) {
                break;
            }
            for (String key : store.list("vectors/" + name + "/v2/" + g + "/")) {
                store.delete(key);
            }
        }
    }

    /** Removes the index: current.json first (so it is gone even if the rest fails), then every object. */
    public void delete(String name) {
        store.delete(currentKey(name));
        for (String key : store.list("vectors/" + name + "/")) {
            store.delete(key);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

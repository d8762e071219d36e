package com.lakehouse.vectord.store;

import com.fasterxml.jackson.core.type.TypeReference;
import com.lakehouse.contracts.json.Json;
import com.lakehouse.vectord.service.Entry;
import org.jboss.logging.Logger;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * One index's write-ahead log: segment files {@code wal-<first seq, 20 digits>.log} in its own directory.
 * A record is framed as {@code [int length][int crc32c(payload)][payload]}; the payload is
 * {@code [long seq][byte type][body]}. {@link #append} returns only after {@code FileChannel.force}, so a record
 * acknowledged to a client survives {@code kill -9} and power loss. Replay stops at a torn or corrupt frame
 * (a crash mid-append; that record was never acknowledged) and truncates it away.
 *
 * <p>Bodies (all integers big-endian): ADD = {@code [int n] n x ([int idLen][id utf8][int dim][dim x float32]
 * [int mdLen, -1 = none][metadata JSON utf8])}; DELETE = {@code [int n] n x ([int idLen][id utf8])}.
 * Not thread-safe: the caller holds the index's write lock.
 */
public final class Wal implements Closeable {
    private static final Logger LOG = Logger.getLogger(Wal.class);
    public static final byte ADD = 1;
    public static final byte DELETE = 2;
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    /** A replayed record: adds (resolved entries) or deletes. */
    public record Record(long seq, byte type, List<Entry> adds, List<String> deletes) {
    }

    private final Path dir;
    private FileChannel current;
    private long lastSeq;

    public Wal(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path dir() {
        return dir;
    }

    public long lastSeq() {
        return lastSeq;
    }

    /** Segment files in sequence order. */
    public List<Path> segments() {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches("wal-\\d{20}\\.log")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long startSeq(Path segment) {
        String n = segment.getFileName().toString();
        return Long.parseLong(n.substring(4, 24));
    }

    /**
     * Feeds every intact record with seq > afterSeq to the consumer in order, truncates a torn tail, and returns
     * how many were fed. Afterwards {@link #lastSeq()} is the highest seq seen (at least afterSeq).
     */
    public int replay(long afterSeq, Consumer<Record> consumer) {
        lastSeq = Math.max(lastSeq, afterSeq);
        int fed = 0;
        List<Path> segs = segments();
        for (int i = 0; i < segs.size(); i++) {
            Path seg = segs.get(i);
            try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                long size = ch.size();
                long pos = 0;
                ByteBuffer head = ByteBuffer.allocate(8);
                while (pos < size) {
                    head.clear();
                    if (size - pos < 8 || readFully(ch, head, pos) < 8) {
                        break;
                    }
                    head.flip();
                    int len = head.getInt();
                    int crc = head.getInt();
                    if (len < 9 || pos + 8 + len > size) {
                        break;
                    }
                    ByteBuffer body = ByteBuffer.allocate(len);
                    readFully(ch, body, pos + 8);
                    CRC32C c = new CRC32C();
                    c.update(body.array(), 0, len);
                    if ((int) c.getValue() != crc) {
                        break;
                    }
                    body.flip();
                    Record r = decode(body);
                    if (r.seq() > afterSeq) {
                        consumer.accept(r);
                        fed++;
                    }
                    lastSeq = Math.max(lastSeq, r.seq());
                    pos += 8 + len;
                }
                if (pos < size) {
                    LOG.warnf("WAL %s: %d bytes after offset %d are torn or corrupt; truncating (never acknowledged)",
                            seg, size - pos, pos);
                    ch.truncate(pos);
                    ch.force(true);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot replay WAL segment " + seg, e);
            }
        }
        return fed;
    }

    private static int readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        int total = 0;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos + total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    /** Opens the newest segment for appending (or a new one). Call after {@link #replay}. */
    public void openForAppend() {
        List<Path> segs = segments();
        try {
            if (segs.isEmpty()) {
                newSegment();
            } else {
                current = FileChannel.open(segs.get(segs.size() - 1), StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void newSegment() throws IOException {
        Path seg = dir.resolve(String.format("wal-%020d.log", lastSeq + 1));
        current = FileChannel.open(seg, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        current.force(true);
        fsyncDir();
    }

    private void fsyncDir() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // Some file systems cannot fsync a directory; the segment's own force still holds its bytes.
        }
    }

    /** Appends an ADD record durably; returns its seq. */
    public long appendAdd(List<Entry> entries) {
        return append(ADD, out -> {
            out.writeInt(entries.size());
            for (Entry e : entries) {
                writeString(out, e.id());
                out.writeInt(e.vector().length);
                ByteBuffer vb = ByteBuffer.allocate(e.vector().length * 4);
                vb.asFloatBuffer().put(e.vector());
                out.write(vb.array());
                if (e.metadata() == null) {
                    out.writeInt(-1);
                } else {
                    byte[] md = Json.mapper().writeValueAsBytes(e.metadata());
                    out.writeInt(md.length);
                    out.write(md);
                }
            }
        });
    }

    /** Appends a DELETE record durably; returns its seq. */
    public long appendDelete(List<String> ids) {
        return append(DELETE, out -> {
            out.writeInt(ids.size());
            for (String id : ids) {
                writeString(out, id);
            }
        });
    }

    @FunctionalInterface
    private interface BodyWriter {
        void write(DataOutputStream out) throws IOException;
    }

    private long append(byte type, BodyWriter body) {
        if (current == null) {
            openForAppend();
        }
        long seq = lastSeq + 1;
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(0);
            out.writeInt(0);
            out.writeLong(seq);
            out.writeByte(type);
            body.write(out);
            out.flush();
            byte[] frame = bytes.toByteArray();
            int len = frame.length - 8;
            CRC32C c = new CRC32C();
            c.update(frame, 8, len);
            ByteBuffer.wrap(frame).putInt(len).putInt((int) c.getValue());
            ByteBuffer buf = ByteBuffer.wrap(frame);
            long pos = current.size();
            while (buf.hasRemaining()) {
                current.write(buf);
            }
            try {
                current.force(false);
            } catch (IOException e) {
                current.truncate(pos);
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("WAL append failed in " + dir, e);
        }
        lastSeq = seq;
        return seq;
    }

    /** Starts a new segment so the records up to {@link #lastSeq()} can later be deleted as a whole. */
    public void rotate() {
        try {
            if (current != null) {
                if (current.size() == 0) {
                    return;
                }
                current.close();
            }
            newSegment();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes the segments whose records all have seq <= upTo (never the open one). */
    public void deleteUpTo(long upTo) {
        List<Path> segs = segments();
        for (int i = 0; i + 1 < segs.size(); i++) {
            long nextStart = startSeq(segs.get(i + 1));
            if (nextStart - 1 <= upTo) {
                try {
                    Files.deleteIfExists(segs.get(i));
                } catch (IOException e) {
                    LOG.warnf("cannot delete WAL segment %s: %s", segs.get(i), e.getMessage());
                }
            }
        }
    }

    @Override
    public void close() {
        if (current != null) {
            try {
                current.close();
            } catch (IOException ignored) {
                // closing after force: nothing is lost
            }
            current = null;
        }
    }

    /** Closes and removes the whole directory (index dropped). */
    public void destroy() {
        close();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                Files.deleteIfExists(p);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(ByteBuffer in) {
        byte[] b = new byte[in.getInt()];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static Record decode(ByteBuffer in) throws IOException {
        long seq = in.getLong();
        byte type = in.get();
        int n = in.getInt();
        if (type == ADD) {
            List<Entry> adds = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                String id = readString(in);
                float[] v = new float[in.getInt()];
                in.asFloatBuffer().get(v);
                in.position(in.position() + v.length * 4);
                int mdLen = in.getInt();
                Map<String, Object> md = null;
                if (mdLen >= 0) {
                    md = Json.mapper().readValue(in.array(), in.position(), mdLen, MAP);
                    in.position(in.position() + mdLen);
                }
                adds.add(new Entry(id, v, md));
            }
            return new Record(seq, type, adds, List.of());
        }
        if (type == DELETE) {
            List<String> ids = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                ids.add(readString(in));
            }
            return new Record(seq, type, List.of(), ids);
        }
        throw new IOException("unknown WAL record type " + type + " at seq " + seq);
    }
}

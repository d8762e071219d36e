package com.lakehouse.observerd.store;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The local spool: accepted operations appended as JSONL lines to the active segment file (fsync'd when asked)
 * before the caller is answered. A segment is sealed by {@link #seal()} and then shipped and deleted by the
 * shipper. Segment names sort by creation time: {@code yyyyMMdd'T'HHmmssSSS'Z'-<instance>-<n>}.
 */
public final class Spool implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Spool.class);
    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final Path dir;
    private final boolean fsync;
    private final int maxEvents;
    private final long maxBytes;
    private final String instance = UUID.randomUUID().toString().substring(0, 8);
    private long counter;
    private FileChannel active;
    private String activeName;
    private String activeSegment;
    private long activeCount;
    private long activeBytes;

    public Spool(Path dir, boolean fsync, int maxEvents) {
        this(dir, fsync, maxEvents, Long.MAX_VALUE);
    }

    /**
     * {@code maxBytes}: a segment is sealed once it holds this many bytes, so that one segment is always small
     * enough to be read back whole (recovery and history paging stream them, but S3 uploads and listings stay
     * cheap too).
     */
    public Spool(Path dir, boolean fsync, int maxEvents, long maxBytes) {
        this.dir = dir;
        this.fsync = fsync;
        this.maxEvents = Math.max(1, maxEvents);
        this.maxBytes = Math.max(1, maxBytes);
    }

    public Path dir() {
        return dir;
    }

    private final Object forceLock = new Object();
    private volatile long written;
    private long forced;

    /**
     * Appends whole lines (each already ending in a newline) and returns once they are forced to disk. Group
     * commit: concurrent callers write under the spool's lock, then one fsync covers every write made before it.
     * Returns the position of the first line (the others follow it line by line in the same segment).
     */
    public OpsPosition append(List<byte[]> lines) throws IOException {
        if (lines.isEmpty()) {
            return null;
        }
        FileChannel channel;
        long mine;
        OpsPosition first;
        synchronized (this) {
            first = position();
            channel = write(lines);
            mine = ++written;
        }
        if (!fsync || channel == null) {
            return first;
        }
        synchronized (forceLock) {
            if (forced >= mine) {
                return first;
            }
            long upTo = written;
            try {
                channel.force(false);
            } catch (java.nio.channels.ClosedChannelException sealed) {
                // seal() forced this segment before closing it
            }
            forced = Math.max(forced, upTo);
        }
        return first;
    }

    /** Opens the active segment when there is none; the position the next line gets. Under the lock. */
    private OpsPosition position() throws IOException {
        if (active == null) {
            Files.createDirectories(dir);
            activeName = NAME.format(Instant.now()) + "-" + instance + "-" + String.format("%06d", ++counter);
            active = FileChannel.open(dir.resolve(activeName + ".jsonl"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            activeSegment = segmentId(activeName);
            activeCount = 0;
            activeBytes = 0;
        }
        return new OpsPosition(activeSegment, (int) activeCount);
    }

    /** Writes under the lock; returns the channel written to (null when the segment was sealed at once). */
    private FileChannel write(List<byte[]> lines) throws IOException {
        int size = 0;
        for (byte[] l : lines) {
            size += l.length;
        }
        ByteBuffer buf = ByteBuffer.allocate(size);
        for (byte[] l : lines) {
            buf.put(l);
        }
        buf.flip();
        while (buf.hasRemaining()) {
            active.write(buf);
        }
        FileChannel used = active;
        activeCount += lines.size();
        activeBytes += size;
        if (activeCount >= maxEvents || activeBytes >= maxBytes) {
            seal();
            return null;
        }
        return used;
    }

    /** Closes the active segment (if it holds anything) so the shipper may take it. */
    public synchronized void seal() {
        if (active == null) {
            return;
        }
        try {
            if (fsync) {
                active.force(false);
            }
            active.close();
        } catch (IOException e) {
            LOG.warnf("closing spool segment %s: %s", activeName, e.getMessage());
        }
        active = null;
        activeName = null;
        activeSegment = null;
    }

    /** Sealed segments (every spool file but the active one), oldest first. */
    public synchronized List<Path> sealed() {
        return segments(activeName);
    }

    /** Every segment file, active included, oldest first. */
    public synchronized List<Path> all() {
        return segments(null);
    }

    private List<Path> segments(String exclude) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> out = new ArrayList<>(s.filter(p -> p.getFileName().toString().endsWith(".jsonl"))
                    .filter(p -> exclude == null || !p.getFileName().toString().equals(exclude + ".jsonl"))
                    .sorted().toList());
            return out;
        } catch (IOException e) {
            LOG.warnf("listing spool %s: %s", dir, e.getMessage());
            return List.of();
        }
    }

    /** The segment name (file name without .jsonl). */
    public static String segmentName(Path file) {
        String n = file.getFileName().toString();
        return n.endsWith(".jsonl") ? n.substring(0, n.length() - 6) : n;
    }

    /** The segment id ({@link OpsPosition#segment()}) of a spool segment name. */
    public static String segmentId(String segment) {
        String key = objectKey(segment);
        return key.substring("observer/ops/".length(), key.length() - ".jsonl".length());
    }

    /** The local file of a segment name, if the spool still holds it. */
    public Path file(String segmentName) {
        return dir.resolve(segmentName + ".jsonl");
    }

    /** The S3 key of a segment: {@code observer/ops/yyyy/mm/dd/<segment>.jsonl}, the date from its name. */
    public static String objectKey(String segment) {
        String day = segment.length() >= 8 && segment.substring(0, 8).chars().allMatch(Character::isDigit)
                ? segment.substring(0, 4) + "/" + segment.substring(4, 6) + "/" + segment.substring(6, 8)
                : "0000/00/00";
        return "observer/ops/" + day + "/" + segment + ".jsonl";
    }

    @Override
    public synchronized void close() {
        seal();
    }
}

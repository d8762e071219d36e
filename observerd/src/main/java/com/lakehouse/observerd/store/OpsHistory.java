package com.lakehouse.observerd.store;

import org.jboss.logging.Logger;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The durable history of observed operations, read without holding it: the S3 segments of a window of days plus
 * the local spool's segments (not shipped yet, or shipped and not deleted yet), merged by segment id. Lines are
 * streamed one at a time, so reading any amount of history costs one line of memory.
 */
public final class OpsHistory {
    private static final Logger LOG = Logger.getLogger(OpsHistory.class);

    /** Sees one line of a segment; returns false to stop reading it. */
    @FunctionalInterface
    public interface LineVisitor {
        boolean line(int index, String line);
    }

    /** One segment of the history and where it can be read. */
    public record Segment(String id, boolean local) {
    }

    /** Which segments could be listed: S3 may be down, the spool still counts. */
    public record Listing(List<Segment> segments, boolean s3Reachable) {
    }

    private final Spool spool;
    private final OpsArchive archive;

    public OpsHistory(Spool spool, OpsArchive archive) {
        this.spool = spool;
        this.archive = archive;
    }

    /**
     * Every segment of the last {@code days} UTC days up to {@code today} in S3, plus every spool segment (of any
     * day: an unshipped segment is acknowledged data), oldest first. Keys that are not observerd segments are left out.
     */
    public Listing list(int days, LocalDate today) {
        TreeMap<String, Segment> byId = new TreeMap<>();
        boolean s3 = true;
        if (archive != null && days > 0) {
            try {
                for (String key : archive.segmentsSince(today.minusDays(days - 1L), today)) {
                    String id = OpsPosition.segmentOfKey(key);
                    if (id != null) {
                        byId.put(id, new Segment(id, false));
                    }
                }
            } catch (RuntimeException e) {
                s3 = false;
                LOG.warnf("could not list observed operations in S3 (the local spool still counts): %s", e.getMessage());
            }
        }
        if (spool != null) {
            for (Path file : spool.all()) {
                String id = Spool.segmentId(Spool.segmentName(file));
                try {
                    new OpsPosition(id, 0);
                } catch (IllegalArgumentException notOurs) {
                    continue;
                }
                byId.put(id, new Segment(id, true));
            }
        }
        return new Listing(new ArrayList<>(byId.values()), s3);
    }

    /**
     * Streams the lines of a segment in order, from the spool file when it is still there, else from S3. Throws
     * an unchecked exception when neither can be read (S3 down): the caller decides whether that is fatal.
     */
    public void read(Segment segment, LineVisitor visitor) {
        Path file = spool == null ? null : spool.file(OpsPosition.nameOfSegment(segment.id()));
        try {
            if (file != null && Files.exists(file)) {
                try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    visit(r, visitor);
                }
                return;
            }
            if (archive == null) {
                return;
            }
            Optional<InputStream> in = archive.open(OpsPosition.keyOfSegment(segment.id()));
            if (in.isEmpty()) {
                return;
            }
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in.get(), StandardCharsets.UTF_8), 1 << 16)) {
                visit(r, visitor);
            }
        } catch (java.nio.file.NoSuchFileException shippedMeanwhile) {
            // the shipper uploaded and deleted it between the check and the open: S3 has it now
            read(new Segment(segment.id(), false), visitor);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("reading segment " + segment.id() + ": " + e.getMessage(), e);
        }
    }

    private static void visit(BufferedReader r, LineVisitor visitor) throws IOException {
        int i = 0;
        for (String line = r.readLine(); line != null; line = r.readLine(), i++) {
            if (!visitor.line(i, line)) {
                return;
            }
        }
    }
}

package com.lakehouse.observerd.store;

import java.util.regex.Pattern;

/**
 * Where an operation lives in the durable history: a segment id ({@code yyyy/mm/dd/<segment name>}, the S3 key
 * without {@code observer/ops/} and {@code .jsonl}) and the 0-based line within it. Positions order the history
 * the way it arrived (segment ids sort by day, then by creation time), so they serve as read-back cursors that
 * stay valid after the operation has left memory.
 */
public record OpsPosition(String segment, int line) implements Comparable<OpsPosition> {
    /** Only what observerd itself writes: a cursor can never name another S3 key or a path outside the spool. */
    private static final Pattern SEGMENT = Pattern.compile("\\d{4}/\\d{2}/\\d{2}/[A-Za-z0-9_-]{1,200}");

    public OpsPosition {
        if (segment == null || !SEGMENT.matcher(segment).matches() || line < 0) {
            throw new IllegalArgumentException("bad position " + segment + ":" + line);
        }
    }

    /** The segment id of an S3 key {@code observer/ops/yyyy/mm/dd/<name>.jsonl}; null when it is not one. */
    public static String segmentOfKey(String key) {
        if (key == null || !key.startsWith(OpsArchive.PREFIX) || !key.endsWith(".jsonl")) {
            return null;
        }
        String id = key.substring(OpsArchive.PREFIX.length(), key.length() - ".jsonl".length());
        return SEGMENT.matcher(id).matches() ? id : null;
    }

    public static String keyOfSegment(String segment) {
        return OpsArchive.PREFIX + segment + ".jsonl";
    }

    /** The segment's file name part (what the spool calls it). */
    public static String nameOfSegment(String segment) {
        return segment.substring(segment.lastIndexOf('/') + 1);
    }

    @Override
    public int compareTo(OpsPosition o) {
        int c = segment.compareTo(o.segment);
        return c != 0 ? c : Integer.compare(line, o.line);
    }

    @Override
    public String toString() {
        return segment + ":" + line;
    }

    /** Parses {@link #toString()}; throws IllegalArgumentException when it is not one. */
    public static OpsPosition parse(String s) {
        int colon = s.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("bad position " + s);
        }
        return new OpsPosition(s.substring(0, colon), Integer.parseInt(s.substring(colon + 1)));
    }
}

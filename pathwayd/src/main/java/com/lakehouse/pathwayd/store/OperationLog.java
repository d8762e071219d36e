package com.lakehouse.pathwayd.store;

import com.lakehouse.contracts.json.Json;
import com.lakehouse.contracts.s3.ObjectStore;
import com.lakehouse.pathwayd.service.Operation;
import org.jboss.logging.Logger;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The append-only operation log in S3: {@code pathway/log/<segment>.jsonl}, one operation per line. An append
 * rewrites the open segment with the new line before the operation is acknowledged, so S3 holds everything
 * acknowledged; segments close after a fixed number of operations and are never written again. Concurrent
 * writers share one put through {@link #appendAll} (the service's group commit). Not thread-safe: one writer.
 */
public final class OperationLog {
    private static final Logger LOG = Logger.getLogger(OperationLog.class);
    static final String PREFIX = "pathway/log/";

    private final ObjectStore store;
    private final int segmentSize;
    private int segment;
    private int linesInSegment;
    private ByteArrayOutputStream open = new ByteArrayOutputStream();

    public OperationLog(ObjectStore store, int segmentSize) {
        this.store = store;
        this.segmentSize = Math.max(1, segmentSize);
    }

    /** Reads every segment in order; a line that does not parse is skipped and reported (never fatal). */
    public List<Operation> load() {
        List<Operation> ops = new ArrayList<>();
        List<String> keys = store.list(PREFIX).stream().filter(k -> k.endsWith(".jsonl")).sorted().toList();
        int lastSegment = -1;
        byte[] lastBytes = new byte[0];
        int lastLines = 0;
        for (String key : keys) {
            byte[] bytes = store.get(key).orElse(new byte[0]);
            int lineNo = 0;
            int lines = 0;
            for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    ops.add(Json.mapper().readValue(line, Operation.class));
                    lines++;
                } catch (IOException e) {
                    LOG.errorf("pathway log %s line %d does not parse and is skipped: %s", key, lineNo, e.getMessage());
                }
            }
            lastSegment = segmentNumber(key);
            lastBytes = bytes;
            lastLines = lines;
        }
        if (lastSegment < 0) {
            segment = 0;
            linesInSegment = 0;
            open = new ByteArrayOutputStream();
        } else if (lastLines >= segmentSize) {
            segment = lastSegment + 1;
            linesInSegment = 0;
            open = new ByteArrayOutputStream();
        } else {
            segment = lastSegment;
            linesInSegment = lastLines;
            open = new ByteArrayOutputStream();
            open.writeBytes(lastBytes);
        }
        return ops;
    }

    /** Makes one operation durable; throws (and keeps nothing) when S3 refuses. */
    public void append(Operation op) {
        appendAll(List.of(op));
    }

    /**
     * Makes a batch of operations durable with one put of the open segment (group commit); throws (and keeps
     * nothing) when S3 refuses. A batch is never split, so a segment closes once it holds at least
     * {@code segmentSize} operations.
     */
    public void appendAll(List<Operation> ops) {
        if (ops.isEmpty()) {
            return;
        }
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        try {
            for (Operation op : ops) {
                lines.write(Json.mapper().writeValueAsBytes(op));
                lines.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ByteArrayOutputStream next = new ByteArrayOutputStream(open.size() + lines.size());
        next.writeBytes(open.toByteArray());
        next.writeBytes(lines.toByteArray());
        store.put(key(segment), next.toByteArray(), "application/x-ndjson");
        open = next;
        linesInSegment += ops.size();
        if (linesInSegment >= segmentSize) {
            segment++;
            linesInSegment = 0;
            open = new ByteArrayOutputStream();
        }
    }

    static String key(int segment) {
        return PREFIX + String.format(Locale.ROOT, "%08d", segment) + ".jsonl";
    }

    private static int segmentNumber(String key) {
        String name = key.substring(key.lastIndexOf('/') + 1, key.length() - ".jsonl".length());
        try {
            return Integer.parseInt(name);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}

package com.lakehouse.contracts.observer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.lakehouse.contracts.json.Json;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The observer client's local spool: operations that could not be shipped (observerd down, or the daemon
 * stopping) are appended as JSONL to files {@code <source>-<millis>-<n>.jsonl} under one directory and taken
 * back, oldest file first, once observerd answers again. Bounded by bytes; plain Java, no threads of its own
 * (the client calls it from its own I/O thread).
 */
public final class ClientSpool {
    private static final Logger LOG = Logger.getLogger(ClientSpool.class);
    private static final ObjectMapper JSON = Json.mapper();

    private final Path dir;
    private final String prefix;
    private final long maxBytes;
    private final int linesPerFile;
    private Path current;
    private int currentLines;
    private long counter;

    public ClientSpool(Path dir, String source, long maxBytes, int linesPerFile) {
        this.dir = dir;
        this.prefix = source.replaceAll("[^A-Za-z0-9_-]", "_") + "-";
        this.maxBytes = maxBytes;
        this.linesPerFile = Math.max(1, linesPerFile);
    }

    /** Appends operations; false (nothing written) when the spool is full or the disk fails. */
    public synchronized boolean append(List<ObservedOperation> ops) {
        List<byte[]> json = new ArrayList<>(ops.size());
        try {
            for (ObservedOperation op : ops) {
                json.add(JSON.writeValueAsBytes(op));
            }
        } catch (IOException e) {
            return false;
        }
        return appendJson(json);
    }

    /** Appends operations already serialised (one JSON object each); false when full or the disk fails. */
    public synchronized boolean appendJson(List<byte[]> ops) {
        if (ops.isEmpty()) {
            return true;
        }
        try {
            java.io.ByteArrayOutputStream sb = new java.io.ByteArrayOutputStream();
            for (byte[] op : ops) {
                sb.write(op);
                sb.write('\n');
            }
            byte[] bytes = sb.toByteArray();
            if (bytes() + bytes.length > maxBytes) {
                return false;
            }
            Files.createDirectories(dir);
            if (current == null || currentLines >= linesPerFile) {
                current = dir.resolve(prefix + String.format("%013d-%06d.jsonl", System.currentTimeMillis(), ++counter));
                currentLines = 0;
            }
            Files.write(current, bytes, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
            currentLines += ops.size();
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.debugf("observer client spool write failed: %s", e.getMessage());
            return false;
        }
    }

    /** Removes and returns the operations of the oldest spool file (unreadable lines skipped); empty when none. */
    public synchronized List<ObservedOperation> takeOldest() {
        List<Path> files = files();
        if (files.isEmpty()) {
            return List.of();
        }
        Path oldest = files.get(0);
        if (oldest.equals(current)) {
            current = null;
        }
        List<ObservedOperation> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(oldest, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    out.add(JSON.readValue(line, ObservedOperation.class));
                } catch (IOException bad) {
                    LOG.debugf("skipping an unreadable spooled operation in %s", oldest.getFileName());
                }
            }
            Files.deleteIfExists(oldest);
        } catch (IOException e) {
            LOG.debugf("observer client spool read failed: %s", e.getMessage());
            return List.of();
        }
        return out;
    }

    public synchronized boolean isEmpty() {
        return files().isEmpty();
    }

    /** Bytes currently spooled. */
    public synchronized long bytes() {
        long n = 0;
        for (Path p : files()) {
            try {
                n += Files.size(p);
            } catch (IOException ignored) {
                // vanished meanwhile
            }
        }
        return n;
    }

    private List<Path> files() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith(prefix) && n.endsWith(".jsonl");
            }).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}

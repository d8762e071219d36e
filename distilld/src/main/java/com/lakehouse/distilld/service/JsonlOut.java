package com.lakehouse.distilld.service;

import com.lakehouse.distilld.store.Blobs;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A JSONL file written to a temporary file row by row (its sha256 computed on the way), then uploaded whole with
 * {@link Blobs#putFile}: an export file of any size costs a write buffer, not its size, in memory.
 */
final class JsonlOut implements AutoCloseable {
    private final Path file;
    private final MessageDigest digest;
    private final OutputStream out;
    private long rows;
    private boolean closed;

    JsonlOut(Path dir, String name) {
        this.file = dir.resolve(name + ".jsonl");
        try {
            digest = MessageDigest.getInstance("SHA-256");
            out = new BufferedOutputStream(new DigestOutputStream(Files.newOutputStream(file), digest), 64 * 1024);
        } catch (IOException e) {
            throw new UncheckedIOException("could not create " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One row as compact JSON (the same bytes {@link Canon#jsonl} writes). */
    void write(Object row) {
        try {
            writeLine(Canon.JSON.writeValueAsBytes(row));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A row already serialized (by {@link Canon#JSON}). */
    void writeRaw(String json) {
        writeLine(json.getBytes(StandardCharsets.UTF_8));
    }

    private void writeLine(byte[] b) {
        try {
            out.write(b);
            out.write('\n');
            rows++;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }

    long rows() {
        return rows;
    }

    /** Finishes the file, uploads it under {@code key} and returns its sha256 (hex). */
    String upload(Blobs blobs, String key) {
        finish();
        blobs.putFile(key, file);
        return HexFormat.of().formatHex(digest.digest());
    }

    private void finish() {
        if (!closed) {
            closed = true;
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException("could not finish " + file, e);
            }
        }
    }

    @Override
    public void close() {
        try {
            finish();
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // the export's work directory is removed as a whole afterwards
            }
        }
    }
}

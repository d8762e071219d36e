package com.lakehouse.vectord.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * This vectord's identity as a writer of index generations: a random id kept in its data directory, so it is
 * the same across restarts (the data directory owns the WAL, and with it the right to write the generations
 * that WAL continues) and differs between two instances.
 */
public final class WriterId {
    private WriterId() {
    }

    public static String of(Path dataDir) {
        Path file = dataDir.resolve("writer-id");
        try {
            if (!Files.exists(file)) {
                try {
                    Files.writeString(Files.createFile(file), "vectord-" + UUID.randomUUID(), StandardCharsets.UTF_8);
                } catch (FileAlreadyExistsException raced) {
                    // made by a concurrent first start in the same directory: read it below
                }
            }
            String id = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (id.isEmpty()) {
                throw new IllegalStateException(file + " is empty; delete it to make a new writer id");
            }
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file, e);
        }
    }
}

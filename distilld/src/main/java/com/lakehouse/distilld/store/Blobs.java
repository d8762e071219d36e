package com.lakehouse.distilld.store;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Where distilld reads observed ops and writes its artifacts: S3 in the daemon, a local directory for offline runs. */
public interface Blobs {
    /** Keys under a prefix, sorted. */
    List<String> list(String prefix);

    Optional<byte[]> get(String key);

    void put(String key, byte[] bytes);

    /** The object as a stream (the caller closes it), empty when absent: for reading big files line by line. */
    Optional<InputStream> open(String key);

    /** Uploads a local file without reading it into memory (S3: multipart past the part size). */
    void putFile(String key, Path file);
}

package com.lakehouse.distilld.store;

import java.util.List;
import java.util.Optional;

/** Where distilld reads observed ops and writes its artifacts: S3 in the daemon, a local directory for offline runs. */
public interface Blobs {
    /** Keys under a prefix, sorted. */
    List<String> list(String prefix);

    Optional<byte[]> get(String key);

    void put(String key, byte[] bytes);
}

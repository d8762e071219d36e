package com.lakehouse.observerd.store;

import com.lakehouse.contracts.s3.ObjectStore;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** observerd's S3 side: sealed spool segments become {@code observer/ops/<yyyy>/<mm>/<dd>/<segment>.jsonl}. */
public final class OpsArchive {
    public static final String PREFIX = "observer/ops/";
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy/MM/dd");

    private final ObjectStore store;

    public OpsArchive(ObjectStore store) {
        this.store = store;
    }

    /** Uploads one sealed segment file under its dated key; returns the key. Throws on S3 failure. */
    public String ship(Path segmentFile) {
        String key = Spool.objectKey(Spool.segmentName(segmentFile));
        store.putFile(key, segmentFile, "application/x-ndjson");
        return key;
    }

    /** Segment keys of the given UTC days, oldest first. */
    public List<String> segmentsSince(LocalDate from, LocalDate to) {
        List<String> keys = new ArrayList<>();
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            keys.addAll(store.list(PREFIX + DAY.format(d) + "/"));
        }
        keys.sort(String::compareTo);
        return keys;
    }

    public Optional<byte[]> read(String key) {
        return store.get(key);
    }

    /** Streams one object (a segment is read line by line, never whole). */
    public Optional<java.io.InputStream> open(String key) {
        return store.open(key);
    }
}

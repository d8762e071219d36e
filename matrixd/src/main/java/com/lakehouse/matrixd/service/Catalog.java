package com.lakehouse.matrixd.service;

import com.lakehouse.contracts.client.UpstreamException;

import io.smallrye.mutiny.Uni;

import java.util.List;
import java.util.Map;

/** Rows of catalog datasets (catalogd in production). */
public interface Catalog {
    /** The dataset's latest version; fails with {@link UpstreamException} 404 when unknown. */
    Uni<Long> latestVersion(String dataset);

    /** One page of rows from {@code cursor} (null = start); {@code nextCursor} null at the end. */
    Uni<Page> rows(String dataset, int limit, String cursor);

    record Page(List<Map<String, Object>> rows, String nextCursor) {
    }
}

package com.lakehouse.distilld.bench;

import com.lakehouse.distilld.service.Exports;
import com.lakehouse.distilld.store.DirBlobs;

import java.nio.file.Path;

/**
 * Export only (not a test), over a store that already holds evidence and scored runs (e.g. one DistillBench
 * left): {@code ExportBench <dir> [kind=all]}. Run it under a small -Xmx with -Xlog:gc to see the export's heap.
 */
public final class ExportBench {
    public static void main(String[] args) {
        long t0 = System.nanoTime();
        Exports.Result r = new Exports(new DirBlobs(Path.of(args[0]))).run(args.length > 1 ? args[1] : "all", false, x -> { });
        System.out.printf("export %.2fs rows=%s quarantined=%s%n", (System.nanoTime() - t0) / 1e9, r.rows(), r.quarantined());
    }
}

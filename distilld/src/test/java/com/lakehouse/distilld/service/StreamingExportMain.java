package com.lakehouse.distilld.service;

import com.lakehouse.contracts.s3.ObjectStore;
import com.lakehouse.distilld.store.S3Blobs;
import io.minio.MinioClient;

import java.nio.file.Path;

/**
 * The child JVM of {@link StreamingExportTest}: one export of everything in an S3 bucket, run under a small -Xmx.
 * Args: endpoint access-key secret-key bucket work-dir buffer-bytes.
 */
public final class StreamingExportMain {
    public static void main(String[] args) {
        try {
            export(args);
        } catch (Throwable t) {  // OutOfMemoryError included: the parent sees exit 1 and this trace
            t.printStackTrace();
            System.exit(1);
        }
        // the S3 client's idle connection pool keeps non-daemon threads alive for a minute: do not wait for them
        System.exit(0);
    }

    private static void export(String[] args) {
        MinioClient client = MinioClient.builder().endpoint(args[0]).credentials(args[1], args[2]).region("us-east-1").build();
        ObjectStore store = new ObjectStore(client, args[3], "", 5L * 1024 * 1024);
        Exports.Result r = new Exports(new S3Blobs(store), Path.of(args[4]), Long.parseLong(args[5]))
                .run("all", false, x -> { });
        System.out.println("rows=" + r.rows() + " quarantined=" + r.quarantined()
                + " max_heap_mb=" + Runtime.getRuntime().maxMemory() / (1024 * 1024));
    }
}

package com.lakehouse.distilld.bench;

import com.lakehouse.distilld.service.Exports;
import com.lakehouse.distilld.service.Fixtures;
import com.lakehouse.distilld.service.Materializer;
import com.lakehouse.distilld.service.Scorer;
import com.lakehouse.distilld.store.DirBlobs;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * In-process benchmark (not a test): N seeded runs through materialize, score and all exports on a local
 * directory store. Usage: {@code DistillBench [runs=100000] [dir]}; see bench/distilld/run.sh.
 */
public final class DistillBench {
    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        Path dir = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("distill-bench");
        DirBlobs blobs = new DirBlobs(dir);
        long lines = Fixtures.write(blobs, runs, 42, 5000);
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        Materializer m = new Materializer(blobs);
        Materializer.Result mr = m.run(m.segments(null, null), true, x -> { }, null);
        long t1 = System.nanoTime();
        Scorer.Result sr = new Scorer(blobs).run(null, x -> { });
        long t2 = System.nanoTime();
        Exports.Result er = new Exports(blobs).run("all", false, x -> { });
        long t3 = System.nanoTime();
        double total = (t3 - t0) / 1e9;
        System.out.printf("runs=%d evidence=%d quarantined_at_materialize=%d%n", lines, mr.evidenceRows(), mr.quarantined());
        System.out.printf("materialize %.2fs (%.0f runs/s)%n", (t1 - t0) / 1e9, lines / ((t1 - t0) / 1e9));
        System.out.printf("score       %.2fs (%.0f runs/s) categories=%s%n", (t2 - t1) / 1e9, lines / ((t2 - t1) / 1e9), sr.categories());
        System.out.printf("export all  %.2fs (%.0f runs/s) rows=%s quarantined=%s%n", (t3 - t2) / 1e9, lines / ((t3 - t2) / 1e9), er.rows(), er.quarantined());
        System.out.printf("TOTAL       %.2fs -> %.0f runs/s through materialize+score+exports%n", total, lines / total);
        double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
        System.out.printf("CPU         %.2fs process CPU -> %.0f runs per CPU-second (wall-clock figures depend on machine load)%n", cpu, lines / cpu);
        System.out.println("store: " + dir);
    }
}

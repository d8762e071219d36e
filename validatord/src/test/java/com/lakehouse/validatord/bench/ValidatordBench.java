package com.lakehouse.validatord.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.lakehouse.contracts.json.Json;
import com.lakehouse.validatord.service.EmailValidator;
import com.lakehouse.validatord.service.FillValidator;
import com.lakehouse.validatord.service.Finding;
import com.lakehouse.validatord.service.Roster;
import com.lakehouse.validatord.store.ParquetRosterReader;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;

/**
 * validatord's benchmark (bench/validatord/run.sh): generates an N-worker roster Parquet with DuckDB, loads it
 * the way the daemon does (time, retained heap after GC, peak heap during the load, RSS), then measures fill
 * and email validations per second on the calling thread (run it pinned to one core).
 *
 * <p>Arguments: [workers=500000] [seconds per validator=5] [parquet path to reuse or create]
 */
public final class ValidatordBench {
    private ValidatordBench() {
    }

    public static void main(String[] args) throws Exception {
        int workers = args.length > 0 ? Integer.parseInt(args[0]) : 500_000;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 5;
        Path parquet = args.length > 2 ? Path.of(args[2])
                : Path.of(System.getProperty("java.io.tmpdir"), "validatord-bench-" + workers + ".parquet");
        if (!Files.exists(parquet)) {
            long t0 = System.nanoTime();
            generate(parquet, workers);
            System.out.printf(Locale.ROOT, "generated %s (%d workers, %.1f MB) in %.2f s%n", parquet, workers,
                    Files.size(parquet) / 1e6, (System.nanoTime() - t0) / 1e9);
        }
        System.out.printf(Locale.ROOT, "jvm: %s, max heap %d MB, processors %d%n", Runtime.version(),
                Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors());

        long before = usedAfterGc();
        resetPeaks();
        long cpu0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long pcpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        Roster roster = ParquetRosterReader.read(List.of(parquet), "bench", "256MB");
        double loadS = (System.nanoTime() - t0) / 1e9;
        long peak = heapPeaks();
        long after = usedAfterGc();
        long gcMs = 0;
        long gcs = 0;
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcMs += gc.getCollectionTime();
            gcs += gc.getCollectionCount();
        }
        System.out.printf(Locale.ROOT, "gc so far: %d collections, %d ms; load cpu: loading thread %.2f s, whole process (DuckDB threads, GC, JIT) %.2f s%n",
                gcs, gcMs, (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu0) / 1e9,
                (os.getProcessCpuTime() - pcpu0) / 1e9);
        System.out.printf(Locale.ROOT, "roster load: %d workers in %.2f s; retained heap %.1f MB; heap peak during load <= %.1f MB; RSS %s, RSS peak %s%n",
                roster.count(), loadS, (after - before) / 1048576.0, peak / 1048576.0, proc("VmRSS"), proc("VmHWM"));

        FillValidator fill = new FillValidator(c -> false);
        EmailValidator email = new EmailValidator(160, 78, 40, 30, c -> false);
        // a valid 5-candidate fill of active workers in one city and role, found in the roster itself
        int[] rows = new int[5];
        String city = null;
        String role = null;
        int n = 0;
        for (int r = 0; r < roster.count() && n < 5; r++) {
            if (!roster.active(r) || roster.doNotPlace(r)) {
                continue;
            }
            if (city == null) {
                city = roster.city(r);
                role = roster.role(r);
            }
            if (roster.city(r).equals(city) && roster.role(r).equals(role)) {
                rows[n++] = r;
            }
        }
        StringBuilder fills = new StringBuilder("{\"fills\": [");
        for (int i = 0; i < n; i++) {
            fills.append(i == 0 ? "" : ",").append("{\"candidate_id\": \"").append(roster.workerId(rows[i]))
                    .append("\", \"name\": \"").append(roster.fullName(rows[i])).append("\"}");
        }
        fills.append("]}");
        JsonNode fillArtifact = Json.mapper().readTree(fills.toString());
        JsonNode fillContext = Json.mapper().readTree("{\"target_count\": " + n + ", \"city\": \"" + city
                + "\", \"state\": \"" + roster.state(rows[0]) + "\", \"role\": \"" + role + "\", \"client\": \"Acme\"}");
        String cand = roster.workerId(rows[0]);
        JsonNode emailArtifact = Json.mapper().readTree("{\"to\": \"" + "worker" + cand.substring(2)
                + "@example.com\", \"subject\": \"Your shift on Monday\", \"body\": \"Hi " + roster.firstName(rows[0])
                + ",\\n\\nThanks for confirming. Your first shift is Monday at 7:00 at the Elm Street warehouse, dock 4. "
                + "Please bring steel-toe boots and your badge. Parking is free in lot B; the site lead will meet you at "
                + "the front desk. Reply to this message or call 312-555-0199 if anything changes. Reference " + cand
                + ".\\n\\nThanks,\\nThe staffing team\"}");
        JsonNode emailContext = Json.mapper().readTree("{\"candidate_id\": \"" + cand + "\"}");
        List<Finding> f1 = fill.validate(fillArtifact, fillContext, roster);
        List<Finding> f2 = email.validate(emailArtifact, emailContext, roster);
        System.out.println("fill artifact findings: " + f1.size() + " " + f1);
        System.out.println("email artifact findings: " + f2.size() + " " + f2);

        rate("fill (5 candidates)", seconds, () -> fill.validate(fillArtifact, fillContext, roster).size());
        rate("email (~420 chars, candidate + id check)", seconds, () -> email.validate(emailArtifact, emailContext, roster).size());
        rate("roster id lookup", seconds, () -> roster.find(cand));
    }

    private static void rate(String what, double seconds, java.util.function.IntSupplier op) {
        long sink = 0;
        // warm-up
        long end = System.nanoTime() + (long) (seconds * 0.3e9);
        while (System.nanoTime() < end) {
            sink += op.getAsInt();
        }
        long count = 0;
        long t0 = System.nanoTime();
        end = t0 + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            for (int i = 0; i < 100; i++) {
                sink += op.getAsInt();
            }
            count += 100;
        }
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "%-42s %,12.0f per second on one thread (%d in %.1f s) [%d]%n", what, count / s, count, s, sink & 1);
    }

    static void generate(Path file, int workers) throws Exception {
        try (Connection c = new org.duckdb.DuckDBDriver().connect("jdbc:duckdb:", new java.util.Properties()); Statement st = c.createStatement()) {
            st.execute("COPY (SELECT 'W-' || i AS worker_id,"
                    + " ['James','Mary','Robert','Patricia','John','Jennifer','Michael','Linda','David','Elizabeth','William','Barbara','Richard','Susan','Joseph','Jessica','Thomas','Sarah','Carlos','Maria','Wei','Aisha','Juan','Ana','Luis','Fatima','Omar','Mei','Ivan','Olga'][CAST(1 + (hash(i) % 30) AS BIGINT)] AS first_name,"
                    + " ['Smith','Johnson','Williams','Brown','Jones','Garcia','Miller','Davis','Rodriguez','Martinez','Hernandez','Lopez','Gonzalez','Wilson','Anderson','Thomas','Taylor','Moore','Jackson','Martin','Lee','Perez','Thompson','White','Harris','Sanchez','Clark','Ramirez','Lewis','Robinson','Chen','Khan','Nguyen','Patel','Kim','Park'][CAST(1 + (hash(i * 7) % 36) AS BIGINT)] || CASE WHEN i % 3 = 0 THEN '-' || (i % 97) ELSE '' END AS last_name,"
                    + " ['forklift operator','warehouse associate','picker','packer','welder','machine operator','assembler','driver','loader','janitor','electrician','carpenter','plumber','cook','dishwasher','server','cashier','security guard','receptionist','data entry'][CAST(1 + (i % 20) AS BIGINT)] AS role,"
                    + " CASE WHEN i % 4 = 0 THEN 'picker,packer' WHEN i % 4 = 1 THEN 'loader' ELSE '' END AS other_roles,"
                    + " 'City' || (hash(i * 13) % 300) AS city,"
                    + " ['AL','AK','AZ','AR','CA','CO','CT','DE','FL','GA','HI','ID','IL','IN','IA','KS','KY','LA','ME','MD','MA','MI','MN','MS','MO','MT','NE','NV','NH','NJ','NM','NY','NC','ND','OH','OK','OR','PA','RI','SC','SD','TN','TX','UT','VT','VA','WA','WV','WI','WY'][CAST(1 + (hash(i * 13) % 50) AS BIGINT)] AS state,"
                    + " lpad(CAST(10000 + hash(i * 17) % 89999 AS VARCHAR), 5, '0') AS zip,"
                    + " '(' || (200 + i % 800) || ') 555-' || lpad(CAST(i % 10000 AS VARCHAR), 4, '0') AS phone,"
                    + " 'worker' || i || '@example.com' AS email,"
                    + " CASE WHEN i % 5 = 0 THEN 'OSHA-10,forklift' WHEN i % 5 = 1 THEN 'OSHA-30' ELSE '' END AS certifications,"
                    + " 15.0 + (i % 25) AS pay_rate,"
                    + " CASE WHEN i % 10 = 0 THEN 0.0 ELSE 0.1 + (i % 9) / 10.0 END AS availability,"
                    + " (i % 100) / 100.0 AS reliability,"
                    + " i % 997 = 0 AS do_not_place"
                    + " FROM range(1, " + (workers + 1) + ") r(i)) TO '" + file + "' (FORMAT parquet)");
        }
    }

    private static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                p.resetPeakUsage();
            }
        }
    }

    private static long heapPeaks() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    private static String proc(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key + ":")) {
                    return line.substring(key.length() + 1).trim();
                }
            }
        } catch (Exception e) {
            return "?";
        }
        return "?";
    }
}

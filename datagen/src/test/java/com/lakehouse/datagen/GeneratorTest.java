package com.lakehouse.datagen;

import com.lakehouse.contracts.roles.RoleTaxonomy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GeneratorTest {
    static final Generation.Sizes SMALL = new Generation.Sizes(300, 40, 60, 60);

    @Test
    void sameSeedSameBytesInEveryFormat(@TempDir Path tmp) throws Exception {
        for (TableWriter.Format f : TableWriter.Format.values()) {
            Path a = tmp.resolve(f + "-a");
            Path b = tmp.resolve(f + "-b");
            Generation.write(a, 7, SMALL, f);
            Generation.write(b, 7, SMALL, f);
            try (Stream<Path> files = Files.list(a)) {
                List<Path> names = files.toList();
                assertTrue(names.size() >= 4, "files: " + names);
                for (Path file : names) {
                    assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(b.resolve(file.getFileName())),
                            f + " " + file.getFileName() + " differs between two runs with the same seed");
                }
            }
        }
    }

    @Test
    void differentSeedDifferentData(@TempDir Path tmp) throws Exception {
        Generation.write(tmp.resolve("a"), 1, SMALL, TableWriter.Format.CSV);
        Generation.write(tmp.resolve("b"), 2, SMALL, TableWriter.Format.CSV);
        for (String f : List.of("workers.csv", "job_orders.csv", "playbooks.csv", "runs.jsonl")) {
            assertNotEquals(Files.readString(tmp.resolve("a").resolve(f)), Files.readString(tmp.resolve("b").resolve(f)), f);
        }
    }

    @Test
    void parquetHasTheDeclaredSchemaAndRowCount(@TempDir Path tmp) throws Exception {
        Generation.write(tmp, 3, SMALL, TableWriter.Format.PARQUET);
        try (var c = DriverManager.getConnection("jdbc:duckdb:"); var s = c.createStatement()) {
            ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT worker_id), min(worker_id), "
                    + "sum(CASE WHEN status = 'active' THEN 1 ELSE 0 END), sum(CASE WHEN availability > 0 THEN 1 ELSE 0 END) "
                    + "FROM read_parquet('" + tmp.resolve("workers.parquet") + "')");
            rs.next();
            assertEquals(300, rs.getLong(1));
            assertEquals(300, rs.getLong(2));
            assertEquals("W-000001", rs.getString(3));
            assertEquals(rs.getLong(5), rs.getLong(4), "status must derive from availability");
            ResultSet types = s.executeQuery("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet('"
                    + tmp.resolve("workers.parquet") + "')) WHERE column_name IN ('pay_rate', 'do_not_place')");
            Set<String> seen = new HashSet<>();
            while (types.next()) {
                seen.add(types.getString(1) + ":" + types.getString(2));
            }
            assertEquals(Set.of("pay_rate:DOUBLE", "do_not_place:BOOLEAN"), seen);
        }
    }

    @Test
    void playbookPairsAreCrossRoleLookAlikes() {
        StaffingGenerator g = new StaffingGenerator(42, 2000);
        Set<String> styles = new HashSet<>();
        for (int p = 0; p < 40; p += 2) {
            Map<String, Object> a = g.playbook(p);
            Map<String, Object> b = g.playbook(p + 1);
            assertEquals(a.get("client"), b.get("client"));
            assertEquals(a.get("city"), b.get("city"));
            assertEquals(a.get("shift"), b.get("shift"));
            assertFalse(RoleTaxonomy.sameRole((String) a.get("role"), (String) b.get("role")),
                    "look-alike pair " + p + " has the same role " + a.get("role"));
            styles.add((String) a.get("query_style"));
            styles.add((String) b.get("query_style"));
            // The answer really has the playbook's role.
            String answer = (String) a.get("answer_id");
            Map<String, Object> w = g.worker(Integer.parseInt(answer.substring(2)) - 1);
            assertTrue(RoleTaxonomy.sameRole((String) w.get("role"), (String) a.get("role")));
        }
        assertEquals(Set.copyOf(StaffingGenerator.QUERY_STYLES), styles);
    }

    @Test
    void listsAreBigEnoughAndSomeClientsAreBlacklisted() {
        assertTrue(RoleTaxonomy.all().size() >= 40);
        assertTrue(Vocabulary.CITIES.size() >= 100);
        assertTrue(Vocabulary.CLIENTS.stream().anyMatch(Vocabulary.Client::blacklisted));
        assertTrue(Vocabulary.CLIENTS.stream().filter(c -> !c.blacklisted()).count() >= 10);
    }

    @Test
    @SuppressWarnings("unchecked")
    void runsIncludeEveryKindAndEveryPlantedFault() {
        StaffingGenerator g = new StaffingGenerator(42, 2000);
        Set<String> kinds = new HashSet<>();
        Set<String> faults = new HashSet<>();
        int pairs = 0;
        for (int n = 0; n < 600; n++) {
            List<Map<String, Object>> ops = g.runs(n);
            if (ops.size() == 2) {
                pairs++;
                assertEquals(ops.get(0).get("task_id"), ops.get(1).get("task_id"));
                assertEquals(false, ops.get(0).get("success"));
                assertEquals(true, ops.get(1).get("success"));
            }
            for (Map<String, Object> op : ops) {
                kinds.add((String) op.get("kind"));
                assertTrue(op.get("endpoint") instanceof String);
                Map<String, Object> result = (Map<String, Object>) op.get("result");
                if (result.get("validation") instanceof Map<?, ?> v) {
                    for (Map<String, Object> f : (List<Map<String, Object>>) v.get("findings")) {
                        faults.add((String) f.get("code"));
                    }
                }
            }
        }
        assertEquals(Set.copyOf(StaffingGenerator.RUN_KINDS), kinds);
        assertEquals(Set.copyOf(StaffingGenerator.FAULTS), faults);
        assertTrue(pairs > 10, "bad attempts followed by corrections: " + pairs);
    }

    @Test
    void badArgumentsExitNonZeroAndLeaveNoFile(@TempDir Path tmp) throws Exception {
        assertEquals(2, cli("generate", "--out", tmp.resolve("a").toString(), "--workers", "-5"));
        assertEquals(2, cli("generate", "--out", tmp.resolve("b").toString(), "--format", "xlsx"));
        assertEquals(2, cli("generate", "--workers", "10"));
        assertEquals(2, cli("frobnicate", "--out", tmp.toString()));
        Path blocker = tmp.resolve("file");
        Files.writeString(blocker, "x");
        assertEquals(1, cli("generate", "--out", blocker.resolve("sub").toString(), "--workers", "10"));
        try (Stream<Path> left = Files.walk(tmp)) {
            assertEquals(List.of(), left.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList());
        }
        assertFalse(Files.exists(tmp.resolve("a")) && Files.list(tmp.resolve("a")).findAny().isPresent());
    }

    @Test
    void aFailedWriteLeavesNoHalfFile(@TempDir Path tmp) throws Exception {
        Path target = tmp.resolve("workers.csv");
        try (TableWriter w = new TableWriter(target, TableWriter.Format.CSV, StaffingGenerator.WORKER_COLUMNS)) {
            w.write(new StaffingGenerator(1, 10).worker(0));
            // no commit: as if the generator died mid-way
        }
        try (Stream<Path> files = Files.list(tmp)) {
            assertEquals(List.of(), files.toList());
        }
    }

    private static int cli(String... args) {
        return Main.run(args, new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()));
    }
}

package com.lakehouse.distilld.service;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The export's external sort and streaming line reader. */
class SpillSorterTest {
    @Test
    void sortsPastTheBudgetThroughSpillsAndMergesInOrder() throws Exception {
        Path dir = Files.createTempDirectory("spill");
        Random rnd = new Random(7);
        List<SpillSorter.Entry> expected = new ArrayList<>();
        long budget = 8 * 1024;
        try (SpillSorter s = new SpillSorter(dir, "t", budget)) {
            for (int i = 0; i < 20_000; i++) {
                String key = "k" + rnd.nextInt(3000);
                String sub = rnd.nextBoolean() ? "" : "s" + rnd.nextInt(3);
                String b = i % 5 == 0 ? null : "b" + i;
                s.add(key, sub, i, "payload-" + i + "-é", b);
                expected.add(new SpillSorter.Entry(key, sub, i, "payload-" + i + "-é", b));
            }
            // the batch never holds much more than the budget (one entry over at most), whatever was added
            assertTrue(s.maxBatchBytes() < budget + 1024, "batch held " + s.maxBatchBytes());
            assertTrue(s.spills() > SpillSorter.FAN_IN, "enough spills to need an intermediate merge: " + s.spills());
            expected.sort(SpillSorter.ORDER);
            List<SpillSorter.Entry> got = new ArrayList<>();
            try (SpillSorter.Reader r = s.reader()) {
                while (r.hasNext()) {
                    SpillSorter.Entry peeked = r.peek();
                    assertEquals(peeked, r.next());
                    got.add(peeked);
                }
            }
            assertEquals(expected, got, "sorted by key, sub, then the order added");
        }
        try (SpillSorter s = new SpillSorter(dir, "u", budget)) {
            for (SpillSorter.Entry e : shuffled(expected, rnd)) {
                s.add(e.key(), e.sub(), e.seq(), e.a(), e.b());
            }
            List<SpillSorter.Entry> got = new ArrayList<>();
            try (SpillSorter.Reader r = s.reader()) {
                while (r.hasNext()) {
                    got.add(r.next());
                }
            }
            assertEquals(expected, got);
        }
        try (var left = Files.list(dir)) {
            assertEquals(0, left.count(), "spill files deleted on close");
        }
    }

    @Test
    void smallInputsStayInMemory() throws Exception {
        Path dir = Files.createTempDirectory("spill");
        try (SpillSorter s = new SpillSorter(dir, "t", 1 << 20)) {
            s.add("b", "", 1, "x", null);
            s.add("a", "", 2, "y", null);
            s.add("a", "", 0, "z", null);
            try (SpillSorter.Reader r = s.reader()) {
                assertEquals("z", r.next().a());
                assertEquals("y", r.next().a());
                SpillSorter.Entry last = r.next();
                assertEquals("b", last.key());
                assertNull(last.b());
            }
            assertEquals(0, s.spills());
        }
    }

    @Test
    void streamingReaderNumbersLinesLikeTheWholeFileReader() {
        String text = "{\"a\":1}\n\n{bad\n  \n{\"b\":\"é\"}\n{\"c\":";
        List<String> got = new ArrayList<>();
        Jsonl.read("f", new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
                l -> got.add(l.number() + ":" + (l.ok() ? l.node().toString() : l.error().substring(0, l.error().indexOf(':', 8)))));
        assertEquals(List.of("1:{\"a\":1}", "3:line 3: unreadable JSON", "5:{\"b\":\"é\"}",
                "6:line 6: unreadable JSON (truncated last line)"), got);
    }

    private static List<SpillSorter.Entry> shuffled(List<SpillSorter.Entry> l, Random rnd) {
        List<SpillSorter.Entry> c = new ArrayList<>(l);
        java.util.Collections.shuffle(c, rnd);
        return c;
    }
}

package com.lakehouse.distilld.service;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;

/**
 * An external merge sort of {@link Entry entries} by (key, sub, seq): entries collect in memory up to a budget in
 * bytes, then the sorted batch spills to a file under the work directory; reading merges the files (at most
 * {@link #FAN_IN} open at once). Memory is the budget plus one entry per open file, whatever the number of entries.
 * Equal keys come out in {@code seq} order, so "first seen" and "last seen" keep their meaning.
 */
final class SpillSorter implements AutoCloseable {
    /** One sortable record: key, then a secondary order {@code sub}, then the sequence it was added in; a and b are payload. */
    record Entry(String key, String sub, long seq, String a, String b) {
        /** What the entry costs on the heap, estimated (UTF-16 worst case plus object headers). */
        long heapBytes() {
            return 96 + 2L * (key.length() + sub.length() + (a == null ? 0 : a.length()) + (b == null ? 0 : b.length()));
        }
    }

    static final Comparator<Entry> ORDER = Comparator.comparing(Entry::key).thenComparing(Entry::sub)
            .thenComparingLong(Entry::seq);
    static final int FAN_IN = 16;

    /** Reads entries in order; close it when done (a read may stop early). */
    interface Reader extends AutoCloseable {
        boolean hasNext();

        Entry peek();

        Entry next();

        @Override
        void close();
    }

    private final Path dir;
    private final String name;
    private final long budget;
    private final List<Entry> batch = new ArrayList<>();
    private final List<Path> spills = new ArrayList<>();
    private long batchBytes;
    private long count;
    private long maxBatchBytes;

    SpillSorter(Path dir, String name, long budgetBytes) {
        this.dir = dir;
        this.name = name;
        this.budget = Math.max(1, budgetBytes);
    }

    void add(String key, String sub, long seq, String a, String b) {
        Entry e = new Entry(key == null ? "" : key, sub == null ? "" : sub, seq, a, b);
        batch.add(e);
        batchBytes += e.heapBytes();
        maxBatchBytes = Math.max(maxBatchBytes, batchBytes);
        count++;
        if (batchBytes >= budget) {
            spill();
        }
    }

    long count() {
        return count;
    }

    /** The most the in-memory batch ever held (estimated bytes): what the budget bounds. */
    long maxBatchBytes() {
        return maxBatchBytes;
    }

    int spills() {
        return spills.size();
    }

    private void spill() {
        if (batch.isEmpty()) {
            return;
        }
        batch.sort(ORDER);
        Path f = dir.resolve(name + "-" + spills.size() + ".sort");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(f), 64 * 1024))) {
            for (Entry e : batch) {
                write(out, e);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not spill " + f, e);
        }
        spills.add(f);
        batch.clear();
        batchBytes = 0;
    }

    /** Everything added, in order. Adding after this is not allowed. */
    Reader reader() {
        if (spills.isEmpty()) {
            batch.sort(ORDER);
            return new ListReader(batch);
        }
        spill();
        // merge down to FAN_IN files so the final merge holds at most FAN_IN buffers
        int gen = 0;
        while (spills.size() > FAN_IN) {
            List<Path> group = new ArrayList<>(spills.subList(0, FAN_IN));
            Path merged = dir.resolve(name + "-m" + gen++ + ".sort");
            try (Reader r = new MergeReader(group);
                 DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(merged), 64 * 1024))) {
                while (r.hasNext()) {
                    write(out, r.next());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("could not merge " + merged, e);
            }
            for (Path p : group) {
                delete(p);
            }
            spills.subList(0, FAN_IN).clear();
            spills.add(merged);
        }
        return new MergeReader(new ArrayList<>(spills));
    }

    @Override
    public void close() {
        batch.clear();
        for (Path p : spills) {
            delete(p);
        }
        spills.clear();
    }

    private static void delete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // the export's work directory is removed as a whole afterwards
        }
    }

    private static void write(DataOutputStream out, Entry e) throws IOException {
        str(out, e.key());
        str(out, e.sub());
        out.writeLong(e.seq());
        str(out, e.a());
        str(out, e.b());
    }

    private static void str(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String str(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static Entry read(DataInputStream in) throws IOException {
        String key;
        try {
            key = str(in);
        } catch (EOFException end) {
            return null;
        }
        String sub = str(in);
        long seq = in.readLong();
        return new Entry(key, sub, seq, str(in), str(in));
    }

    private static final class ListReader implements Reader {
        private final List<Entry> list;
        private int i;

        ListReader(List<Entry> list) {
            this.list = list;
        }

        public boolean hasNext() {
            return i < list.size();
        }

        public Entry peek() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return list.get(i);
        }

        public Entry next() {
            Entry e = peek();
            list.set(i++, null);  // what was read can be collected
            return e;
        }

        public void close() {
        }
    }

    /** A k-way merge of sorted spill files. */
    private static final class MergeReader implements Reader {
        private record Head(Entry entry, DataInputStream in) {
        }

        private final PriorityQueue<Head> heads = new PriorityQueue<>((x, y) -> ORDER.compare(x.entry(), y.entry()));
        private final List<DataInputStream> open = new ArrayList<>();

        MergeReader(List<Path> files) {
            try {
                for (Path f : files) {
                    DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(f), 64 * 1024));
                    open.add(in);
                    Entry e = read(in);
                    if (e != null) {
                        heads.add(new Head(e, in));
                    }
                }
            } catch (IOException e) {
                close();
                throw new UncheckedIOException("could not open sorted runs", e);
            }
        }

        public boolean hasNext() {
            return !heads.isEmpty();
        }

        public Entry peek() {
            if (heads.isEmpty()) {
                throw new NoSuchElementException();
            }
            return heads.peek().entry();
        }

        public Entry next() {
            Head h = heads.poll();
            if (h == null) {
                throw new NoSuchElementException();
            }
            try {
                Entry e = read(h.in());
                if (e != null) {
                    heads.add(new Head(e, h.in()));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("could not read a sorted run", e);
            }
            return h.entry();
        }

        public void close() {
            for (DataInputStream in : open) {
                try {
                    in.close();
                } catch (IOException e) {
                    // read-only
                }
            }
        }
    }
}

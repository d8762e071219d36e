package com.lakehouse.validatord.service;

import java.time.Instant;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The worker roster, compact and immutable: one primitive array per column, strings interned into small
 * dictionaries (names, roles, cities, states, certifications), phone numbers as longs, emails as 64-bit
 * hashes. Rows are sorted by the numeric part of {@code W-<digits>} so the id index is the column itself
 * (binary search); phones and normalised names have sorted side indexes. Built by {@link Builder}.
 */
public final class Roster {
    public static final Roster EMPTY = new Builder(0).build("none", Instant.EPOCH, 0);

    private final int count;
    private final long[] idNum;          // sorted; Long.MAX_VALUE for ids outside W-<digits>
    private final byte[] idWidth;        // digit count of the id as written (keeps zero padding)
    private final Map<String, Integer> oddIds; // ids that are not W-<digits> (rare)
    private final String[] dict;
    private final int[] first, last, role, otherRoles, city, state, certs, zip;
    private final float[] payRate, availability, reliability;
    private final long[] emailHash;
    private final BitSet doNotPlace;
    private final long[] phoneSorted;
    private final int[] phoneRow;
    private final long[] nameSorted;
    private final int[] nameRow;
    private final String version;
    private final Instant loadedAt;
    private volatile long loadMs;
    private final Map<Long, Set<String>> roleSets = new ConcurrentHashMap<>();

    private Roster(Builder b, String version, Instant loadedAt, long loadMs) {
        int n = b.size;
        this.count = n;
        // Rows arrive sorted by id number when read with ORDER BY; only then are the builder's arrays kept as
        // they are (no second copy of the roster on the heap while building).
        boolean sorted = true;
        for (int i = 1; i < n && sorted; i++) {
            sorted = b.idNum[i - 1] <= b.idNum[i];
        }
        int[] perm = null;
        if (!sorted || b.idNum.length != n) {
            long[] keys = Arrays.copyOf(b.idNum, n);
            perm = new int[n];
            for (int i = 0; i < n; i++) {
                perm[i] = i;
            }
            if (!sorted) {
                quickSort(keys, perm, 0, n - 1);
                // make ties stable (quicksort is not): sort each run of equal keys by original row
                for (int i = 0; i < n; ) {
                    int j = i + 1;
                    while (j < n && keys[j] == keys[i]) {
                        j++;
                    }
                    if (j - i > 1) {
                        Arrays.sort(perm, i, j);
                    }
                    i = j;
                }
            }
        }
        this.idNum = permute(b.idNum, perm, n);
        this.idWidth = permute(b.idWidth, perm, n);
        this.first = permute(b.first, perm, n);
        this.last = permute(b.last, perm, n);
        this.role = permute(b.role, perm, n);
        this.otherRoles = permute(b.otherRoles, perm, n);
        this.city = permute(b.city, perm, n);
        this.state = permute(b.state, perm, n);
        this.certs = permute(b.certs, perm, n);
        this.zip = permute(b.zip, perm, n);
        this.payRate = permute(b.payRate, perm, n);
        this.availability = permute(b.availability, perm, n);
        this.reliability = permute(b.reliability, perm, n);
        this.emailHash = permute(b.emailHash, perm, n);
        long[] phones = permute(b.phone, perm, n);
        this.doNotPlace = new BitSet(n);
        Map<String, Integer> odd = new HashMap<>();
        for (int i = 0; i < n; i++) {
            int src = perm == null ? i : perm[i];
            if (b.doNotPlace.get(src)) {
                doNotPlace.set(i);
            }
            String o = b.oddIds.get(src);
            if (o != null) {
                odd.put(o, i);
            }
        }
        this.oddIds = odd;
        this.dict = b.dict.toArray(new String[0]);
        // phone index
        this.phoneRow = new int[n];
        this.phoneSorted = sortedIndex(phones, phoneRow, n);
        // normalise(first + " " + last) == normalise(first) + " " + normalise(last) (when both are non-empty),
        // so the dictionary is normalised once and the per-row hash allocates nothing
        String[] norm = new String[dict.length];
        for (int i = 0; i < dict.length; i++) {
            norm[i] = Names.normalise(dict[i]);
        }
        long[] names = new long[n];
        for (int i = 0; i < n; i++) {
            String f = norm[first[i]];
            String l = norm[last[i]];
            long h = hash64(FNV_OFFSET, f);
            if (!f.isEmpty() && !l.isEmpty()) {
                h = hash64(h, " ");
            }
            names[i] = hash64(h, l);
        }
        this.nameRow = new int[n];
        this.nameSorted = sortedIndex(names, nameRow, n);
        this.version = version;
        this.loadedAt = loadedAt;
        this.loadMs = loadMs;
    }

    public int count() {
        return count;
    }

    public String version() {
        return version;
    }

    public Instant loadedAt() {
        return loadedAt;
    }

    public long loadMs() {
        return loadMs;
    }

    /** Sets the load time measured by the caller (download included) before the roster is published. */
    public Roster withLoadMs(long ms) {
        this.loadMs = ms;
        return this;
    }

    /** Row of a worker id, or -1. Exact: {@code W-007} and {@code W-7} are different ids. */
    public int find(String workerId) {
        if (workerId == null) {
            return -1;
        }
        String id = workerId.trim();
        long num = parseId(id);
        if (num < 0) {
            Integer r = oddIds.get(id);
            return r == null ? -1 : r;
        }
        int width = id.length() - 2;
        int lo = 0;
        int hi = count - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long v = idNum[mid];
            if (v < num) {
                lo = mid + 1;
            } else if (v > num) {
                hi = mid - 1;
            } else {
                // walk the run of equal numbers for the same written width
                int i = mid;
                while (i > 0 && idNum[i - 1] == num) {
                    i--;
                }
                for (; i < count && idNum[i] == num; i++) {
                    if (idWidth[i] == width) {
                        return i;
                    }
                }
                return -1;
            }
        }
        return -1;
    }

    public boolean contains(String workerId) {
        return find(workerId) >= 0;
    }

    /** Rows whose phone (digits, US country code dropped) equals the given phone's; empty when none. */
    public int[] findByPhone(String phone) {
        long p = Names.phoneDigits(phone);
        return p <= 0 ? new int[0] : lookup(phoneSorted, phoneRow, p);
    }

    /** Rows whose normalised full name equals the given name's. */
    public int[] findByName(String name) {
        String norm = Names.normalise(name);
        if (norm.isEmpty()) {
            return new int[0];
        }
        int[] rows = lookup(nameSorted, nameRow, nameHash(norm));
        // drop hash collisions
        return Arrays.stream(rows).filter(r -> Names.normalise(fullName(r)).equals(norm)).toArray();
    }

    public String workerId(int row) {
        if (idNum[row] == Long.MAX_VALUE) {
            for (Map.Entry<String, Integer> e : oddIds.entrySet()) {
                if (e.getValue() == row) {
                    return e.getKey();
                }
            }
            return null;
        }
        String digits = Long.toString(idNum[row]);
        int pad = idWidth[row] - digits.length();
        return "W-" + (pad > 0 ? "0".repeat(pad) : "") + digits;
    }

    public String firstName(int row) {
        return dict[first[row]];
    }

    public String lastName(int row) {
        return dict[last[row]];
    }

    public String fullName(int row) {
        String f = dict[first[row]];
        String l = dict[last[row]];
        return l.isEmpty() ? f : f.isEmpty() ? l : f + " " + l;
    }

    public String role(int row) {
        return dict[role[row]];
    }

    public String otherRoles(int row) {
        return dict[otherRoles[row]];
    }

    public String city(int row) {
        return dict[city[row]];
    }

    public String state(int row) {
        return dict[state[row]];
    }

    public String certifications(int row) {
        return dict[certs[row]];
    }

    /** ZIP code as a number, -1 when unknown. */
    public int zip(int row) {
        return zip[row];
    }

    public float payRate(int row) {
        return payRate[row];
    }

    public float availability(int row) {
        return availability[row];
    }

    public float reliability(int row) {
        return reliability[row];
    }

    /** Active when availability is above 0 (DESIGN.md). */
    public boolean active(int row) {
        return availability[row] > 0f;
    }

    public boolean doNotPlace(int row) {
        return doNotPlace.get(row);
    }

    /** True when the roster has an email for this row and it equals the given address (case-insensitive). */
    public boolean emailMatches(int row, String email) {
        return emailHash[row] != 0 && email != null && emailHash[row] == emailHashOf(email);
    }

    /**
     * The first row whose roster email equals the address (case-insensitive), or -1. A scan of the hashes, no
     * index: it runs only when a message goes somewhere other than its candidate, and keeps the heap as it is.
     */
    public int findByEmail(String email) {
        long h = email == null ? 0 : emailHashOf(email);
        if (h == 0) {
            return -1;
        }
        for (int i = 0; i < count; i++) {
            if (emailHash[i] == h) {
                return i;
            }
        }
        return -1;
    }

    public boolean hasEmail(int row) {
        return emailHash[row] != 0;
    }

    /** Primary role plus other roles, lower-cased. */
    public Set<String> roles(int row) {
        long key = ((long) role[row] << 32) | (otherRoles[row] & 0xffffffffL);
        Set<String> cached = roleSets.get(key);
        if (cached != null) {
            return cached;
        }
        Set<String> s = new LinkedHashSet<>();
        addRoles(s, dict[role[row]]);
        addRoles(s, dict[otherRoles[row]]);
        Set<String> result = Set.copyOf(s);
        if (roleSets.size() < 100_000) {
            roleSets.put(key, result);
        }
        return result;
    }

    private static void addRoles(Set<String> s, String v) {
        if (v == null || v.isEmpty()) {
            return;
        }
        for (String r : v.split("[,;|]")) {
            String t = r.trim().toLowerCase(Locale.ROOT);
            if (!t.isEmpty()) {
                s.add(t);
            }
        }
    }

    /** The roster record as JSON-friendly map (for reports). */
    public Map<String, Object> record(int row) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("worker_id", workerId(row));
        m.put("name", fullName(row));
        m.put("role", role(row));
        m.put("city", city(row));
        m.put("state", state(row));
        m.put("active", active(row));
        return m;
    }

    static long parseId(String id) {
        int len = id.length();
        if (len < 3 || len > 20 || id.charAt(0) != 'W' || id.charAt(1) != '-') {
            return -1;
        }
        long v = 0;
        for (int i = 2; i < len; i++) {
            char c = id.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return len - 2 > 18 ? -1 : v;
    }

    /**
     * 64-bit hash of a lower-cased, trimmed email: the low half of its MD5, little-endian, which is what DuckDB's
     * {@code md5_number_lower} computes, so the loader hashes inside DuckDB. 0 means no email.
     */
    public static long emailHashOf(String email) {
        String e = email.trim().toLowerCase(Locale.ROOT);
        if (e.isEmpty()) {
            return 0;
        }
        try {
            java.security.MessageDigest md = MD5.get();
            md.reset();
            byte[] d = md.digest(e.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            long h = java.nio.ByteBuffer.wrap(d, 8, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
            return h == 0 ? 1 : h;
        } catch (RuntimeException x) {
            throw new IllegalStateException(x);
        }
    }

    private static final ThreadLocal<java.security.MessageDigest> MD5 = ThreadLocal.withInitial(() -> {
        try {
            return java.security.MessageDigest.getInstance("MD5");
        } catch (java.security.NoSuchAlgorithmException x) {
            throw new IllegalStateException(x);
        }
    });

    static long nameHash(String norm) {
        return hash64(norm);
    }

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;

    /** FNV-1a 64. */
    static long hash64(String s) {
        return hash64(FNV_OFFSET, s);
    }

    private static long hash64(long seed, String s) {
        long h = seed;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }

    private static int[] lookup(long[] sorted, int[] rows, long key) {
        int i = Arrays.binarySearch(sorted, key);
        if (i < 0) {
            return new int[0];
        }
        int lo = i;
        while (lo > 0 && sorted[lo - 1] == key) {
            lo--;
        }
        int hi = i;
        while (hi + 1 < sorted.length && sorted[hi + 1] == key) {
            hi++;
        }
        return Arrays.copyOfRange(rows, lo, hi + 1);
    }

    /** Sorts values in place (they become the index keys) and fills rows with the matching row numbers. */
    private static long[] sortedIndex(long[] values, int[] rows, int n) {
        for (int i = 0; i < n; i++) {
            rows[i] = i;
        }
        quickSort(values, rows, 0, n - 1);
        return values;
    }

    private static void quickSort(long[] v, int[] idx, int lo, int hi) {
        while (lo < hi) {
            if (hi - lo < 16) {
                for (int i = lo + 1; i <= hi; i++) {
                    long kv = v[i];
                    int ki = idx[i];
                    int j = i - 1;
                    while (j >= lo && v[j] > kv) {
                        v[j + 1] = v[j];
                        idx[j + 1] = idx[j];
                        j--;
                    }
                    v[j + 1] = kv;
                    idx[j + 1] = ki;
                }
                return;
            }
            long pivot = v[(lo + hi) >>> 1];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (v[i] < pivot) {
                    i++;
                }
                while (v[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    long tv = v[i];
                    v[i] = v[j];
                    v[j] = tv;
                    int ti = idx[i];
                    idx[i] = idx[j];
                    idx[j] = ti;
                    i++;
                    j--;
                }
            }
            if (j - lo < hi - i) {
                quickSort(v, idx, lo, j);
                lo = i;
            } else {
                quickSort(v, idx, i, hi);
                hi = j;
            }
        }
    }

    private static long[] permute(long[] a, int[] perm, int n) {
        if (perm == null) {
            return a;
        }
        long[] r = new long[n];
        for (int i = 0; i < n; i++) {
            r[i] = a[perm[i]];
        }
        return r;
    }

    private static int[] permute(int[] a, int[] perm, int n) {
        if (perm == null) {
            return a;
        }
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = a[perm[i]];
        }
        return r;
    }

    private static float[] permute(float[] a, int[] perm, int n) {
        if (perm == null) {
            return a;
        }
        float[] r = new float[n];
        for (int i = 0; i < n; i++) {
            r[i] = a[perm[i]];
        }
        return r;
    }

    private static byte[] permute(byte[] a, int[] perm, int n) {
        if (perm == null) {
            return a;
        }
        byte[] r = new byte[n];
        for (int i = 0; i < n; i++) {
            r[i] = a[perm[i]];
        }
        return r;
    }

    /** Accumulates rows; grows geometrically; {@link #build} sorts and indexes. Not thread-safe. */
    public static final class Builder {
        private int size;
        private long[] idNum;
        private byte[] idWidth;
        private int[] first, last, role, otherRoles, city, state, certs, zip;
        private float[] payRate, availability, reliability;
        private long[] emailHash, phone;
        private final BitSet doNotPlace = new BitSet();
        private final Map<Integer, String> oddIds = new HashMap<>();
        private final Map<String, Integer> codes = new HashMap<>();
        private final List<String> dict = new java.util.ArrayList<>();

        public Builder(int expected) {
            int cap = Math.max(16, expected);
            idNum = new long[cap];
            idWidth = new byte[cap];
            first = new int[cap];
            last = new int[cap];
            role = new int[cap];
            otherRoles = new int[cap];
            city = new int[cap];
            state = new int[cap];
            certs = new int[cap];
            zip = new int[cap];
            payRate = new float[cap];
            availability = new float[cap];
            reliability = new float[cap];
            emailHash = new long[cap];
            phone = new long[cap];
            code("");
        }

        /** A builder whose string columns are codes into {@code dictionary} (entry 0 must be the empty string). */
        public Builder(int expected, List<String> dictionary) {
            this(expected);
            if (dictionary.isEmpty() || !dictionary.get(0).isEmpty()) {
                throw new IllegalArgumentException("dictionary entry 0 must be the empty string");
            }
            dict.clear();
            codes.clear();
            for (String d : dictionary) {
                codes.put(d, dict.size());
                dict.add(d);
            }
        }

        public int size() {
            return size;
        }

        /**
         * Adds one worker whose strings are already dictionary codes, id already split (idNum &lt; 0: not
         * W-digits, then oddId is the id), phone already digits (0 = none) and email already hashed (0 = none).
         */
        public void addCoded(long idNum, int idDigits, String oddId, int firstCode, int lastCode, int roleCode,
                             int otherCode, int cityCode, int stateCode, int certCode, int zipCode, long phoneNum,
                             long emailH, float pay, float avail, float rel, boolean dnp) {
            if (size == idNum_length()) {
                grow();
            }
            int i = size++;
            if (idNum < 0) {
                if (oddId == null || oddId.isBlank()) {
                    size--;
                    throw new IllegalArgumentException("worker_id is empty in row " + (size + 1));
                }
                this.idNum[i] = Long.MAX_VALUE;
                oddIds.put(i, oddId.trim());
            } else {
                this.idNum[i] = idNum;
                idWidth[i] = (byte) idDigits;
            }
            first[i] = firstCode;
            last[i] = lastCode;
            role[i] = roleCode;
            otherRoles[i] = otherCode;
            city[i] = cityCode;
            state[i] = stateCode;
            certs[i] = certCode;
            zip[i] = zipCode;
            phone[i] = phoneNum;
            emailHash[i] = emailH;
            payRate[i] = pay;
            availability[i] = avail;
            reliability[i] = rel;
            if (dnp) {
                doNotPlace.set(i);
            }
        }

        private int idNum_length() {
            return idNum.length;
        }

        private int code(String s) {
            String v = s == null ? "" : s.trim();
            Integer c = codes.get(v);
            if (c == null) {
                c = dict.size();
                dict.add(v);
                codes.put(v, c);
            }
            return c;
        }

        /** Adds one worker; a blank worker id is refused with IllegalArgumentException. */
        public void add(String workerId, String firstName, String lastName, String roleName, String other,
                        String cityName, String stateName, String zipCode, String phoneNumber, String email,
                        String certifications, double pay, double avail, double rel, boolean dnp) {
            if (workerId == null || workerId.isBlank()) {
                throw new IllegalArgumentException("worker_id is empty in row " + (size + 1));
            }
            if (size == idNum.length) {
                grow();
            }
            int i = size++;
            String id = workerId.trim();
            long num = parseId(id);
            if (num < 0) {
                idNum[i] = Long.MAX_VALUE;
                oddIds.put(i, id);
            } else {
                idNum[i] = num;
                idWidth[i] = (byte) (id.length() - 2);
            }
            first[i] = code(firstName);
            last[i] = code(lastName);
            role[i] = code(roleName);
            otherRoles[i] = code(other);
            city[i] = code(cityName);
            state[i] = code(stateName);
            certs[i] = code(certifications);
            zip[i] = parseZip(zipCode);
            phone[i] = Names.phoneDigits(phoneNumber);
            emailHash[i] = email == null ? 0 : emailHashOf(email);
            payRate[i] = (float) pay;
            availability[i] = (float) avail;
            reliability[i] = (float) rel;
            if (dnp) {
                doNotPlace.set(i);
            }
        }

        private static int parseZip(String z) {
            if (z == null) {
                return -1;
            }
            String t = z.trim();
            if (t.isEmpty() || t.length() > 9) {
                return -1;
            }
            int v = 0;
            for (int k = 0; k < t.length(); k++) {
                char c = t.charAt(k);
                if (c < '0' || c > '9') {
                    return -1;
                }
                v = v * 10 + (c - '0');
            }
            return v;
        }

        private void grow() {
            int cap = idNum.length * 2;
            idNum = Arrays.copyOf(idNum, cap);
            idWidth = Arrays.copyOf(idWidth, cap);
            first = Arrays.copyOf(first, cap);
            last = Arrays.copyOf(last, cap);
            role = Arrays.copyOf(role, cap);
            otherRoles = Arrays.copyOf(otherRoles, cap);
            city = Arrays.copyOf(city, cap);
            state = Arrays.copyOf(state, cap);
            certs = Arrays.copyOf(certs, cap);
            zip = Arrays.copyOf(zip, cap);
            payRate = Arrays.copyOf(payRate, cap);
            availability = Arrays.copyOf(availability, cap);
            reliability = Arrays.copyOf(reliability, cap);
            emailHash = Arrays.copyOf(emailHash, cap);
            phone = Arrays.copyOf(phone, cap);
        }

        public Roster build(String version, Instant loadedAt, long loadMs) {
            return new Roster(this, version, loadedAt, loadMs);
        }
    }
}

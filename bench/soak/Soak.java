import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The soak of issue 24: mixed traffic through the gateway of a running stack at a fixed rate while, every
 * interval, a random daemon is kill -9'd (and restarted by the launcher, as systemd would) or paused (SIGSTOP for
 * 5 s), and S3 is paused once for 10 s. Then every acknowledged write is read back, each request is attributed to
 * the faults it overlapped, and a markdown report is printed and written. Exit 0 when every must holds.
 *
 * <pre>java bench/soak/Soak.java --stack NAME [--minutes 10] [--rate 30] [--interval 30] [--out report.md]
 *     [--targets embedd,vectord,...] [--grace-ms 7000] [--seed N]</pre>
 *
 * A single-file program with no dependencies (JSON fields are picked with patterns: the few ids it needs), so
 * bench/soak/run.sh and the fleet test (SoakTest) run the very same driver. Loopback only; every loop is bounded
 * in count and in time.
 */
public class Soak {
    /** Daemons that get faults (the gateway is the door the traffic measures, so it is not faulted). */
    static final List<String> FAULTABLE = List.of("embedd", "vectord", "matrixd", "chatd", "validatord", "distilld",
            "replayd", "observerd", "pathwayd", "catalogd");
    static final List<String> ALL = List.of("gateway", "embedd", "vectord", "matrixd", "chatd", "validatord",
            "distilld", "replayd", "observerd", "pathwayd", "catalogd");
    static final Map<String, Integer> OFFSET = Map.ofEntries(Map.entry("gateway", 0), Map.entry("embedd", 1),
            Map.entry("vectord", 2), Map.entry("matrixd", 3), Map.entry("chatd", 4), Map.entry("validatord", 5),
            Map.entry("distilld", 6), Map.entry("replayd", 7), Map.entry("observerd", 8), Map.entry("pathwayd", 9),
            Map.entry("catalogd", 10));
    /**
     * Which daemons each route needs (besides the gateway). A request overlapping a fault of any of them (or the
     * S3 outage, which every route is counted as needing) is "during a fault"; any other 5xx is a failure.
     */
    static final Map<String, List<String>> DEPS = new LinkedHashMap<>();
    static {
        DEPS.put("embed", List.of("embedd"));
        DEPS.put("matrix_search", List.of("matrixd", "embedd", "vectord"));
        DEPS.put("sql", List.of("catalogd"));
        DEPS.put("validate", List.of("validatord"));
        DEPS.put("pathway_upsert", List.of("pathwayd", "embedd", "vectord"));
        DEPS.put("vector_add", List.of("vectord"));
        DEPS.put("observe_event", List.of("observerd"));
        DEPS.put("catalog_ingest", List.of("catalogd"));
    }
    /** Relative weights of the routes in the request mix. */
    static final Map<String, Integer> WEIGHTS = Map.of("embed", 8, "matrix_search", 8, "sql", 6, "validate", 6,
            "pathway_upsert", 6, "vector_add", 8, "observe_event", 8, "catalog_ingest", 1);
    static final Pattern TRACE_UID = Pattern.compile("\"trace_uid\"\\s*:\\s*\"([^\"]+)\"");
    static final Pattern VERSION = Pattern.compile("\"version\"\\s*:\\s*(\\d+)");
    static final Pattern OP_ID = Pattern.compile("\"op_id\"\\s*:\\s*\"([^\"]+)\"");
    static final Pattern NEXT_CURSOR = Pattern.compile("\"next_cursor\"\\s*:\\s*\"?([^\",}]+)\"?");

    record Req(String route, long startMs, long endMs, int status, String ackId, String detail) {
    }

    record Fault(String target, String kind, long startMs, long endMs, long restartToReadyMs, String note) {
    }

    final Path root;
    final String stack;
    final Path run;
    final String gw;
    final String key;
    final int portBase;
    final double minutes;
    final int rate;
    final int intervalS;
    final long graceMs;
    final Path out;
    /** The daemons faults pick from, each once per round in random order. */
    final List<String> targets;
    final String runId = UUID.randomUUID().toString().substring(0, 8);
    final String index = "soak_" + runId;
    final String source = "soak-" + runId;
    final Random random;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3)).executor(Executors.newFixedThreadPool(8)).build();
    final ConcurrentLinkedQueue<Req> reqs = new ConcurrentLinkedQueue<>();
    final List<Fault> faults = Collections.synchronizedList(new ArrayList<>());
    final List<String> faultLog = Collections.synchronizedList(new ArrayList<>());
    final long t0 = System.currentTimeMillis();
    volatile long skipped;

    Soak(Map<String, String> a) throws IOException {
        root = Path.of(a.getOrDefault("root", ".")).toAbsolutePath().normalize();
        stack = a.getOrDefault("stack", "soak");
        run = root.resolve(".run").resolve(stack);
        Map<String, String> env = new TreeMap<>();
        for (String line : Files.readAllLines(run.resolve("stack.env"))) {
            int i = line.indexOf('=');
            if (i > 0) {
                env.put(line.substring(0, i).strip(), line.substring(i + 1).strip());
            }
        }
        portBase = Integer.parseInt(env.get("PORT_BASE"));
        gw = "http://127.0.0.1:" + portBase;
        key = Files.readString(run.resolve("api-key")).strip();
        minutes = Double.parseDouble(a.getOrDefault("minutes", "10"));
        rate = Integer.parseInt(a.getOrDefault("rate", "30"));
        intervalS = Integer.parseInt(a.getOrDefault("interval", "30"));
        graceMs = Long.parseLong(a.getOrDefault("grace-ms", "7000"));
        out = Path.of(a.getOrDefault("out", run.resolve("soak-report.md").toString()));
        targets = List.of(a.getOrDefault("targets", String.join(",", FAULTABLE)).split(","));
        if (!FAULTABLE.containsAll(targets)) {
            throw new IllegalArgumentException("--targets must be among " + FAULTABLE);
        }
        random = new Random(Long.parseLong(a.getOrDefault("seed", String.valueOf(System.nanoTime()))));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new TreeMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        System.exit(new Soak(a).soak() ? 0 : 1);
    }

    long now() {
        return System.currentTimeMillis() - t0;
    }

    void log(String s) {
        String line = String.format("[soak %7.1fs] %s", now() / 1000.0, s);
        System.out.println(line);
        System.out.flush();
    }

    // ---- the run ---------------------------------------------------------------------------------------------

    boolean soak() throws Exception {
        String load0 = Files.readString(Path.of("/proc/loadavg")).strip();
        log("stack " + stack + ", gateway " + gw + ", " + minutes + " min at " + rate + " req/s, faults every "
                + intervalS + " s, run " + runId);
        waitAllReady(Duration.ofMinutes(3));
        HttpResponse<String> created = call("POST", "/v1/vectors/index", "{\"name\":\"" + index + "\",\"dimension\":8}", null);
        if (created.statusCode() / 100 != 2) {
            throw new IllegalStateException("cannot create index " + index + ": " + created.statusCode() + " " + created.body());
        }
        Map<String, Long> rssBefore = rssAll();
        long durationMs = (long) (minutes * 60_000);
        long trafficStart = now();
        Thread faulter = new Thread(() -> faults(trafficStart, durationMs), "soak-faults");
        faulter.setDaemon(true);
        faulter.start();
        traffic(trafficStart, durationMs);
        faulter.join(Duration.ofMinutes(4).toMillis());
        if (faulter.isAlive()) {
            log("fault thread still running after 4 min; interrupting");
            faulter.interrupt();
        }
        log("traffic done: " + reqs.size() + " requests; waiting for the fleet to be ready");
        waitAllReady(Duration.ofMinutes(3));
        Map<String, long[]> readBack = readBack();
        Map<String, Long> rssAfter = rssAll();
        String load1 = Files.readString(Path.of("/proc/loadavg")).strip();
        return report(rssBefore, rssAfter, readBack, load0, load1);
    }

    /** Fixed-rate open loop: one request every 1/rate s, never more than 64 in flight (else counted as skipped). */
    void traffic(long start, long durationMs) throws InterruptedException {
        List<String> mix = new ArrayList<>();
        WEIGHTS.forEach((r, w) -> {
            for (int i = 0; i < w; i++) {
                mix.add(r);
            }
        });
        Collections.shuffle(mix, random);
        Semaphore inFlight = new Semaphore(64);
        ExecutorService workers = Executors.newFixedThreadPool(64);
        long periodNs = 1_000_000_000L / rate;
        long next = System.nanoTime();
        long n = 0;
        long lastLog = now();
        while (now() - start < durationMs) {
            String route = mix.get((int) (n % mix.size()));
            long seq = n++;
            if (inFlight.tryAcquire()) {
                workers.submit(() -> {
                    try {
                        one(route, seq);
                    } finally {
                        inFlight.release();
                    }
                });
            } else {
                skipped++;
            }
            if (now() - lastLog > 15_000) {
                lastLog = now();
                log(reqs.size() + " requests done, " + (64 - inFlight.availablePermits()) + " in flight, " + skipped + " skipped");
            }
            next += periodNs;
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
                TimeUnit.NANOSECONDS.sleep(sleep);
            }
        }
        workers.shutdown();
        if (!workers.awaitTermination(60, TimeUnit.SECONDS)) {
            workers.shutdownNow();
        }
    }

    void one(String route, long seq) {
        String id = runId + "-" + seq;
        long s = now();
        String ack = null;
        int status;
        String detail = "";
        try {
            HttpResponse<String> r = switch (route) {
                case "embed" -> call("POST", "/v1/embed", "{\"texts\":[\"forklift operator night shift " + (seq % 50) + "\"]}", null);
                case "matrix_search" -> call("POST", "/v1/matrix/search", "{\"query_text\":\"Need 2 forklift operators in Detroit "
                        + (seq % 20) + "\",\"corpora\":[\"workers\"],\"k\":5}", null);
                case "sql" -> call("POST", "/v1/sql", "{\"sql\":\"SELECT role, count(*) AS n FROM workers GROUP BY role ORDER BY n DESC\",\"limit\":20}", null);
                case "validate" -> call("POST", "/v1/validate", "{\"kind\":\"email\",\"artifact\":{\"subject\":\"Shift " + seq
                        + "\",\"body\":\"Hello, your shift at the Detroit warehouse starts at 7am.\"},\"context\":{}}", null);
                case "pathway_upsert" -> call("POST", "/v1/pathway/upsert", "{\"task_class\":\"fill\",\"subject\":\"soak " + id
                        + "\",\"signal_class\":\"validated\",\"role\":\"Forklift Operator\",\"tags\":[\"soak\"],"
                        + "\"content\":{\"steps\":[\"search\",\"validate\",\"email\"],\"verdict\":\"filled " + id + "\"}}", null);
                case "vector_add" -> call("POST", "/v1/vectors/index/" + index + "/add", "{\"items\":[{\"id\":\"" + id
                        + "\",\"vector\":" + vector(seq) + ",\"metadata\":{\"soak\":\"" + runId + "\"}}]}", null);
                case "observe_event" -> call("POST", "/v1/observer/event", "{\"op_id\":\"" + id + "\",\"source\":\"" + source
                        + "\",\"endpoint\":\"/soak\",\"success\":true,\"latency_ms\":1}", null);
                case "catalog_ingest" -> call("POST", "/v1/ingest/" + index + "_" + (seq % 3) + "?wait=true",
                        "id,name,n\n1,a" + seq + "," + seq + "\n2,b" + seq + "," + (seq + 1) + "\n", "text/csv");
                default -> throw new IllegalStateException(route);
            };
            status = r.statusCode();
            if (status / 100 == 2) {
                ack = switch (route) {
                    case "pathway_upsert" -> first(TRACE_UID, r.body());
                    case "vector_add", "observe_event" -> id;
                    case "catalog_ingest" -> {
                        String v = first(VERSION, r.body());
                        yield v == null ? null : index + "_" + (seq % 3) + "@" + v;
                    }
                    default -> null;
                };
                if (ack == null && List.of("pathway_upsert", "vector_add", "observe_event", "catalog_ingest").contains(route)) {
                    detail = "2xx without an id: " + abbreviate(r.body());
                    if (route.equals("catalog_ingest") && status == 202) {
                        detail = "202 (not waited for; not counted as acked): " + abbreviate(r.body());
                    }
                }
            }
            if (status >= 500) {
                detail = abbreviate(r.body());
            }
        } catch (java.net.http.HttpTimeoutException e) {
            status = -1;
            detail = "client timeout";
        } catch (IOException e) {
            status = 0;
            detail = e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = 0;
            detail = "interrupted";
        }
        reqs.add(new Req(route, s, now(), status, ack, detail));
    }

    String vector(long seq) {
        Random r = new Random(seq);
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < 8; i++) {
            sb.append(i == 0 ? "" : ",").append(String.format("%.4f", r.nextDouble() - 0.5));
        }
        return sb.append(']').toString();
    }

    // ---- faults ----------------------------------------------------------------------------------------------

    void faults(long start, long durationMs) {
        try {
            int slot = 1;
            boolean s3Done = false;
            List<String> bag = new ArrayList<>();
            while (true) {
                long at = start + slot * intervalS * 1000L;
                if (!s3Done && slot == 2) {
                    // S3 once, half way between the first and the second daemon fault.
                    long s3At = start + (long) (1.5 * intervalS * 1000);
                    if (s3At + 10_000 > start + durationMs - 5_000) {
                        break;
                    }
                    sleepUntil(s3At);
                    s3Pause();
                    s3Done = true;
                }
                if (at > start + durationMs - 20_000) {
                    break;
                }
                sleepUntil(at);
                if (bag.isEmpty()) {
                    bag.addAll(targets);
                    Collections.shuffle(bag, random);
                }
                String d = bag.remove(0);
                // kill -9 and SIGSTOP alternate (kill first), so even a 2-minute run has both.
                if (slot % 2 == 1) {
                    killAndRestart(d);
                } else {
                    pause(d, 5_000);
                }
                slot++;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log("fault thread failed: " + e);
            faultLog.add(String.format("%7.1fs fault thread failed: %s", now() / 1000.0, e));
        }
    }

    void sleepUntil(long t) throws InterruptedException {
        long d = t - now();
        if (d > 0) {
            Thread.sleep(d);
        }
    }

    long pid(String name) throws IOException {
        return Long.parseLong(Files.readString(run.resolve("pids").resolve(name + ".pid")).strip());
    }

    void killAndRestart(String d) throws Exception {
        long pid = pid(d);
        long s = now();
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        note(d + " kill -9 (pid " + pid + ")");
        for (int i = 0; i < 200 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false); i++) {
            Thread.sleep(50);
        }
        long r0 = now();
        note(d + " ./lakehouse restart");
        Process p = new ProcessBuilder("bash", root.resolve("lakehouse").toString(), "restart", d, "--stack", stack)
                .directory(root.toFile()).redirectErrorStream(true).start();
        String outText = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        boolean done = p.waitFor(4, TimeUnit.MINUTES);
        int exit = done ? p.exitValue() : -1;
        // The launcher waited for ready; confirm on the daemon's own port (bounded).
        long deadline = now() + 180_000;
        while (!ready(d) && now() < deadline) {
            Thread.sleep(250);
        }
        long e = now();
        String n = "restart exit " + exit + (exit == 0 ? "" : ": " + abbreviate(outText));
        faults.add(new Fault(d, "kill -9", s, e, e - r0, n));
        note(d + " ready again (" + (e - r0) + " ms after the restart began; " + n + ")");
    }

    void pause(String d, long ms) throws Exception {
        long pid = pid(d);
        long s = now();
        signal("STOP", pid);
        note(d + " SIGSTOP (pid " + pid + ") for " + ms + " ms");
        Thread.sleep(ms);
        signal("CONT", pid);
        long e = now();
        note(d + " SIGCONT");
        faults.add(new Fault(d, "SIGSTOP " + ms / 1000 + " s", s, e, 0, ""));
    }

    void s3Pause() throws Exception {
        long pid = pid("s3proxy");
        long s = now();
        signal("STOP", pid);
        note("s3 SIGSTOP (s3proxy pid " + pid + ") for 10000 ms");
        Thread.sleep(10_000);
        signal("CONT", pid);
        long e = now();
        note("s3 SIGCONT");
        faults.add(new Fault("s3", "SIGSTOP 10 s", s, e, 0, ""));
    }

    void signal(String sig, long pid) throws Exception {
        Process p = new ProcessBuilder("kill", "-" + sig, String.valueOf(pid)).redirectErrorStream(true).start();
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("kill -" + sig + " " + pid + " failed");
        }
    }

    void note(String s) {
        faultLog.add(String.format("%s  %7.1fs  %s", Instant.now(), now() / 1000.0, s));
        log(s);
    }

    // ---- read-back -------------------------------------------------------------------------------------------

    /** route -> {acked, found}; every lookup bounded (3 tries, 20 s each). */
    Map<String, long[]> readBack() throws Exception {
        Map<String, long[]> res = new LinkedHashMap<>();
        Map<String, List<String>> acked = new LinkedHashMap<>();
        for (Req r : reqs) {
            if (r.ackId() != null) {
                acked.computeIfAbsent(r.route(), k -> new ArrayList<>()).add(r.ackId());
            }
        }
        log("read-back of " + acked.values().stream().mapToInt(List::size).sum() + " acknowledged writes");
        // Observed events: page through /ops of this run's source and collect the op ids.
        Set<String> ops = new HashSet<>();
        String cursor = null;
        for (int page = 0; page < 1000; page++) {
            String q = "/v1/observer/ops?source=" + enc(source) + "&limit=1000" + (cursor == null ? "" : "&cursor=" + enc(cursor));
            HttpResponse<String> r = retry("GET", q);
            if (r.statusCode() != 200) {
                log("observer ops read failed: " + r.statusCode() + " " + abbreviate(r.body()));
                break;
            }
            Matcher m = OP_ID.matcher(r.body());
            while (m.find()) {
                ops.add(m.group(1));
            }
            String next = first(NEXT_CURSOR, r.body());
            if (next == null || next.equals("null")) {
                break;
            }
            cursor = next;
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        for (Map.Entry<String, List<String>> e : acked.entrySet()) {
            String route = e.getKey();
            List<String> ids = e.getValue();
            long found;
            if (route.equals("observe_event")) {
                found = ids.stream().filter(ops::contains).count();
                ids.stream().filter(i -> !ops.contains(i)).limit(10).forEach(i -> log("observed event not found: " + i));
            } else {
                List<java.util.concurrent.Future<Boolean>> fs = new ArrayList<>();
                for (String id : ids) {
                    fs.add(pool.submit(() -> {
                        String path = switch (route) {
                            case "pathway_upsert" -> "/v1/pathway/traces/" + enc(id);
                            case "vector_add" -> "/v1/vectors/index/" + index + "/items/" + enc(id);
                            case "catalog_ingest" -> "/v1/catalog/datasets/" + id.substring(0, id.indexOf('@'))
                                    + "?version=" + id.substring(id.indexOf('@') + 1);
                            default -> throw new IllegalStateException(route);
                        };
                        HttpResponse<String> r = retry("GET", path);
                        if (r.statusCode() != 200) {
                            log(route + " not found: " + id + " -> " + r.statusCode() + " " + abbreviate(r.body()));
                        }
                        return r.statusCode() == 200;
                    }));
                }
                found = 0;
                for (var f : fs) {
                    if (f.get(2, TimeUnit.MINUTES)) {
                        found++;
                    }
                }
            }
            res.put(route, new long[] {ids.size(), found});
        }
        pool.shutdown();
        return res;
    }

    HttpResponse<String> retry(String method, String path) throws Exception {
        HttpResponse<String> last = null;
        for (int i = 0; i < 3; i++) {
            try {
                last = call(method, path, null, null);
                if (last.statusCode() < 500) {
                    return last;
                }
            } catch (IOException e) {
                if (i == 2) {
                    throw e;
                }
            }
            Thread.sleep(1000);
        }
        return last;
    }

    // ---- report ----------------------------------------------------------------------------------------------

    boolean report(Map<String, Long> before, Map<String, Long> after, Map<String, long[]> readBack, String load0,
            String load1) throws IOException {
        List<Req> all = new ArrayList<>(reqs);
        StringBuilder md = new StringBuilder();
        List<String> failures = new ArrayList<>();
        md.append("soak: stack ").append(stack).append(", ").append(Instant.ofEpochMilli(t0)).append(", ")
                .append(minutes).append(" min at ").append(rate).append(" req/s, faults every ").append(intervalS)
                .append(" s, grace ").append(graceMs).append(" ms after each fault\n");
        md.append("load average before ").append(load0).append(", after ").append(load1).append(", ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores\n\n");

        // Requests by route and status, split by whether the request overlapped a fault of something it needs.
        Map<String, Map<Integer, Long>> byRoute = new TreeMap<>();
        Map<String, long[]> faultSplit = new TreeMap<>(); // route -> {5xx during fault, 5xx healthy}
        List<Req> healthy5xx = new ArrayList<>();
        for (Req r : all) {
            byRoute.computeIfAbsent(r.route(), k -> new TreeMap<>()).merge(r.status(), 1L, Long::sum);
            boolean bad = r.status() >= 500 || r.status() <= 0;
            if (bad) {
                long[] split = faultSplit.computeIfAbsent(r.route(), k -> new long[2]);
                if (duringFault(r)) {
                    split[0]++;
                } else {
                    split[1]++;
                    healthy5xx.add(r);
                }
            }
        }
        md.append("| route | needs | requests | by status | 5xx/errors during a fault | 5xx/errors healthy |\n|---|---|---|---|---|---|\n");
        for (var e : byRoute.entrySet()) {
            long total = e.getValue().values().stream().mapToLong(Long::longValue).sum();
            StringBuilder st = new StringBuilder();
            e.getValue().forEach((s, c) -> st.append(st.isEmpty() ? "" : ", ").append(statusName(s)).append(": ").append(c));
            long[] split = faultSplit.getOrDefault(e.getKey(), new long[2]);
            md.append("| ").append(e.getKey()).append(" | ").append(String.join("+", DEPS.get(e.getKey())))
                    .append(" | ").append(total).append(" | ").append(st).append(" | ").append(split[0]).append(" | ")
                    .append(split[1]).append(" |\n");
        }
        md.append("\nrequests: ").append(all.size()).append(", not sent because 64 were in flight: ").append(skipped).append("\n");
        if (!healthy5xx.isEmpty()) {
            failures.add(healthy5xx.size() + " 5xx/errors on routes whose daemons were healthy");
            md.append("\n5xx on healthy routes (first 20):\n\n");
            healthy5xx.stream().limit(20).forEach(r -> md.append("- ").append(String.format("%.1f-%.1fs", r.startMs() / 1000.0,
                    r.endMs() / 1000.0)).append(' ').append(r.route()).append(' ').append(statusName(r.status())).append(": ")
                    .append(r.detail()).append('\n'));
        }
        List<Req> notAcked = all.stream().filter(r -> r.status() / 100 == 2 && r.ackId() == null && !r.detail().isEmpty()).toList();
        if (!notAcked.isEmpty()) {
            md.append("\n2xx writes without an id to read back: ").append(notAcked.size()).append(" (first: ")
                    .append(notAcked.get(0).detail()).append(")\n");
        }

        md.append("\n| write | acknowledged | read back |\n|---|---|---|\n");
        long ackedTotal = 0;
        for (var e : readBack.entrySet()) {
            md.append("| ").append(e.getKey()).append(" | ").append(e.getValue()[0]).append(" | ").append(e.getValue()[1]).append(" |\n");
            ackedTotal += e.getValue()[0];
            if (e.getValue()[0] != e.getValue()[1]) {
                failures.add(e.getKey() + ": " + (e.getValue()[0] - e.getValue()[1]) + " acknowledged writes not read back");
            }
        }
        if (ackedTotal == 0) {
            failures.add("no write was acknowledged");
        }

        md.append("\nfaults (time since start; a request counts as during a fault when it overlapped the window plus ")
                .append(graceMs).append(" ms):\n\n| target | fault | from | to | restart to ready |\n|---|---|---|---|---|\n");
        for (Fault f : faults) {
            md.append("| ").append(f.target()).append(" | ").append(f.kind()).append(" | ").append(String.format("%.1fs", f.startMs() / 1000.0))
                    .append(" | ").append(String.format("%.1fs", f.endMs() / 1000.0)).append(" | ")
                    .append(f.kind().startsWith("kill") ? f.restartToReadyMs() + " ms" + (f.note().contains("exit 0") ? "" : " (" + f.note() + ")") : "-")
                    .append(" |\n");
        }
        long s3Faults = faults.stream().filter(f -> f.target().equals("s3")).count();
        if (faults.stream().noneMatch(f -> !f.target().equals("s3")) || s3Faults != 1) {
            failures.add("expected daemon faults and one S3 outage, got " + faults.size() + " faults (" + s3Faults + " S3)");
        }
        md.append("\nfault log:\n\n```\n");
        synchronized (faultLog) {
            faultLog.forEach(l -> md.append(l).append('\n'));
        }
        md.append("```\n");

        md.append("\nRSS in MB (bound: after <= max(1.5 x before, before + 64 MB); a restarted daemon is a new process)\n\n")
                .append("| daemon | before | after | ok |\n|---|---|---|---|\n");
        for (String d : ALL) {
            long b = before.getOrDefault(d, -1L), a = after.getOrDefault(d, -1L);
            boolean ok = a >= 0 && b >= 0 && a <= Math.max(b * 3 / 2, b + 64);
            if (!ok) {
                failures.add(d + " RSS " + b + " MB -> " + a + " MB");
            }
            md.append("| ").append(d).append(" | ").append(b).append(" | ").append(a).append(" | ").append(ok ? "yes" : "NO").append(" |\n");
        }
        md.append("\nmusts: ").append(failures.isEmpty() ? "all met" : "FAILED: " + String.join("; ", failures)).append('\n');
        System.out.println();
        System.out.println(md);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, md.toString());
        System.out.println("SOAK " + (failures.isEmpty() ? "PASS" : "FAIL") + " report: " + out);
        return failures.isEmpty();
    }

    boolean duringFault(Req r) {
        List<String> deps = DEPS.get(r.route());
        synchronized (faults) {
            for (Fault f : faults) {
                if ((f.target().equals("s3") || deps.contains(f.target()))
                        && r.startMs() <= f.endMs() + graceMs && r.endMs() >= f.startMs()) {
                    return true;
                }
            }
        }
        // A fault still in progress when the traffic ended has no window yet: count it as open.
        return false;
    }

    static String statusName(int s) {
        return s == 0 ? "conn_error" : s == -1 ? "timeout" : String.valueOf(s);
    }

    // ---- plumbing --------------------------------------------------------------------------------------------

    HttpResponse<String> call(String method, String path, String body, String contentType) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw + path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + key);
        if (body != null) {
            b.header("Content-Type", contentType == null ? "application/json" : contentType)
                    .method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    boolean ready(String d) {
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + (portBase + OFFSET.get(d))
                    + (d.equals("gateway") ? "/health" : "/q/health/ready"))).timeout(Duration.ofSeconds(3)).GET().build();
            return http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    void waitAllReady(Duration max) throws InterruptedException {
        long deadline = now() + max.toMillis();
        for (String d : ALL) {
            while (!ready(d)) {
                if (now() > deadline) {
                    throw new IllegalStateException(d + " not ready within " + max);
                }
                Thread.sleep(500);
            }
        }
    }

    Map<String, Long> rssAll() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (String d : ALL) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid(d)), "status"))) {
                    if (line.startsWith("VmRSS:")) {
                        m.put(d, Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024);
                    }
                }
            } catch (IOException | RuntimeException e) {
                m.put(d, -1L);
            }
        }
        return m;
    }

    static String first(Pattern p, String s) {
        Matcher m = p.matcher(s == null ? "" : s);
        return m.find() ? m.group(1) : null;
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static String abbreviate(String s) {
        s = s == null ? "" : s.replace('\n', ' ');
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}

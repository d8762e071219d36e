package com.lakehouse.datagen;

import com.lakehouse.contracts.roles.Role;
import com.lakehouse.contracts.roles.RoleTaxonomy;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Seeded staffing data. Every row is a pure function of (seed, kind, index): the same seed gives the same
 * bytes, rows can be streamed without holding the table in memory, and a playbook can refer to worker i by
 * recomputing it. Tables: workers, job orders, playbooks (with deliberate cross-role look-alikes), and
 * observed runs for the learning loop (a share of them bad on purpose).
 */
public final class StaffingGenerator {
    /** Worker ids are W- plus six digits from 1; phantom ids in bad runs start at 9,000,000 (never issued). */
    static final int PHANTOM_BASE = 9_000_000;
    private static final Instant EPOCH = Instant.parse("2026-11-01T08:00:00Z");

    private final long seed;
    private final int workerCount;
    private final List<Role> roles;
    private final List<Vocabulary.Client> goodClients;
    private final List<Vocabulary.Client> blacklisted;

    public StaffingGenerator(long seed, int workerCount) {
        if (workerCount < 1) {
            throw new IllegalArgumentException("at least one worker is needed");
        }
        this.seed = seed;
        this.workerCount = workerCount;
        this.roles = RoleTaxonomy.all();
        this.goodClients = Vocabulary.CLIENTS.stream().filter(c -> !c.blacklisted()).toList();
        this.blacklisted = Vocabulary.CLIENTS.stream().filter(Vocabulary.Client::blacklisted).toList();
    }

    // ---- workers ---------------------------------------------------------------------------------------------

    public static final List<Column> WORKER_COLUMNS = List.of(
            new Column("worker_id", "VARCHAR"), new Column("first_name", "VARCHAR"), new Column("last_name", "VARCHAR"),
            new Column("role", "VARCHAR"), new Column("other_roles", "VARCHAR"), new Column("city", "VARCHAR"),
            new Column("state", "VARCHAR"), new Column("zip", "VARCHAR"), new Column("phone", "VARCHAR"),
            new Column("email", "VARCHAR"), new Column("certifications", "VARCHAR"), new Column("pay_rate", "DOUBLE"),
            new Column("availability", "DOUBLE"), new Column("status", "VARCHAR"), new Column("reliability", "DOUBLE"),
            new Column("do_not_place", "BOOLEAN"));

    public static String workerId(int i) {
        return "W-" + pad(i + 1, 6);
    }

    /** Zero-padded decimal; String.format is the generator's hot spot at 500k rows. */
    static String pad(int v, int width) {
        String s = Integer.toString(v);
        return s.length() >= width ? s : "0".repeat(width - s.length()) + s;
    }

    private static final java.util.regex.Pattern NOT_EMAIL = java.util.regex.Pattern.compile("[^a-z.]");

    /** Worker i (0-based). */
    public Map<String, Object> worker(int i) {
        SplittableRandom r = rng(1, i);
        Role role = pickRole(r);
        Vocabulary.City city = pickCity(r);
        String first = pick(r, Vocabulary.FIRST_NAMES);
        String last = pick(r, Vocabulary.LAST_NAMES);
        List<String> others = new ArrayList<>();
        int nOthers = r.nextInt(3);
        for (int k = 0; k < nOthers; k++) {
            Role o = pickRole(r);
            if (!o.id().equals(role.id()) && !others.contains(o.displayName())) {
                others.add(o.displayName());
            }
        }
        double availability = r.nextDouble() < 0.15 ? 0.0 : 8 + r.nextInt(33);
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("worker_id", workerId(i));
        w.put("first_name", first);
        w.put("last_name", last);
        w.put("role", role.displayName());
        w.put("other_roles", String.join(";", others));
        w.put("city", city.name());
        w.put("state", city.state());
        w.put("zip", city.zipPrefix() + pad(r.nextInt(100), 2));
        w.put("phone", "(" + city.areaCode() + ") 555-" + pad(r.nextInt(10000), 4));
        w.put("email", NOT_EMAIL.matcher((first + "." + last).toLowerCase(Locale.ROOT)).replaceAll("")
                + (i + 1) + "@example.com");
        w.put("certifications", String.join(";", certsFor(role, r, 3)));
        w.put("pay_rate", round2(basePay(role) + r.nextDouble() * 6));
        w.put("availability", availability);
        w.put("status", availability > 0 ? "active" : "inactive");
        w.put("reliability", round2(0.5 + r.nextDouble() * 0.5));
        w.put("do_not_place", r.nextDouble() < 0.02);
        return w;
    }

    // ---- job orders ------------------------------------------------------------------------------------------

    public static final List<Column> JOB_COLUMNS = List.of(
            new Column("job_id", "VARCHAR"), new Column("client", "VARCHAR"), new Column("role", "VARCHAR"),
            new Column("city", "VARCHAR"), new Column("state", "VARCHAR"), new Column("target_count", "INTEGER"),
            new Column("pay_rate", "DOUBLE"), new Column("bill_rate", "DOUBLE"), new Column("start_date", "DATE"),
            new Column("shift", "VARCHAR"), new Column("required_certifications", "VARCHAR"),
            new Column("status", "VARCHAR"), new Column("description", "VARCHAR"));

    public Map<String, Object> jobOrder(int j) {
        SplittableRandom r = rng(2, j);
        Role role = pickRole(r);
        Vocabulary.City city = pickCity(r);
        Vocabulary.Client client = r.nextDouble() < 0.05 ? pick(r, blacklisted) : pick(r, goodClients);
        double pay = round2(basePay(role) + 1 + r.nextDouble() * 6);
        String shift = pick(r, Vocabulary.SHIFTS);
        int target = 1 + r.nextInt(12);
        List<String> certs = certsFor(role, r, 2);
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("job_id", String.format(Locale.ROOT, "J-%05d", j + 1));
        o.put("client", client.name());
        o.put("role", role.displayName());
        o.put("city", city.name());
        o.put("state", city.state());
        o.put("target_count", target);
        o.put("pay_rate", pay);
        o.put("bill_rate", round2(pay * (1.35 + r.nextDouble() * 0.25)));
        o.put("start_date", LocalDate.of(2026, 12, 1).plusDays(r.nextInt(60)).toString());
        o.put("shift", shift);
        o.put("required_certifications", String.join(";", certs));
        o.put("status", "open");
        o.put("description", client.name() + " needs " + target + " " + plural(role, target) + " in " + city.name()
                + ", " + city.state() + " on " + shift + " shift" + (certs.isEmpty() ? "" : " (" + String.join(", ", certs) + ")"));
        return o;
    }

    // ---- playbooks -------------------------------------------------------------------------------------------

    public static final List<Column> PLAYBOOK_COLUMNS = List.of(
            new Column("playbook_id", "VARCHAR"), new Column("query_text", "VARCHAR"), new Column("answer_id", "VARCHAR"),
            new Column("answer_corpus", "VARCHAR"), new Column("score", "DOUBLE"), new Column("tags", "VARCHAR"),
            new Column("role", "VARCHAR"), new Column("client", "VARCHAR"), new Column("city", "VARCHAR"),
            new Column("state", "VARCHAR"), new Column("shift", "VARCHAR"), new Column("query_style", "VARCHAR"),
            new Column("notes", "VARCHAR"));

    public static final List<String> QUERY_STYLES = List.of("need", "client_first", "looking", "shorthand");

    /**
     * Playbook p. Odd playbooks are look-alikes of the even one before them: same client, city, shift and
     * certification words, another role and another worker, so retrieval without a role gate would bleed.
     */
    public Map<String, Object> playbook(int p) {
        SplittableRandom scene = rng(3, p - (p % 2));   // shared by the pair
        Vocabulary.Client client = pick(scene, goodClients);
        String shift = pick(scene, Vocabulary.SHIFTS);
        int anchorWorker = scene.nextInt(workerCount);
        Map<String, Object> anchor = worker(anchorWorker);
        Role anchorRole = RoleTaxonomy.canonical((String) anchor.get("role")).flatMap(RoleTaxonomy::byId).orElseThrow();
        List<String> sharedCerts = certsFor(anchorRole, scene, 2);
        String city = (String) anchor.get("city");
        String state = (String) anchor.get("state");

        SplittableRandom r = rng(4, p);
        Map<String, Object> answer = anchor;
        Role role = anchorRole;
        if (p % 2 == 1) {
            // Find a worker of another role (preferably in the same city) to be the look-alike's answer.
            for (int attempt = 0; attempt < 64; attempt++) {
                Map<String, Object> candidate = worker(r.nextInt(workerCount));
                Role cr = RoleTaxonomy.canonical((String) candidate.get("role")).flatMap(RoleTaxonomy::byId).orElseThrow();
                if (!cr.id().equals(anchorRole.id())) {
                    answer = candidate;
                    role = cr;
                    if (city.equals(candidate.get("city")) || attempt > 48) {
                        break;
                    }
                }
            }
        }
        int count = 1 + r.nextInt(6);
        // The pair member after the anchor uses the next style, so every style meets every role over the pairs.
        String style = QUERY_STYLES.get((p / 2 + p % 2) % 4);
        String query = switch (style) {
            case "need" -> "Need " + count + " " + plural(role, count) + " in " + city;
            case "client_first" -> client.name() + " needs " + count + " " + plural(role, count) + " in " + city;
            case "looking" -> "Looking for " + count + " " + plural(role, count) + " at " + client.name() + " " + city;
            default -> shortName(role) + " " + city.toLowerCase(Locale.ROOT) + " " + shiftWord(shift);
        };
        List<String> tags = new ArrayList<>();
        tags.add(slug(client.name()));
        tags.add(slug(city));
        tags.add(shift);
        sharedCerts.forEach(c -> tags.add(slug(c)));
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("playbook_id", String.format(Locale.ROOT, "P-%06d", p + 1));
        b.put("query_text", query);
        b.put("answer_id", answer.get("worker_id"));
        b.put("answer_corpus", "workers");
        b.put("score", round2(0.5 + r.nextDouble() * 0.5));
        b.put("tags", tags);
        b.put("role", role.displayName());
        b.put("client", client.name());
        b.put("city", city);
        b.put("state", state);
        b.put("shift", shift);
        b.put("query_style", style);
        b.put("notes", "Filled " + count + " " + plural(role, count) + " for " + client.name() + " in " + city
                + " (" + shift + " shift); " + answer.get("worker_id") + " " + answer.get("first_name") + " "
                + answer.get("last_name") + " confirmed" + (sharedCerts.isEmpty() ? "" : ", " + String.join(" and ", sharedCerts)
                + " on file") + ".");
        return b;
    }

    // ---- observed runs ---------------------------------------------------------------------------------------

    /** Kinds of observed runs, in the order they cycle. */
    public static final List<String> RUN_KINDS = List.of("search", "fill", "email", "role_extraction", "chat", "iterate");
    /** Planted faults in bad runs. */
    public static final List<String> FAULTS = List.of("phantom_id", "ssn_detected", "pay_disclosed", "wrong_city", "blacklisted_client");

    /**
     * Run n, shaped as an observed operation ({@code observed_op.v1}). About one in four fill or email runs is
     * bad; a bad fill or email attempt is followed by its corrected attempt under the same task id, as
     * validatord's iterate produces them, so the preference export has pairs to make.
     */
    public List<Map<String, Object>> runs(int n) {
        SplittableRandom r = rng(5, n);
        String kind = RUN_KINDS.get(n % RUN_KINDS.size());
        Instant t = EPOCH.plusSeconds(37L * n);
        String taskId = String.format(Locale.ROOT, "task-%s-%06d", kind, n);
        Map<String, Object> job = jobOrder(r.nextInt(Math.max(1, 500)));
        List<Map<String, Object>> out = new ArrayList<>();
        switch (kind) {
            case "fill", "email" -> {
                boolean bad = r.nextDouble() < 0.25;
                if (bad) {
                    String fault = kind.equals("fill")
                            ? pick(r, List.of("phantom_id", "wrong_city", "blacklisted_client"))
                            : pick(r, List.of("ssn_detected", "pay_disclosed", "phantom_id"));
                    out.add(attempt(kind, taskId, t, job, r, fault, 1));
                    out.add(attempt(kind, taskId, t.plusSeconds(3), job, r, null, 2));
                } else {
                    out.add(attempt(kind, taskId, t, job, r, null, 1));
                }
            }
            case "search" -> {
                List<String> ids = new ArrayList<>();
                for (int k = 0; k < 5; k++) {
                    ids.add(workerId(r.nextInt(workerCount)));
                }
                out.add(op(taskId, t, "matrixd", "/v1/matrix/search", "search", null,
                        Map.of("query_text", job.get("description"), "corpora", List.of("workers"), "k", 5,
                                "query_role", job.get("role")),
                        Map.of("ids", ids, "gate", Map.of("query_role", job.get("role"), "role_source", "explicit", "dropped", r.nextInt(4))),
                        true, 20 + r.nextInt(60), null));
            }
            case "role_extraction" -> out.add(op(taskId, t, "matrixd", "/v1/matrix/roles/extract", "role_extraction", null,
                    Map.of("query_text", job.get("description")),
                    Map.of("role", job.get("role"), "role_source", "rules"), true, 1 + r.nextInt(5), null));
            case "chat" -> out.add(op(taskId, t, "chatd", "/v1/chat", "chat", "ollama/qwen3:4b",
                    Map.of("messages", List.of(Map.of("role", "user", "content",
                            "Summarise this job order for a recruiter: " + job.get("description")))),
                    Map.of("message", Map.of("role", "assistant", "content", "Open order: " + job.get("description")
                            + ". Start " + job.get("start_date") + ".")), true, 300 + r.nextInt(900), null));
            default -> out.add(op(taskId, t, "validatord", "/v1/iterate", "iterate", "kimi/kimi-k2",
                    Map.of("kind", "fill", "prompt", "Propose a fill for " + job.get("job_id"), "max_iterations", 3),
                    Map.of("iterations", 1 + r.nextInt(3), "valid", true), true, 800 + r.nextInt(2000), null));
        }
        return out;
    }

    private Map<String, Object> attempt(String kind, String taskId, Instant t, Map<String, Object> job,
                                        SplittableRandom r, String fault, int iteration) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("client", job.get("client"));
        context.put("role", job.get("role"));
        context.put("city", job.get("city"));
        context.put("state", job.get("state"));
        List<Map<String, Object>> findings = new ArrayList<>();
        Map<String, Object> artifact = new LinkedHashMap<>();
        String prompt;
        if (kind.equals("fill")) {
            int target = Math.min(3, (Integer) job.get("target_count"));
            context.put("target_count", target);
            prompt = "Propose " + target + " candidates for " + job.get("description");
            List<Map<String, Object>> fills = new ArrayList<>();
            for (int k = 0; k < target; k++) {
                Map<String, Object> w = worker(r.nextInt(workerCount));
                fills.add(Map.of("candidate_id", w.get("worker_id"), "name", w.get("first_name") + " " + w.get("last_name")));
            }
            if ("phantom_id".equals(fault)) {
                fills.set(0, Map.of("candidate_id", "W-" + (PHANTOM_BASE + r.nextInt(999_999)), "name", "Jordan Phantom"));
                findings.add(finding("phantom_id", "Consistency", "fills[0].candidate_id", "worker does not exist in the roster"));
            } else if ("wrong_city".equals(fault)) {
                findings.add(finding("wrong_city", "Consistency", "fills[0].candidate_id", "worker is not in " + job.get("city")));
            } else if ("blacklisted_client".equals(fault)) {
                context.put("client", blacklisted.get(r.nextInt(blacklisted.size())).name());
                findings.add(finding("blacklisted_client", "Policy", "context.client", "client is blacklisted"));
            }
            artifact.put("fills", fills);
        } else {
            Map<String, Object> w = worker(r.nextInt(workerCount));
            context.put("candidate_id", w.get("worker_id"));
            prompt = "Write an email to " + w.get("first_name") + " about " + job.get("description");
            String body = "Hi " + w.get("first_name") + ", " + job.get("client") + " has a " + job.get("shift")
                    + " shift opening for a " + job.get("role") + " in " + job.get("city") + " starting "
                    + job.get("start_date") + ". Reply YES if you are interested.";
            if ("ssn_detected".equals(fault)) {
                body += " Please confirm your SSN " + String.format(Locale.ROOT, "%03d-%02d-%04d",
                        100 + r.nextInt(800), 10 + r.nextInt(89), 1000 + r.nextInt(8999)) + ".";
                findings.add(finding("ssn_detected", "Policy", "artifact.body", "SSN-shaped number in the message"));
            } else if ("pay_disclosed".equals(fault)) {
                body += " The client bills $" + job.get("bill_rate") + "/hr for this role.";
                findings.add(finding("pay_disclosed", "Policy", "artifact.body", "pay or bill rate disclosed"));
            } else if ("phantom_id".equals(fault)) {
                body += " Your worker id is W-" + (PHANTOM_BASE + r.nextInt(999_999)) + ".";
                findings.add(finding("phantom_id", "Consistency", "artifact.body", "worker id does not exist in the roster"));
            }
            artifact.put("to", w.get("email"));
            artifact.put("subject", job.get("role") + " opening in " + job.get("city"));
            artifact.put("body", body);
        }
        boolean valid = findings.isEmpty();
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("kind", kind);
        request.put("prompt", prompt);
        request.put("context", context);
        request.put("iteration", iteration);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("artifact", artifact);
        result.put("validation", Map.of("valid", valid, "findings", findings));
        return op(taskId, t, "validatord", "/v1/iterate", kind, "kimi/kimi-k2", request, result, valid,
                400 + r.nextInt(1500), valid ? null : (String) findings.get(0).get("code"));
    }

    private static Map<String, Object> finding(String code, String kind, String field, String message) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("code", code);
        f.put("kind", kind);
        f.put("field", field);
        f.put("message", message);
        f.put("severity", "error");
        return f;
    }

    private Map<String, Object> op(String taskId, Instant t, String source, String endpoint, String kind, String model,
                                   Map<String, Object> request, Map<String, Object> result, boolean success,
                                   int latencyMs, String error) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("op_id", taskId + "-" + t.getEpochSecond());
        o.put("timestamp", t.toString());
        o.put("source", source);
        o.put("endpoint", endpoint);
        o.put("request_id", "gen-" + Long.toHexString(seed) + "-" + t.getEpochSecond());
        o.put("task_id", taskId);
        o.put("kind", kind);
        if (model != null) {
            o.put("model", model);
        }
        o.put("request", request);
        o.put("result", result);
        o.put("success", success);
        o.put("latency_ms", latencyMs);
        if (error != null) {
            o.put("error", error);
        }
        o.put("tags", List.of("generated", "seed-" + seed));
        return o;
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private SplittableRandom rng(int stream, int index) {
        long x = seed * 0x9E3779B97F4A7C15L + stream * 0xBF58476D1CE4E5B9L + index * 0x94D049BB133111EBL;
        return new SplittableRandom(x ^ (x >>> 31));
    }

    /** Roles early in the taxonomy (the common light-industrial and care roles) are drawn more often. */
    private Role pickRole(SplittableRandom r) {
        int n = roles.size();
        return r.nextDouble() < 0.6 ? roles.get(r.nextInt(Math.min(12, n))) : roles.get(r.nextInt(n));
    }

    /** The first 25 cities (the Midwest hubs) are drawn more often. */
    private static Vocabulary.City pickCity(SplittableRandom r) {
        List<Vocabulary.City> c = Vocabulary.CITIES;
        return r.nextDouble() < 0.5 ? c.get(r.nextInt(25)) : c.get(r.nextInt(c.size()));
    }

    private static <T> T pick(SplittableRandom r, List<T> list) {
        return list.get(r.nextInt(list.size()));
    }

    private static List<String> certsFor(Role role, SplittableRandom r, int max) {
        String family = role.id().split("_")[0];
        List<String> pool = Vocabulary.CERTS.getOrDefault(family, Vocabulary.GENERAL_CERTS);
        int n = r.nextInt(max + 1);
        List<String> out = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            String c = pick(r, pool);
            if (!out.contains(c)) {
                out.add(c);
            }
        }
        return out;
    }

    private static double basePay(Role role) {
        String id = role.id();
        if (id.contains("nurse") || id.equals("registered_nurse")) {
            return 38;
        }
        if (id.startsWith("cdl") || id.startsWith("electric") || id.startsWith("cnc") || id.startsWith("welder")
                || id.contains("technician") || id.contains("machinist")) {
            return 24;
        }
        return 15;
    }

    static String plural(Role role, int count) {
        String name = role.displayName();
        if (count == 1) {
            return name;
        }
        return role.plurals().isEmpty() ? name + "s" : titleLike(role.plurals().get(0), name);
    }

    /** Keeps the display name's capitalisation style for its plural ("CNC Operators", "CNAs"). */
    private static String titleLike(String pluralNormalized, String display) {
        String[] words = pluralNormalized.split(" ");
        String[] shown = display.split(" ");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < words.length; i++) {
            String w = words[i];
            if (i < shown.length && shown[i].equals(shown[i].toUpperCase(Locale.ROOT)) && shown[i].length() > 1) {
                w = w.length() > shown[i].length() ? shown[i] + w.substring(shown[i].length()) : w.toUpperCase(Locale.ROOT);
            } else if (!w.isEmpty()) {
                w = Character.toUpperCase(w.charAt(0)) + w.substring(1);
            }
            sb.append(i == 0 ? "" : " ").append(w);
        }
        return sb.toString();
    }

    private static String shortName(Role role) {
        List<String> syn = role.synonyms();
        String s = syn.stream().filter(x -> !x.contains(" ")).findFirst().orElse(role.displayName().toLowerCase(Locale.ROOT));
        return s.toLowerCase(Locale.ROOT);
    }

    private static String shiftWord(String shift) {
        return switch (shift) {
            case "night" -> "nights";
            case "swing" -> "swing";
            case "weekend" -> "weekends";
            default -> "days";
        };
    }

    static String slug(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    }

    private static double round2(double v) {
        return Math.round(v * 100.0) / 100.0;
    }

    /** A column of a flat table with its DuckDB/Parquet type. */
    public record Column(String name, String type) {
    }
}

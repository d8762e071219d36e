package com.lakehouse.datagen;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code java -jar datagen.jar generate --out DIR [--seed 42] [--workers 5000] [--jobs 500] [--playbooks 2000]
 * [--runs 1000] [--format parquet|csv|jsonl]}, or {@code load --gateway URL --api-key KEY --out DIR [same sizes]}
 * to generate (Parquet) and load into a running fleet. Exit 0 ok, 1 failure, 2 bad arguments.
 */
public final class Main {
    static final String USAGE = """
            usage: datagen generate --out DIR [--seed N] [--workers N] [--jobs N] [--playbooks N] [--runs N] [--format parquet|csv|jsonl]
                   datagen load --gateway URL [--api-key-file FILE] --out DIR [--seed N] [--workers N] [--jobs N] [--playbooks N] [--runs N]
                   datagen demo --gateway URL [--api-key-file FILE] [--model M] [--bucket B] [--summary FILE]
            The key: --api-key-file FILE (first line), else $LAKEHOUSE_API_KEY; --api-key KEY still works but puts the
            key on the command line, where every user of the machine can read it (ps).
            """;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help")) {
            out.print(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        if (args[0].equals("demo")) {
            return demo(args, out, err);
        }
        Map<String, String> opts;
        Generation.Sizes sizes;
        long seed;
        TableWriter.Format format;
        try {
            opts = parse(args);
            seed = Long.parseLong(opts.getOrDefault("seed", "42"));
            sizes = new Generation.Sizes(intOpt(opts, "workers", 5000), intOpt(opts, "jobs", 500),
                    intOpt(opts, "playbooks", 2000), intOpt(opts, "runs", 1000));
            format = args[0].equals("load") ? TableWriter.Format.PARQUET
                    : TableWriter.Format.parse(opts.getOrDefault("format", "parquet"));
            if (!opts.containsKey("out")) {
                throw new IllegalArgumentException("--out DIR is required");
            }
            if (args[0].equals("load") && !opts.containsKey("gateway")) {
                throw new IllegalArgumentException("--gateway URL is required for load");
            }
            if (!args[0].equals("generate") && !args[0].equals("load")) {
                throw new IllegalArgumentException("unknown command '" + args[0] + "'");
            }
        } catch (IllegalArgumentException e) {
            err.println("datagen: " + e.getMessage());
            err.print(USAGE);
            return 2;
        }
        Path dir = Path.of(opts.get("out"));
        try {
            long t0 = System.nanoTime();
            Map<String, Long> files = Generation.write(dir, seed, sizes, format);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            files.forEach((f, n) -> out.printf("  wrote %-22s %,10d rows%n", dir.resolve(f), n));
            out.printf("  generated in %,d ms (seed %d)%n", ms, seed);
            if (args[0].equals("load")) {
                return new FleetLoader(opts.get("gateway"), apiKey(opts, System.getenv(), err)).load(dir) == 0 ? 0 : 1;
            }
            return 0;
        } catch (IOException | RuntimeException e) {
            err.println("datagen: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private static int demo(String[] args, PrintStream out, PrintStream err) {
        Map<String, String> opts;
        try {
            opts = parse(args);
            if (!opts.containsKey("gateway")) {
                throw new IllegalArgumentException("--gateway URL is required for demo");
            }
        } catch (IllegalArgumentException e) {
            err.println("datagen: " + e.getMessage());
            err.print(USAGE);
            return 2;
        }
        try {
            DemoFlow flow = new DemoFlow(opts.get("gateway"), apiKey(opts, System.getenv(), err), opts.get("model"),
                    opts.getOrDefault("bucket", "lakehouse"), out);
            return flow.run(opts.containsKey("summary") ? Path.of(opts.get("summary")) : null);
        } catch (IOException | RuntimeException e) {
            err.println("datagen demo: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /**
     * The API key: {@code --api-key-file} (its first line; the launcher's file is mode 0600), else the environment's
     * {@code LAKEHOUSE_API_KEY}, else {@code --api-key} (kept for old scripts, with a warning: argv is public). Null
     * when none is given (a fleet with auth off).
     */
    static String apiKey(Map<String, String> opts, Map<String, String> env, PrintStream err) throws IOException {
        if (opts.containsKey("api-key-file")) {
            String k = java.nio.file.Files.readString(Path.of(opts.get("api-key-file"))).lines().findFirst().orElse("").strip();
            if (k.isEmpty()) {
                throw new IOException("--api-key-file " + opts.get("api-key-file") + " is empty");
            }
            return k;
        }
        String fromEnv = env.get("LAKEHOUSE_API_KEY");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.strip();
        }
        if (opts.containsKey("api-key")) {
            err.println("datagen: warning: --api-key puts the key on the command line (visible in ps); "
                    + "use --api-key-file FILE or LAKEHOUSE_API_KEY");
            return opts.get("api-key");
        }
        return null;
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> m = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("unexpected argument '" + a + "'");
            }
            m.put(a.substring(2), args[++i]);
        }
        return m;
    }

    private static int intOpt(Map<String, String> opts, String name, int dflt) {
        String v = opts.get(name);
        if (v == null) {
            return dflt;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number (got '" + v + "')");
        }
    }
}

package com.lakehouse.gateway.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The accepted API keys: each a name, its scopes, an optional own rate and the SHA-256 of the key (never the key).
 * Presented keys are hashed and compared with every stored digest in constant time.
 *
 * <p>Key file, one key a line ({@code #} comments and blank lines skipped), fields in any order:
 * <pre>name=demo scopes=read,write,admin sha256=9f86d08188...  rate=200</pre>
 * {@code rate} (requests per second) overrides {@code lakehouse.gateway.rate-limit.requests-per-second} for that key.
 * A line that is a bare key (the format before issue 25) is still accepted, named {@code legacy-<line>} with every
 * scope, and counted in {@link #legacyCount()} so the gateway can warn that a plain key sits on disk.
 * Keys from {@code lakehouse.gateway.api-keys} are named {@code config-<n>} and get every scope.
 */
public final class ApiKeys {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,62}");
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    /** One accepted key. {@code rate} is empty when the configured default applies. */
    public record Key(String name, Set<Scope> scopes, byte[] digest, OptionalDouble rate) {
        public boolean allows(Scope s) {
            return scopes.contains(s);
        }
    }

    private final List<Key> keys;
    private final int legacy;

    private ApiKeys(List<Key> keys, int legacy) {
        this.keys = keys;
        this.legacy = legacy;
    }

    /** Keys from the config list plus the key file (may be null). Malformed lines refuse to start, naming the line. */
    public static ApiKeys load(Collection<String> configured, Path file) {
        List<Key> out = new ArrayList<>();
        int n = 0;
        for (String k : configured) {
            if (k != null && !k.isBlank()) {
                out.add(new Key("config-" + (++n), EnumSet.allOf(Scope.class), sha256(k.trim()), OptionalDouble.empty()));
            }
        }
        int legacy = 0;
        if (file != null) {
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read lakehouse.gateway.api-keys-file " + file + ": " + e.getMessage(), e);
            }
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).trim();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                if (!line.contains("sha256=")) {
                    legacy++;
                    out.add(new Key("legacy-" + (i + 1), EnumSet.allOf(Scope.class), sha256(line), OptionalDouble.empty()));
                    continue;
                }
                out.add(parseLine(line, file + ":" + (i + 1)));
            }
        }
        Map<String, Integer> names = new HashMap<>();
        for (Key k : out) {
            if (names.merge(k.name(), 1, Integer::sum) > 1) {
                throw new IllegalArgumentException("lakehouse.gateway.api-keys-file: key name '" + k.name() + "' appears twice");
            }
        }
        return new ApiKeys(List.copyOf(out), legacy);
    }

    static Key parseLine(String line, String where) {
        Map<String, String> f = new HashMap<>();
        for (String part : line.split("\\s+")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(where + ": '" + part + "' is not field=value");
            }
            f.put(part.substring(0, eq), part.substring(eq + 1));
        }
        String name = f.getOrDefault("name", "");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(where + ": name must match " + NAME.pattern());
        }
        String hex = f.getOrDefault("sha256", "").toLowerCase();
        if (!HEX64.matcher(hex).matches()) {
            throw new IllegalArgumentException(where + ": sha256 must be 64 hex digits");
        }
        Set<Scope> scopes;
        try {
            scopes = Scope.parseList(f.get("scopes"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage());
        }
        OptionalDouble rate = OptionalDouble.empty();
        if (f.containsKey("rate")) {
            try {
                rate = OptionalDouble.of(Double.parseDouble(f.get("rate")));
            } catch (NumberFormatException e) {
                rate = OptionalDouble.of(-1);
            }
            if (rate.getAsDouble() <= 0) {
                throw new IllegalArgumentException(where + ": rate must be a positive number of requests per second");
            }
        }
        return new Key(name, Set.copyOf(scopes), HexFormat.of().parseHex(hex), rate);
    }

    public int size() {
        return keys.size();
    }

    /** Lines of the key file that hold a plain key (the old format). */
    public int legacyCount() {
        return legacy;
    }

    /** The key a request presents: the Bearer token of Authorization, else X-API-Key; null when none. */
    public static String presented(String authorization, String xApiKey) {
        if (authorization != null) {
            String a = authorization.trim();
            if (a.regionMatches(true, 0, "Bearer ", 0, 7)) {
                String token = a.substring(7).trim();
                if (!token.isEmpty()) {
                    return token;
                }
            }
        }
        if (xApiKey != null && !xApiKey.isBlank()) {
            return xApiKey.trim();
        }
        return null;
    }

    /** The accepted key matching the presented one. Every stored digest is compared, so timing says nothing. */
    public Optional<Key> find(String presented) {
        if (presented == null) {
            return Optional.empty();
        }
        byte[] d = sha256(presented);
        Key found = null;
        for (Key k : keys) {
            if (MessageDigest.isEqual(k.digest(), d) && found == null) {
                found = k;
            }
        }
        return Optional.ofNullable(found);
    }

    public boolean accepts(String presented) {
        return find(presented).isPresent();
    }

    /** Hex SHA-256 of a key, what the key file stores ({@code ./lakehouse key add} writes the same). */
    public static String sha256Hex(String key) {
        return HexFormat.of().formatHex(sha256(key));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

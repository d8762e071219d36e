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
import java.util.List;

/**
 * The accepted API keys, kept as SHA-256 digests and compared in constant time. A key is presented as
 * {@code Authorization: Bearer <key>} or {@code X-API-Key: <key>}.
 */
public final class ApiKeys {
    private final List<byte[]> digests;

    private ApiKeys(List<byte[]> digests) {
        this.digests = digests;
    }

    /** Keys from the config list plus the lines of the key file (blank lines and {@code #} comments skipped). */
    public static ApiKeys load(Collection<String> configured, Path file) {
        List<byte[]> out = new ArrayList<>();
        for (String k : configured) {
            if (k != null && !k.isBlank()) {
                out.add(sha256(k.trim()));
            }
        }
        if (file != null) {
            try {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    String k = line.trim();
                    if (!k.isEmpty() && !k.startsWith("#")) {
                        out.add(sha256(k));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read lakehouse.gateway.api-keys-file " + file + ": " + e.getMessage(), e);
            }
        }
        return new ApiKeys(List.copyOf(out));
    }

    public int size() {
        return digests.size();
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

    /** True when the key is one of the accepted ones. Every stored digest is compared, so timing says nothing. */
    public boolean accepts(String key) {
        if (key == null) {
            return false;
        }
        byte[] d = sha256(key);
        boolean ok = false;
        for (byte[] k : digests) {
            ok |= MessageDigest.isEqual(k, d);
        }
        return ok;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package com.lakehouse.contracts.http;

import org.jboss.logging.MDC;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The name of the API key a request came with. The gateway checks the key and passes only its name on, as
 * {@code X-Lakehouse-Key-Name} (a client-sent header of that name is dropped there); each daemon keeps it in the
 * MDC for the request, and observed operations carry it as the tag {@code key:<name>}. The key itself never
 * leaves the gateway.
 */
public final class KeyNames {
    public static final String HEADER = "X-Lakehouse-Key-Name";
    public static final String MDC_KEY = "key_name";
    public static final String TAG_PREFIX = "key:";
    private static final Pattern ACCEPTABLE = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,62}");

    private KeyNames() {
    }

    /** Keeps an acceptable header value for the current request (anything else is ignored, never logged). */
    public static void set(String headerValue) {
        if (headerValue != null && ACCEPTABLE.matcher(headerValue).matches()) {
            MDC.put(MDC_KEY, headerValue);
        } else {
            MDC.remove(MDC_KEY);
        }
    }

    /** The key name of the request being served, or null. */
    public static String current() {
        Object v = MDC.get(MDC_KEY);
        return v == null ? null : v.toString();
    }

    /** The tags with {@code key:<current name>} added when a name is known and no key tag is there yet. */
    public static List<String> withKeyTag(List<String> tags) {
        String name = current();
        if (name == null || (tags != null && tags.stream().anyMatch(t -> t != null && t.startsWith(TAG_PREFIX)))) {
            return tags;
        }
        List<String> out = tags == null ? new ArrayList<>() : new ArrayList<>(tags);
        out.add(TAG_PREFIX + name);
        return out;
    }
}

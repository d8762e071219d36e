package com.lakehouse.contracts.redact;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.lakehouse.contracts.observer.ObservedOperation;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces private values in text with a marker holding a keyed hash, at the moment a daemon writes them:
 * {@code [SSN:1a2b3c4d]}, {@code [APIKEY:...]}, {@code [SECRET:...]}. The hash is HMAC-SHA256 with the fleet's
 * redaction key over the normalized value (an SSN's nine digits), truncated to 8 hex digits, so the same value
 * written twice carries the same marker (an auditor can see "the same SSN again") while the value itself cannot be
 * read back or guessed without the key.
 *
 * <p>Recognisers:
 * <ul>
 *   <li>US SSN, after Presidio's {@code UsSsnRecognizer}: {@code ddd-dd-dddd} with one delimiter used twice
 *       ({@code -}, space or {@code .}; mixed delimiters are not an SSN); nine bare digits only with a context word
 *       (social security, ssn, ssns, ssid, ss#) in the 40 characters before. Invalid numbers are left alone: area
 *       000, 666 or 9xx, group 00, serial 0000, all one digit. Unlike Presidio, the well-known sample numbers
 *       (123-45-6789, 078-05-1120) are redacted too: at rest, a false positive costs nothing and the samples are
 *       exactly what test data and LLM answers plant.</li>
 *   <li>Lakehouse API keys: {@code lh_} + 16 or more hex digits.</li>
 *   <li>Provider secrets: {@code sk-} + 16 or more of {@code [A-Za-z0-9_-]} (OpenAI, OpenRouter {@code sk-or-...},
 *       Kimi/Moonshot, ...).</li>
 * </ul>
 * Thread-safe; plain Java.
 */
public final class Redactor {
    private static final Pattern SSN_DELIMITED = Pattern.compile("(?<![\\d.-])(\\d{3})([- .])(\\d{2})\\2(\\d{4})(?![\\d]|[.-]\\d)");
    private static final Pattern SSN_BARE = Pattern.compile("(?<![\\d.-])(\\d{9})(?![\\d]|[.-]\\d)");
    private static final Pattern SSN_CONTEXT = Pattern.compile("(?i)(social\\s*security|\\bssns?\\b|\\bssid\\b|\\bss#|\\bssn#)");
    private static final int CONTEXT_CHARS = 40;
    private static final Pattern API_KEY = Pattern.compile("\\blh_[0-9a-fA-F]{16,}\\b");
    private static final Pattern SECRET = Pattern.compile("(?<![A-Za-z0-9])sk-[A-Za-z0-9_-]{16,}");

    private final SecretKeySpec key;

    public Redactor(byte[] hmacKey) {
        if (hmacKey == null || hmacKey.length < 16) {
            throw new IllegalArgumentException("the redaction key must have at least 16 bytes");
        }
        this.key = new SecretKeySpec(hmacKey.clone(), "HmacSHA256");
    }

    /** The text with every recognised value replaced by its marker; null stays null. */
    public String redact(String text) {
        if (text == null || text.isEmpty() || !mayHold(text)) {
            return text;
        }
        String out = replace(API_KEY.matcher(text), m -> "[APIKEY:" + hmac8(m.group()) + "]");
        out = replace(SECRET.matcher(out), m -> "[SECRET:" + hmac8(m.group()) + "]");
        out = replace(SSN_DELIMITED.matcher(out), m -> {
            String digits = m.group(1) + m.group(3) + m.group(4);
            return validSsn(digits) ? ssnMarker(digits) : m.group();
        });
        final String withDelimited = out;
        out = replace(SSN_BARE.matcher(out), m -> {
            String digits = m.group(1);
            return validSsn(digits) && hasContext(withDelimited, m.start()) ? ssnMarker(digits) : m.group();
        });
        return out;
    }

    /** A JSON tree with every text value (and object key) redacted; the input is not changed. */
    public JsonNode redact(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isTextual()) {
            String r = redact(node.asText());
            return r.equals(node.asText()) ? node : TextNode.valueOf(r);
        }
        if (node.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                out.set(redact(e.getKey()), redact(e.getValue()));
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            node.forEach(c -> out.add(redact(c)));
            return out;
        }
        return node;
    }

    /** An observed operation with its endpoint, request, result, error and tags redacted. */
    public ObservedOperation redact(ObservedOperation op) {
        if (op == null) {
            return null;
        }
        return new ObservedOperation(op.opId(), op.timestamp(), op.source(), redact(op.endpoint()), op.requestId(),
                op.taskId(), op.kind(), op.model(), redact(op.request()), redact(op.result()), op.success(),
                op.latencyMs(), redact(op.error()), op.tags() == null ? null : op.tags().stream().map(this::redact).toList());
    }

    /** True when the digits are a structurally valid SSN (Presidio's rules plus area 9xx). */
    static boolean validSsn(String digits) {
        if (digits.length() != 9) {
            return false;
        }
        String area = digits.substring(0, 3);
        if (area.equals("000") || area.equals("666") || area.charAt(0) == '9') {
            return false;
        }
        if (digits.substring(3, 5).equals("00") || digits.substring(5).equals("0000")) {
            return false;
        }
        return !digits.chars().allMatch(c -> c == digits.charAt(0));
    }

    private static boolean hasContext(String text, int at) {
        String before = text.substring(Math.max(0, at - CONTEXT_CHARS), at).toLowerCase(Locale.ROOT);
        return SSN_CONTEXT.matcher(before).find();
    }

    /** Cheap pre-check so the common case (no digit run, no key prefix) costs one scan. */
    private static boolean mayHold(String s) {
        int run = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                if (++run >= 2) {
                    return true;
                }
            } else {
                run = 0;
                if ((c == 'l' || c == 's') && i + 2 < s.length()
                        && (s.startsWith("lh_", i) || s.startsWith("sk-", i))) {
                    return true;
                }
            }
        }
        return false;
    }

    private String ssnMarker(String digits) {
        return "[SSN:" + hmac8("ssn:" + digits) + "]";
    }

    /** First 8 hex digits of HMAC-SHA256(key, value). */
    public String hmac8(String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)), 0, 4);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String replace(Matcher m, java.util.function.Function<java.util.regex.MatchResult, String> f) {
        return m.replaceAll(r -> Matcher.quoteReplacement(f.apply(r)));
    }
}

package com.lakehouse.validatord.service;

import java.text.Normalizer;
import java.util.Locale;

/** Normalisation shared by the roster indexes and the validators. */
public final class Names {
    private Names() {
    }

    /** Lower case, accents dropped, anything but letters and digits collapsed to single spaces, trimmed. */
    public static String normalise(String s) {
        if (s == null) {
            return "";
        }
        String t = s;
        for (int i = 0; i < t.length(); i++) {
            if (t.charAt(i) > 127) {
                t = Normalizer.normalize(t, Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
                break;
            }
        }
        StringBuilder b = new StringBuilder(t.length());
        boolean space = false;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                if (space && b.length() > 0) {
                    b.append(' ');
                }
                space = false;
                b.append(Character.toLowerCase(c));
            } else if (c != '\'') {
                space = true;
            }
        }
        return b.toString();
    }

    /** The digits of a phone number as a long, a leading US country code 1 dropped; 0 when there are none or too many. */
    public static long phoneDigits(String phone) {
        if (phone == null) {
            return 0;
        }
        long v = 0;
        int digits = 0;
        for (int i = 0; i < phone.length(); i++) {
            char c = phone.charAt(i);
            if (c >= '0' && c <= '9') {
                if (++digits > 15) {
                    return 0;
                }
                v = v * 10 + (c - '0');
            }
        }
        if (digits == 11 && v / 10_000_000_000L == 1) {
            v -= 10_000_000_000L;
        }
        return digits < 7 ? 0 : v;
    }

    public static String lower(String s) {
        return s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
    }
}

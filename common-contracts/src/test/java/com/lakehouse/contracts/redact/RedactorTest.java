package com.lakehouse.contracts.redact;

import com.fasterxml.jackson.databind.JsonNode;
import com.lakehouse.contracts.json.Json;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RedactorTest {
    private final Redactor r = new Redactor("a test key of 32 bytes, not real".getBytes(StandardCharsets.UTF_8));

    @Test
    void delimitedSsnsBecomeAKeyedMarker() {
        String out = r.redact("Hi Ann, please send your SSN 123-45-6789.");
        assertFalse(out.contains("6789"), out);
        assertTrue(out.matches("Hi Ann, please send your SSN \\[SSN:[0-9a-f]{8}]\\."), out);
        // the same number with another delimiter is the same marker; another number another one
        String marker = out.substring(out.indexOf('['), out.indexOf(']') + 1);
        assertEquals("id " + marker, r.redact("id 123 45 6789"));
        assertEquals("id " + marker, r.redact("id 123.45.6789"));
        assertNotEquals("id " + marker, r.redact("id 123-45-6788"));
        // another key, another marker
        assertNotEquals(out, new Redactor("another key of 32 bytes, not it!".getBytes(StandardCharsets.UTF_8))
                .redact("Hi Ann, please send your SSN 123-45-6789."));
    }

    @Test
    void invalidNumbersAndMixedDelimitersAreLeftAlone() {
        for (String keep : new String[] {"000-12-3456", "666-12-3456", "912-34-5678", "123-00-4567", "123-45-0000",
                "111-11-1111", "123-45 6789", "123.45-6789", "phone 313-555-0199", "1234-56-7890", "2026-11-25",
                "order 12-345-6789", "v1.123.45.6789.2"}) {
            assertEquals(keep, r.redact(keep), keep);
        }
    }

    @Test
    void bareNineDigitsNeedAContextWord() {
        assertEquals("order 123456789 shipped", r.redact("order 123456789 shipped"));
        for (String ctx : new String[] {"SSN: 123456789", "social security number 123456789", "ssid 123456789",
                "Social Security #123456789"}) {
            String out = r.redact(ctx);
            assertFalse(out.contains("123456789"), out);
            assertTrue(out.contains("[SSN:"), out);
        }
        assertEquals("ssn 666123456", r.redact("ssn 666123456"));
        assertEquals("ssn 1234567890", r.redact("ssn 1234567890"));
    }

    @Test
    void apiKeysAndProviderSecrets() {
        String out = r.redact("key lh_0123456789abcdef0123456789abcdef0123456789abcdef and sk-or-v1-abcdefABCDEF0123456789 "
                + "and sk-proj-ZZZZzzzz1234567890");
        assertFalse(out.contains("lh_0123"), out);
        assertFalse(out.contains("sk-"), out);
        assertTrue(out.contains("[APIKEY:") && out.contains("[SECRET:"), out);
        assertEquals("lh_short sk-short task-1234", r.redact("lh_short sk-short task-1234"));
    }

    @Test
    void jsonTreesAreWalked() throws Exception {
        JsonNode in = Json.mapper().readTree("{\"body\":\"SSN 123-45-6789\",\"n\":[{\"k\":\"sk-abcdefghijklmnop1234\"}],\"x\":1}");
        JsonNode out = r.redact(in);
        assertFalse(out.toString().contains("6789") || out.toString().contains("sk-abc"), out.toString());
        assertEquals(1, out.path("x").asInt());
        assertTrue(in.toString().contains("123-45-6789"), "the input is not changed");
    }
}

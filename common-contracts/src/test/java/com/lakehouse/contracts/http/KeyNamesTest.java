package com.lakehouse.contracts.http;

import org.jboss.logging.MDC;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class KeyNamesTest {
    @AfterEach
    void clear() {
        MDC.remove(KeyNames.MDC_KEY);
    }

    @Test
    void theGatewaysKeyNameBecomesATag() {
        KeyNames.set("ops-team");
        assertEquals(List.of("a", "key:ops-team"), KeyNames.withKeyTag(List.of("a")));
        assertEquals(List.of("key:ops-team"), KeyNames.withKeyTag(null));
        assertEquals(List.of("key:other"), KeyNames.withKeyTag(List.of("key:other")), "an explicit key tag stays");
    }

    @Test
    void anUnacceptableHeaderIsIgnored() {
        KeyNames.set("lh_0123 456\nforged");
        assertNull(KeyNames.current());
        assertEquals(List.of("a"), KeyNames.withKeyTag(List.of("a")));
        KeyNames.set(null);
        assertNull(KeyNames.current());
    }
}

package com.lakehouse.validatord.service;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class RosterTest {
    private final Roster r = TestRosters.small();

    @Test
    void findsByExactIdIncludingPaddingAndOddIds() {
        assertEquals(7, r.count());
        assertEquals("Maria Lopez", r.fullName(r.find("W-1")));
        assertEquals("W-0042", r.workerId(r.find("W-0042")));
        assertEquals(-1, r.find("W-42"), "zero padding is part of the id");
        assertEquals(-1, r.find("W-9"));
        assertEquals("Odd Id", r.fullName(r.find("X-odd")));
        assertEquals("X-odd", r.workerId(r.find("X-odd")));
    }

    @Test
    void indexesPhoneAndNameAndKeepsColumns() {
        int maria = r.find("W-1");
        assertArrayEquals(new int[]{maria}, r.findByPhone("+1 (312) 555-0101"));
        assertArrayEquals(new int[]{r.find("W-0042")}, r.findByPhone("3125550142"));
        assertArrayEquals(new int[]{maria}, r.findByName("  maria   LOPEZ "));
        assertEquals(0, r.findByName("Maria Lopes").length);
        assertTrue(r.roles(maria).contains("picker"));
        assertTrue(r.emailMatches(maria, "Maria.Lopez@Example.com"));
        assertFalse(r.active(r.find("W-2")));
        assertTrue(r.doNotPlace(r.find("W-4")));
        assertEquals(60601, r.zip(maria));
        assertEquals(22.5f, r.payRate(maria));
    }
}

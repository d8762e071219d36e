package com.lakehouse.validatord.service;

import java.time.Instant;

/** A small hand-made roster for unit tests (no DuckDB). */
public final class TestRosters {
    private TestRosters() {
    }

    public static Roster small() {
        Roster.Builder b = new Roster.Builder(4); // grows past 4: exercises the copy path
        // id, first, last, role, other roles, city, state, zip, phone, email, certs, pay, availability, reliability, dnp
        b.add("W-5", "Ana", "Ruiz", "warehouse associate", "", "Chicago", "IL", "60601", "(312) 555-0105",
                "ana.ruiz@example.com", "", 18.5, 1.0, 0.8, false);
        b.add("W-1", "Maria", "Lopez", "forklift operator", "warehouse associate,picker", "Chicago", "IL", "60601",
                "312-555-0101", "maria.lopez@example.com", "OSHA-10", 22.5, 1.0, 0.9, false);
        b.add("W-2", "James", "Chen", "welder", "", "Chicago", "IL", "60602", "312-555-0102",
                "james.chen@example.com", "AWS D1.1", 30, 0.0, 0.7, false);
        b.add("W-3", "Aisha", "Khan", "forklift operator", "", "Detroit", "MI", "48201", "313-555-0103",
                "aisha.khan@example.com", "", 21, 0.5, 0.95, false);
        b.add("W-4", "Tom", "Baker", "forklift operator", "", "Chicago", "IL", "60601", "312-555-0104",
                "tom.baker@example.com", "", 20, 1.0, 0.5, true);
        b.add("W-0042", "Lee", "Park", "forklift operator", "", "Chicago", "IL", "60601", "+1 312 555 0142",
                null, "", 20, 1.0, 0.5, false);
        b.add("X-odd", "Odd", "Id", "picker", "", "Chicago", "IL", "", "", null, "", 0, 1.0, 0.5, false);
        return b.build("test", Instant.now(), 0);
    }
}

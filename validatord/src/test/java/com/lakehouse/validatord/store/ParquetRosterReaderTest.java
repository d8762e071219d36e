package com.lakehouse.validatord.store;

import com.lakehouse.validatord.service.Roster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ParquetRosterReaderTest {
    @TempDir
    Path dir;

    @Test
    void readsListColumnsToleratesMissingOptionalColumnsAndSortsIds() throws Exception {
        Path f = dir.resolve("w.parquet");
        try (Connection c = new org.duckdb.DuckDBDriver().connect("jdbc:duckdb:", new java.util.Properties()); Statement st = c.createStatement()) {
            // no availability, phone, email, zip, certifications, do_not_place columns; other_roles is a LIST
            st.execute("COPY (SELECT * FROM (VALUES "
                    + "('W-10', 'Zed', 'Young', 'welder', ['fitter', 'Rigger'], 'Austin', 'TX', 25.0, 0.9),"
                    + "('W-2', 'Amy', 'Ng', 'picker', [], 'Reno', 'NV', 17.0, 0.8),"
                    + "(NULL, 'No', 'Id', 'picker', [], 'Reno', 'NV', 17.0, 0.8)"
                    + ") t(worker_id, first_name, last_name, role, other_roles, city, state, pay_rate, reliability))"
                    + " TO '" + f + "' (FORMAT parquet)");
        }
        Roster r = ParquetRosterReader.read(List.of(f), "v7", "64MB");
        assertEquals(2, r.count());
        assertEquals("v7", r.version());
        assertEquals("W-2", r.workerId(0));
        int zed = r.find("W-10");
        assertEquals("Zed Young", r.fullName(zed));
        assertTrue(r.roles(zed).contains("rigger"));
        assertTrue(r.active(zed), "a missing availability column reads as active");
        assertFalse(r.doNotPlace(zed));
        assertEquals(25.0f, r.payRate(zed));
        assertFalse(r.hasEmail(zed));
    }

    @Test
    void hashesEmailsAndPhonesLikeTheValidatorsAndTakesASingleNameColumn() throws Exception {
        Path f = dir.resolve("n.parquet");
        try (Connection c = new org.duckdb.DuckDBDriver().connect("jdbc:duckdb:", new java.util.Properties()); Statement st = c.createStatement()) {
            st.execute("COPY (SELECT * FROM (VALUES "
                    + "('W-007', ' Ana Maria Ruiz ', ' Ana.Ruiz@Example.COM ', '+1 (312) 555-0105', '60601', 0.0, 'true'),"
                    + "('ZZ-1', 'Odd One', '', 'n/a', 'abc', 2.0, NULL)"
                    + ") t(worker_id, name, email, phone, zip, availability, do_not_place)) TO '" + f + "' (FORMAT parquet)");
        }
        Roster r = ParquetRosterReader.read(List.of(f), "v1", "64MB");
        int ana = r.find("W-007");
        assertEquals("Ana Maria Ruiz", r.fullName(ana));
        assertTrue(r.emailMatches(ana, "ana.ruiz@example.com"), "Java and DuckDB hash emails alike");
        assertArrayEquals(new int[]{ana}, r.findByPhone("312 555 0105"));
        assertEquals(60601, r.zip(ana));
        assertFalse(r.active(ana));
        assertTrue(r.doNotPlace(ana));
        int odd = r.find("ZZ-1");
        assertEquals("ZZ-1", r.workerId(odd));
        assertFalse(r.hasEmail(odd));
        assertEquals(-1, r.zip(odd));
        assertEquals(0, r.findByPhone("n/a").length);
        assertEquals(-1, r.find("W-7"));
    }

    @Test
    void refusesAFileWithoutWorkerId() throws Exception {
        Path f = dir.resolve("bad.parquet");
        try (Connection c = new org.duckdb.DuckDBDriver().connect("jdbc:duckdb:", new java.util.Properties()); Statement st = c.createStatement()) {
            st.execute("COPY (SELECT 1 AS id) TO '" + f + "' (FORMAT parquet)");
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ParquetRosterReader.read(List.of(f), "v1", "64MB"));
        assertTrue(e.getMessage().contains("worker_id"));
    }
}

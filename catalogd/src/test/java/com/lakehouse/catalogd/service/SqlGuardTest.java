package com.lakehouse.catalogd.service;

import com.lakehouse.contracts.error.ApiException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SqlGuardTest {
    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT role, count(*) FROM workers GROUP BY role",
            "  select * from workers where name = 'DROP TABLE x; COPY' ;",
            "WITH t AS (SELECT 1 AS a) SELECT a FROM t",
            "FROM workers LIMIT 3",
            "DESCRIBE workers",
            "SHOW TABLES",
            "EXPLAIN SELECT 1",
            "SELECT replace(name, 'a', 'b') AS n FROM workers -- delete everything\n",
            "SELECT \"update\" FROM t /* insert */",
            "SELECT * FROM workers WHERE role = ? AND city = $1",
            "(SELECT 1) UNION ALL (SELECT 2)"})
    void readOnlyStatementsPass(String sql) {
        String checked = SqlGuard.check(sql);
        assertEquals(false, checked.endsWith(";"));
    }

    @org.junit.jupiter.api.Test
    void emptyStatementNamesTheField() {
        ApiException e = assertThrows(ApiException.class, () -> SqlGuard.check("/* only a comment */ ;"));
        assertEquals(400, e.status());
        assertEquals("sql", e.field());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "DROP TABLE workers",
            "COPY workers TO '/tmp/x.csv'",
            "ATTACH '/tmp/x.db' AS x",
            "INSTALL httpfs",
            "LOAD httpfs",
            "SELECT 1; DROP TABLE workers",
            "SELECT 1; SELECT 2",
            "CREATE TABLE t AS SELECT 1",
            "INSERT INTO workers VALUES (1)",
            "UPDATE workers SET role = 'x'",
            "DELETE FROM workers",
            "SELECT * FROM read_csv('/etc/passwd')",
            "SELECT * FROM READ_CSV_AUTO('/etc/passwd')",
            "SELECT * FROM \"read_text\"('/etc/passwd')",
            "SELECT * FROM '/etc/passwd'",
            "SELECT * FROM workers JOIN '/tmp/other.parquet' USING (id)",
            "SELECT * FROM parquet_scan('x.parquet')",
            "SELECT getenv('HOME')",
            "SELECT * FROM glob('/*')",
            "PRAGMA database_list",
            "SET memory_limit='1GB'",
            "CALL dbgen(sf=1)",
            "EXPORT DATABASE '/tmp/x'",
            "SELECT 'unterminated",
            "WITH x AS (DELETE FROM t RETURNING *) SELECT * FROM x",
            "SELECT * FROM query('DROP TABLE x')"})
    void writingOrFileTouchingStatementsAreRefused(String sql) {
        ApiException e = assertThrows(ApiException.class, () -> SqlGuard.check(sql));
        assertEquals(400, e.status());
        assertEquals("sql", e.field());
        assertEquals(SqlGuard.CODE, e.code(), e.getMessage());
    }
}

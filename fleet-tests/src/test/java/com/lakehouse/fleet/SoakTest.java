package com.lakehouse.fleet;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The 2-minute soak of issue 24 on a stack of its own: bench/soak/Soak.java (the driver bench/soak/run.sh runs)
 * drives mixed traffic through the gateway while a random daemon is kill -9'd and restarted or paused every
 * 30 s and S3 is paused once for 10 s. The musts: every acknowledged write is read back, no 5xx on a route whose
 * daemons were healthy, each daemon's RSS within its bound, and the faults really happened. The driver exits 1
 * naming each failed must; its report is kept in the stack's run directory and printed on failure.
 */
class SoakTest {
    static FleetSupport fleet;

    @BeforeAll
    static void up() {
        fleet = FleetSupport.start("soak", List.of(), null,
                Map.of("LAKEHOUSE_DEMO_SIZES", "--workers 1000 --jobs 100 --playbooks 200 --runs 50"));
    }

    @AfterAll
    static void down() {
        if (fleet != null) {
            fleet.close();
        }
    }

    @Test
    void twoMinutesOfMixedTrafficWithFaultsLoseNothing() throws Exception {
        Path report = fleet.runDir().resolve("soak-report.md");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "bench/soak/Soak.java", "--root", FleetSupport.root().toString(),
                "--stack", fleet.stack(), "--minutes", "2", "--rate", "25", "--interval", "30",
                "--targets", "embedd,vectord,matrixd,validatord,observerd,pathwayd,catalogd", "--out", report.toString())
                .directory(FleetSupport.root().toFile()).redirectErrorStream(true)
                .redirectOutput(fleet.runDir().resolve("soak-driver.log").toFile()).start();
        boolean done = p.waitFor(Duration.ofMinutes(9).toSeconds(), TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        String log = Files.readString(fleet.runDir().resolve("soak-driver.log"), StandardCharsets.UTF_8);
        assertTrue(done, "soak driver did not end within 9 minutes:\n" + log);
        assertTrue(Files.exists(report), "no report:\n" + log);
        String md = Files.readString(report);
        assertEquals(0, p.exitValue(), md + "\n" + fleet.tailLogs());
        assertTrue(md.contains("musts: all met"), md);
    }
}

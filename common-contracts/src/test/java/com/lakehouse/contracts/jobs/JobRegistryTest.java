package com.lakehouse.contracts.jobs;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JobRegistryTest {
    static JobView await(JobRegistry r, String id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            JobView v = r.view(id);
            if (JobState.valueOf(v.state().toUpperCase()).terminal()) {
                return v;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("job did not finish");
    }

    @Test
    void aQueuedJobWithUnknownTotalHasNoFractionAndAFinishedOneHasItsResult() throws Exception {
        try (JobRegistry r = new JobRegistry("t", 1, 16)) {
            CountDownLatch gate = new CountDownLatch(1);
            Job blocker = r.submit("block", j -> gate.await(5, TimeUnit.SECONDS));
            Job queued = r.submit("work", j -> {
                j.progress(3, 4);
                return "done";
            });
            JobView before = queued.view();
            assertEquals("queued", before.state());
            assertNull(before.progress().fraction());
            gate.countDown();
            JobView after = await(r, queued.id());
            assertEquals("succeeded", after.state());
            assertEquals("done", after.result());
            assertEquals(0.75, after.progress().fraction());
            assertEquals("succeeded", await(r, blocker.id()).state());
        }
    }

    @Test
    void failureAndCancellationAreReported() throws Exception {
        try (JobRegistry r = new JobRegistry("t", 1, 16)) {
            Job failing = r.submit("fail", j -> {
                throw new IllegalStateException("target down at item 3");
            });
            JobView f = await(r, failing.id());
            assertEquals("failed", f.state());
            assertEquals("target down at item 3", f.error());
            CountDownLatch started = new CountDownLatch(1);
            Job loop = r.submit("loop", j -> {
                started.countDown();
                while (!j.cancelRequested()) {
                    Thread.sleep(5);
                }
                return null;
            });
            assertTrue(started.await(5, TimeUnit.SECONDS));
            r.cancel(loop.id());
            assertEquals("cancelled", await(r, loop.id()).state());
        }
    }
}

package com.lakehouse.gateway.service;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.*;

/** Rates from two samples of the same replica, with the clock driven by the test. */
class RateTrackerTest {
    private static final long S = 1_000_000_000L;

    private static MetricsSnapshot snap(double uptime, long requests, long errors) {
        return new MetricsSnapshot(uptime, 1L, 2L, 3L, requests, errors);
    }

    @Test
    void firstSampleHasNoRateThenDeltaOverElapsedTime() {
        RateTracker t = new RateTracker(Duration.ofSeconds(2));
        assertEquals(new RateTracker.Rates(null, null), t.observe("a", snap(100, 50, 1), 0));
        RateTracker.Rates r = t.observe("a", snap(110, 150, 6), 10 * S);
        assertEquals(10.0, r.requestsPerSecond(), 1e-9);
        assertEquals(0.5, r.errorsPerSecond(), 1e-9);
        // the next window starts at the second sample
        r = t.observe("a", snap(114, 150, 6), 14 * S);
        assertEquals(0.0, r.requestsPerSecond(), 1e-9);
        // replicas are tracked apart
        assertNull(t.observe("b", snap(5, 1000, 0), 14 * S).requestsPerSecond());
    }

    @Test
    void aCounterResetOrAShorterUptimeStartsOver() {
        RateTracker t = new RateTracker(Duration.ofSeconds(1));
        t.observe("a", snap(100, 500, 3), 0);
        assertNull(t.observe("a", snap(101, 20, 0), 5 * S).requestsPerSecond(), "counter went backwards: restarted");
        assertEquals(2.0, t.observe("a", snap(106, 30, 0), 10 * S).requestsPerSecond(), 1e-9);
        assertNull(t.observe("a", snap(3, 40, 0), 15 * S).requestsPerSecond(), "uptime went backwards: restarted");
        assertEquals(4.0, t.observe("a", snap(8, 60, 0), 20 * S).requestsPerSecond(), 1e-9);
    }

    @Test
    void aSampleInsideTheMinimumIntervalAnswersTheLastRateAndKeepsTheBaseline() {
        RateTracker t = new RateTracker(Duration.ofSeconds(2));
        t.observe("a", snap(100, 0, 0), 0);
        assertNull(t.observe("a", snap(100.1, 5, 0), S / 10).requestsPerSecond(), "too soon after the first sample");
        assertEquals(3.0, t.observe("a", snap(104, 12, 0), 4 * S).requestsPerSecond(), 1e-9);
        // 100 ms later with a burst: still the last rate, not 1000 req/s
        assertEquals(3.0, t.observe("a", snap(104.1, 112, 0), 4 * S + S / 10).requestsPerSecond(), 1e-9);
        // the baseline stayed at t=4 s: (212 - 12) / 2 s
        assertEquals(100.0, t.observe("a", snap(106, 212, 0), 6 * S).requestsPerSecond(), 1e-9);
    }
}

package com.lakehouse.pathwayd.service;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TraceSelectionTest {
    static Trace trace(String uid, String role, List<String> tags, boolean retired, String supersededBy) {
        Instant t = Instant.EPOCH;
        return new Trace(uid, "p-" + uid, 1, null, "fill", "s", "sig", PathwayMemoryTest.FILL, "h", tags, role, t, t,
                null, supersededBy, retired, retired ? "x" : null, 0);
    }

    final Map<String, Trace> traces = Map.of(
            "fork", trace("fork", "Forklift Operators", List.of("detroit", "nights"), false, null),
            "pick", trace("pick", "Picker", List.of("detroit", "nights"), false, null),
            "old", trace("old", "forklift driver", List.of("detroit"), false, "fork"),
            "gone", trace("gone", "Forklift Operator", List.of("detroit"), true, null),
            "norole", trace("norole", null, List.of("detroit"), false, null));
    final List<TraceSelection.Hit> hits = List.of(new TraceSelection.Hit("pick", 0.05, 0.95),
            new TraceSelection.Hit("old", 0.06, 0.94), new TraceSelection.Hit("gone", 0.07, 0.93),
            new TraceSelection.Hit("fork", 0.10, 0.9), new TraceSelection.Hit("norole", 0.2, 0.8),
            new TraceSelection.Hit("unknown", 0.01, 0.99));

    @Test
    void roleGateDropsOtherRolesButKeepsSynonymsAndRoleless() {
        TraceSelection.Selection s = TraceSelection.select(hits, traces, "forklift operator", List.of(), 10);
        assertEquals(List.of("fork", "norole"), s.results().stream().map(r -> r.trace().traceUid()).toList());
        assertEquals(1, s.droppedByRole());
        assertEquals(3, s.droppedNotLive(), "superseded, retired and unknown ids never come back");
    }

    @Test
    void noRoleMeansNoGateAndKLimits() {
        TraceSelection.Selection s = TraceSelection.select(hits, traces, null, null, 2);
        assertEquals(List.of("pick", "fork"), s.results().stream().map(r -> r.trace().traceUid()).toList());
        assertEquals(0, s.droppedByRole());
    }

    @Test
    void tagsMustAllBePresent() {
        TraceSelection.Selection s = TraceSelection.select(hits, traces, null, List.of("nights"), 10);
        assertEquals(List.of("pick", "fork"), s.results().stream().map(r -> r.trace().traceUid()).toList());
        assertEquals(1, s.droppedByTags());
    }
}

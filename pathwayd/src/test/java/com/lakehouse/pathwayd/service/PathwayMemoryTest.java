package com.lakehouse.pathwayd.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.lakehouse.contracts.error.ApiException;
import com.lakehouse.contracts.json.Json;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

public class PathwayMemoryTest {
    final PathwayMemory memory = new PathwayMemory(Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC));
    final List<Operation> log = new ArrayList<>();

    static JsonNode content(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    public static final JsonNode FILL = content("{\"steps\":[\"search workers\",\"validate fill\"],\"verdict\":\"accepted\"}");

    PathwayMemory.Decision upsert(JsonNode c) {
        PathwayMemory.Decision d = memory.decideUpsert("fill", "forklift detroit", "validated", c, List.of("detroit"),
                "Forklift Operator", "r1");
        if (d.operation() != null) {
            commit(d.operation());
        }
        return d;
    }

    void commit(Operation op) {
        log.add(op);
        memory.apply(op);
    }

    @Test
    void newWorkflowIsAddedWithPathwayIdFromItsClassSubjectAndSignal() {
        PathwayMemory.Decision d = upsert(FILL);
        assertEquals(PathwayMemory.Event.ADD, d.event());
        assertEquals(1, d.current().version());
        assertEquals(Canonical.pathwayId("fill", "forklift detroit", "validated"), d.current().pathwayId());
        assertEquals(0, d.current().replayCount());
    }

    @Test
    void identicalWorkflowBumpsReplayCountEvenWithKeysInAnotherOrder() {
        upsert(FILL);
        PathwayMemory.Decision again = upsert(content("{\"verdict\":\"accepted\",\"steps\":[\"search workers\",\"validate fill\"]}"));
        assertEquals(PathwayMemory.Event.UPDATED, again.event());
        assertEquals(1, again.current().replayCount());
        assertEquals(1, memory.size());
    }

    @Test
    void changedWorkflowIsANoopPointingAtRevise() {
        upsert(FILL);
        PathwayMemory.Decision d = upsert(content("{\"steps\":[\"search workers\"],\"verdict\":\"rejected\"}"));
        assertEquals(PathwayMemory.Event.NOOP, d.event());
        assertNull(d.operation());
        assertTrue(d.reason().contains("revise"));
        assertEquals(0, memory.get(d.current().traceUid()).orElseThrow().replayCount());
    }

    @Test
    void reviseChainsVersionsAndSupersedesTheParent() {
        Trace v1 = upsert(FILL).current();
        Operation r2 = memory.decideRevise(v1.traceUid(), content("{\"steps\":[\"a\"],\"verdict\":\"v2\"}"), null, null, "r2");
        commit(r2);
        Trace p = memory.get(v1.traceUid()).orElseThrow();
        assertEquals(r2.trace().traceUid(), p.supersededByTraceUid());
        assertNotNull(p.supersededAt());
        assertFalse(p.live());
        assertEquals(2, r2.trace().version());
        assertEquals(v1.traceUid(), r2.trace().parentTraceUid());
        assertEquals("Forklift Operator", r2.trace().role(), "role inherited from the parent");
        ApiException superseded = assertThrows(ApiException.class,
                () -> memory.decideRevise(v1.traceUid(), FILL, null, null, "r3"));
        assertEquals(409, superseded.status());
        assertEquals("parent_superseded", superseded.code());
    }

    @Test
    void aRetireInTheMiddleOfAChainStopsRevisionAndHistoryStillShowsTheWholeChain() {
        Trace v1 = upsert(FILL).current();
        Operation r2 = memory.decideRevise(v1.traceUid(), content("{\"steps\":[\"b\"],\"verdict\":\"v2\"}"), null, null, "r2");
        commit(r2);
        Operation r3 = memory.decideRevise(r2.traceUid(), content("{\"steps\":[\"c\"],\"verdict\":\"v3\"}"), null, null, "r3");
        commit(r3);
        commit(memory.decideRetire(r3.traceUid(), "client changed the process", "r4").orElseThrow());
        ApiException retired = assertThrows(ApiException.class,
                () -> memory.decideRevise(r3.traceUid(), FILL, null, null, "r5"));
        assertEquals("parent_retired", retired.code());
        PathwayMemory.History h = memory.history(r2.traceUid());
        assertEquals(List.of(v1.traceUid(), r2.traceUid(), r3.traceUid()), h.chain().stream().map(Trace::traceUid).toList());
        assertFalse(h.cycleDetected());
        assertTrue(memory.liveTip(v1.pathwayId()).isEmpty(), "no live version after the tip was retired");
        // With no live version, the same workflow can be added again as a new chain.
        assertEquals(PathwayMemory.Event.ADD, upsert(FILL).event());
    }

    @Test
    void retireIsIdempotent() {
        Trace v1 = upsert(FILL).current();
        commit(memory.decideRetire(v1.traceUid(), "obsolete", "r").orElseThrow());
        assertTrue(memory.decideRetire(v1.traceUid(), "again", "r").isEmpty());
        assertEquals("obsolete", memory.get(v1.traceUid()).orElseThrow().retirementReason());
        assertThrows(ApiException.class, () -> memory.decideRetire("nope", "x", "r"));
    }

    @Test
    void historyOnACraftedCycleTerminatesAndSaysSo() {
        Instant t = Instant.parse("2026-11-25T10:00:00Z");
        Trace a = new Trace("a", "p", 1, "b", "fill", "s", "sig", FILL, "h", List.of(), null, t, t, t, "b", false, null, 0);
        Trace b = new Trace("b", "p", 2, "a", "fill", "s", "sig", FILL, "h", List.of(), null, t, t, t, "a", false, null, 0);
        memory.apply(new Operation(1, Operation.ADD, t, "a", a, null, null));
        memory.apply(new Operation(2, Operation.ADD, t, "b", b, null, null));
        PathwayMemory.History h = memory.history("a");
        assertTrue(h.cycleDetected());
        assertEquals(2, h.chain().size());
    }

    @Test
    void replayingTheLogRebuildsTheSameState() {
        Trace v1 = upsert(FILL).current();
        upsert(FILL);
        Operation r2 = memory.decideRevise(v1.traceUid(), content("{\"steps\":[\"b\"],\"verdict\":\"v2\"}"), null, null, "r2");
        commit(r2);
        commit(memory.decideReplay(r2.traceUid(), "r3"));
        PathwayMemory restarted = new PathwayMemory(Clock.systemUTC());
        log.forEach(restarted::apply);
        assertEquals(memory.all().stream().sorted((x, y) -> x.traceUid().compareTo(y.traceUid())).toList(),
                restarted.all().stream().sorted((x, y) -> x.traceUid().compareTo(y.traceUid())).toList());
        assertEquals(memory.lastSeq(), restarted.lastSeq());
        assertEquals(1, restarted.get(r2.traceUid()).orElseThrow().replayCount());
    }
}

package com.lakehouse.replayd.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.lakehouse.contracts.json.Json;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RegressionComparatorTest {
    final RegressionComparator c = new RegressionComparator(0.6, 0.8);

    static JsonNode j(String s) {
        try {
            return Json.mapper().readTree(s);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void searchOverlapAtKDecides() {
        JsonNode recorded = j("{\"ids\":[\"W-1\",\"W-2\",\"W-3\"]}");
        Replay.Outcome same = c.compare("/v1/matrix/search", recorded, true, 200,
                j("{\"results\":[{\"id\":\"W-2\"},{\"id\":\"W-1\"},{\"id\":\"W-9\"},{\"id\":\"W-3\"}]}"), (a, b) -> 1);
        assertEquals("same", same.verdict());
        assertEquals(2.0 / 3, same.diff().get("overlap_at_k").asDouble(), 1e-9);
        Replay.Outcome bad = c.compare("/v1/matrix/search", recorded, true, 200,
                j("{\"results\":[{\"id\":\"W-7\"},{\"id\":\"W-8\"},{\"id\":\"W-1\"}]}"), (a, b) -> 1);
        assertEquals("regressed", bad.verdict());
        assertEquals("[\"W-2\",\"W-3\"]", bad.diff().get("missing").toString());
    }

    @Test
    void matrixdRecordsIdObjectsAndARefusedReplayIsAnErrorNotARegression() {
        JsonNode recorded = j("{\"ids\":[{\"id\":\"W-1\",\"corpus\":\"workers\",\"distance\":0.1},{\"id\":\"W-2\"}]}");
        Replay.Outcome same = c.compare("/v1/matrix/search", recorded, true, 200,
                j("{\"results\":[{\"id\":\"W-1\"},{\"id\":\"W-2\"}]}"), (a, b) -> 1);
        assertEquals("same", same.verdict());
        assertEquals(1.0, same.diff().get("overlap_at_k").asDouble(), 1e-9);
        assertEquals("error", c.compare("/v1/matrix/search", recorded, true, 401, j("{}"), (a, b) -> 1).verdict());
        assertEquals("error", c.compare("/v1/iterate", j("{\"valid\":true}"), true, 400, j("{}"), (a, b) -> 1).verdict());
    }

    @Test
    void aGuardThatStoppedCatchingIsARegression() {
        JsonNode recorded = j("{\"valid\":false,\"findings\":[{\"code\":\"ssn_detected\"}]}");
        assertEquals("regressed", c.compare("/v1/validate", recorded, false, 200, j("{\"valid\":true}"), (a, b) -> 1).verdict());
        assertEquals("same", c.compare("/v1/validate", recorded, false, 422, j("{\"error\":{}}"), (a, b) -> 1).verdict());
        assertEquals("improved", c.compare("/v1/validate", j("{\"valid\":true}"), true, 422, j("{}"), (a, b) -> 1).verdict());
    }

    @Test
    void iterateComparesSuccessThenSimilarity() {
        JsonNode failed = j("{\"artifact\":{\"fills\":[]},\"validation\":{\"valid\":false}}");
        assertEquals("improved", c.compare("/v1/iterate", failed, false, 200, j("{\"artifact\":{\"fills\":[1]}}"), (a, b) -> 1).verdict());
        JsonNode ok = j("{\"artifact\":{\"fills\":[1]},\"validation\":{\"valid\":true}}");
        assertEquals("regressed", c.compare("/v1/iterate", ok, true, 422, j("{\"error\":\"x\"}"), (a, b) -> 1).verdict());
        Replay.Outcome same = c.compare("/v1/iterate", ok, true, 200, j("{\"artifact\":{\"fills\":[2]}}"), (a, b) -> 0.42);
        assertEquals("same", same.verdict());
        assertEquals(0.42, same.diff().get("similarity").asDouble(), 1e-9);
    }

    @Test
    void chatUsesSimilarity() {
        JsonNode rec = j("{\"message\":{\"content\":\"Three forklift operators in Detroit\"}}");
        assertEquals("same", c.compare("/v1/chat", rec, true, 200, j("{\"message\":{\"content\":\"x\"}}"), (a, b) -> 0.9).verdict());
        assertEquals("regressed", c.compare("/v1/chat", rec, true, 200, j("{\"message\":{\"content\":\"x\"}}"), (a, b) -> 0.3).verdict());
        assertEquals("regressed", c.compare("/v1/chat", rec, true, 503, j("{}"), (a, b) -> 1).verdict());
    }
}

package com.lakehouse.gateway.service;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RouteScopesTest {
    @Test
    void readRoutes() {
        for (String[] r : new String[][] {{"GET", "/v1/vectors/index"}, {"POST", "/v1/embed"}, {"POST", "/v1/embeddings"},
                {"POST", "/v1/sql"}, {"POST", "/v1/matrix/search"}, {"POST", "/v1/vectors/index/people/search"},
                {"POST", "/v1/vectors/index/people/search/batch"}, {"GET", "/v1/embed/stats"}, {"GET", "/v1/observer/ops"},
                {"POST", "/v1/chat"}, {"POST", "/v1/chat/completions"}, {"POST", "/v1/validate"}, {"POST", "/v1/iterate"},
                {"POST", "/v1/pathway/search"}, {"POST", "/api/embed"}, {"POST", "/api/chat"}, {"GET", "/api/tags"},
                {"POST", "/api/show"}, {"GET", "/v1/distill/jobs"}, {"HEAD", "/v1/sql"}}) {
            assertEquals(Scope.READ, RouteScopes.required(r[0], r[1]), r[0] + " " + r[1]);
        }
    }

    @Test
    void writeRoutes() {
        for (String[] r : new String[][] {{"POST", "/v1/ingest/workers"}, {"POST", "/v1/vectors/index/people/add"},
                {"POST", "/v1/vectors/index"}, {"POST", "/v1/matrix/playbooks/record"}, {"PUT", "/v1/matrix/corpora/workers"},
                {"POST", "/v1/pathway/upsert"}, {"POST", "/v1/observer/event"}, {"POST", "/v1/replay/jobs"},
                {"POST", "/v1/vectors/index/people/searchx"}, {"POST", "/v1/chatx"}, {"POST", "/api/pull"}}) {
            assertEquals(Scope.WRITE, RouteScopes.required(r[0], r[1]), r[0] + " " + r[1]);
        }
    }

    @Test
    void adminRoutes() {
        for (String[] r : new String[][] {{"DELETE", "/v1/vectors/index/people"}, {"DELETE", "/v1/catalog/datasets/workers"},
                {"DELETE", "/v1/embed"}, {"POST", "/v1/validate/roster/reload"}, {"POST", "/v1/truth/reload"},
                {"POST", "/v1/distill/export"}, {"POST", "/v1/distill/materialize"}, {"POST", "/v1/observer/workflows/run"},
                {"GET", "/v1/observer/workflows/run"}}) {
            assertEquals(Scope.ADMIN, RouteScopes.required(r[0], r[1]), r[0] + " " + r[1]);
        }
    }

    @Test
    void patterns() {
        assertTrue(RouteScopes.pathMatches("/v1/chat/**", "/v1/chat"));
        assertTrue(RouteScopes.pathMatches("/v1/chat/**", "/v1/chat/a/b"));
        assertFalse(RouteScopes.pathMatches("/v1/chat/**", "/v1/chatx"));
        assertTrue(RouteScopes.pathMatches("/v1/vectors/index/*/search", "/v1/vectors/index/a/search"));
        assertFalse(RouteScopes.pathMatches("/v1/vectors/index/*/search", "/v1/vectors/index/a/b/search"));
    }

    @Test
    void scopeLists() {
        assertEquals(java.util.EnumSet.allOf(Scope.class), Scope.parseList("all"));
        assertEquals(java.util.EnumSet.of(Scope.READ, Scope.WRITE), Scope.parseList("read,write"));
        assertThrows(IllegalArgumentException.class, () -> Scope.parseList("root"));
        assertThrows(IllegalArgumentException.class, () -> Scope.parseList(""));
    }
}

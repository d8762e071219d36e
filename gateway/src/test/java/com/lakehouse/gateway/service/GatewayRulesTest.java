package com.lakehouse.gateway.service;

import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/** The plain-Java rules: routing table, upstream URL validation, API keys. */
class GatewayRulesTest {
    @Test
    void routingTableFollowsDesign() {
        assertEquals(Optional.of("embedd"), RoutingTable.daemonFor("/v1/embed"));
        assertEquals(Optional.of("embedd"), RoutingTable.daemonFor("/v1/embed/stats"));
        assertEquals(Optional.of("validatord"), RoutingTable.daemonFor("/v1/validate/roster/reload"));
        assertEquals(Optional.empty(), RoutingTable.daemonFor("/v1/iterate/x"));
        assertEquals(Optional.of("vectord"), RoutingTable.daemonFor("/v1/vectors"));
        assertEquals(Optional.of("vectord"), RoutingTable.daemonFor("/v1/vectors/index/a/search"));
        assertEquals(Optional.empty(), RoutingTable.daemonFor("/v1/vectorsx"));
        assertEquals(Optional.of("chatd"), RoutingTable.daemonFor("/v1/chat/completions"));
        assertEquals(Optional.of("catalogd"), RoutingTable.daemonFor("/v1/sql"));
        assertEquals(Optional.empty(), RoutingTable.daemonFor("/v1/sql/x"));
        assertEquals(Optional.of("embedd"), RoutingTable.daemonFor("/api/embed"));
        assertEquals(Optional.of("embedd"), RoutingTable.daemonFor("/api/embeddings"));
        assertEquals(Optional.of("embedd"), RoutingTable.daemonFor("/api/version"));
        assertEquals(Optional.of("embedd"), RoutingTable.daemonFor("/api/ps"));
        assertEquals(Optional.of("chatd"), RoutingTable.daemonFor("/api/tags"));
        assertEquals(Optional.of("chatd"), RoutingTable.daemonFor("/api/show"));
        assertEquals(Optional.of("chatd"), RoutingTable.daemonFor("/api/chat"));
        assertEquals(Optional.of("chatd"), RoutingTable.daemonFor("/api/generate"));
        assertEquals(Optional.of("chatd"), RoutingTable.daemonFor("/v1/models/kimi/fake"));
        assertEquals(Optional.empty(), RoutingTable.daemonFor("/api/pull"));
        assertEquals(Optional.of(RoutingTable.SELF), RoutingTable.daemonFor("/v1/fleet/health"));
        assertEquals(Optional.of(RoutingTable.SELF), RoutingTable.daemonFor("/v1/fleet/metrics"));
        assertEquals(Optional.empty(), RoutingTable.daemonFor("/v1/fleet/other"));
        assertEquals(Optional.empty(), RoutingTable.daemonFor("/health"));
    }

    @Test
    void malformedUpstreamUrlsAreRefusedNamingTheKey() {
        for (String bad : List.of("htp://x:1", "127.0.0.1:5101", "http://", "http://h:99999", "http://u:p@h:1",
                "http://h:1/?q=1", "http://h:1/#f", "http://bad host:1", "")) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> UpstreamUrls.parseList("lakehouse.gateway.upstreams.embedd", bad), bad);
            assertTrue(e.getMessage().contains("lakehouse.gateway.upstreams.embedd"), e.getMessage());
        }
        assertThrows(IllegalStateException.class, () -> UpstreamUrls.parseList("k", "http://a:1,,http://b:2"));
    }

    @Test
    void wellFormedUpstreamUrlsParse() {
        var list = UpstreamUrls.parseList("k", "http://127.0.0.1:5101, https://embedd.internal/base/");
        assertEquals(2, list.size());
        assertEquals(5101, UpstreamUrls.port(list.get(0)));
        assertEquals("", UpstreamUrls.basePath(list.get(0)));
        assertEquals(443, UpstreamUrls.port(list.get(1)));
        assertEquals("/base", UpstreamUrls.basePath(list.get(1)));
    }

    @Test
    void apiKeysFromConfigAndFile() throws Exception {
        Path f = Files.createTempFile("keys", ".txt");
        try {
            Files.writeString(f, "# comment\n\n  file-key  \n");
            ApiKeys keys = ApiKeys.load(List.of("a-key", " "), f);
            assertEquals(2, keys.size());
            assertTrue(keys.accepts("a-key"));
            assertTrue(keys.accepts("file-key"));
            assertFalse(keys.accepts("# comment"));
            assertFalse(keys.accepts("a-ke"));
            assertFalse(keys.accepts(null));
        } finally {
            Files.delete(f);
        }
        assertThrows(UncheckedIOException.class, () -> ApiKeys.load(List.of(), Path.of("/nonexistent/keys")));
    }

    @Test
    void presentedKeyFromEitherHeader() {
        assertEquals("k1", ApiKeys.presented("Bearer k1", null));
        assertEquals("k1", ApiKeys.presented("bearer  k1 ", "k2"));
        assertEquals("k2", ApiKeys.presented("Basic abc", "k2"));
        assertNull(ApiKeys.presented(null, " "));
        assertNull(ApiKeys.presented("Bearer ", null));
    }
}

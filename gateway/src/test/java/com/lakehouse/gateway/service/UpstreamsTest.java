package com.lakehouse.gateway.service;

import com.lakehouse.contracts.fleet.Daemons;
import com.lakehouse.contracts.fleet.FleetConfig;
import com.lakehouse.gateway.config.GatewayConfig;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The table the gateway builds at startup, and its refusal to start on bad upstream config. */
class UpstreamsTest {
    @SuppressWarnings("unchecked")
    private static <T> T config(Class<T> type, Map<String, Object> values) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, m, a) -> {
            if (values.containsKey(m.getName())) {
                return values.get(m.getName());
            }
            throw new UnsupportedOperationException(m.getName());
        });
    }

    private static FleetConfig fleet(String daemon, String url) {
        Map<String, Object> urls = new HashMap<>();
        Daemons.ALL.forEach(d -> urls.put(d.name(), "http://127.0.0.1:" + d.defaultPort()));
        if (daemon != null) {
            urls.put(daemon, url);
        }
        return config(FleetConfig.class, urls);
    }

    private static GatewayConfig gateway(Map<String, String> upstreams, Map<String, Duration> timeouts) {
        return config(GatewayConfig.class, Map.of("upstreams", upstreams, "timeouts", timeouts,
                "defaultTimeout", Duration.ofSeconds(30)));
    }

    @Test
    void buildsTenUpstreamsWithOverridesAndTimeouts() {
        var table = Upstreams.build(fleet(null, null),
                gateway(Map.of("pathwayd", "http://10.0.0.1:5109, http://10.0.0.2:5109"), Map.of("chatd", Duration.ofSeconds(300))));
        assertEquals(10, table.size());
        assertFalse(table.containsKey("gateway"));
        assertEquals(2, table.get("pathwayd").bases().size());
        assertEquals("http://127.0.0.1:5101", table.get("embedd").bases().get(0).toString());
        assertEquals(Duration.ofSeconds(300), table.get("chatd").timeout());
        assertEquals(Duration.ofSeconds(30), table.get("vectord").timeout());
        var p = table.get("pathwayd");
        assertNotEquals(p.next(), p.next());
    }

    @Test
    void malformedFleetUrlRefusesNamingTheKey() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Upstreams.build(fleet("embedd", "localhost:5101"), gateway(Map.of(), Map.of())));
        assertTrue(e.getMessage().contains("lakehouse.fleet.embedd"), e.getMessage());
        e = assertThrows(IllegalStateException.class,
                () -> Upstreams.build(fleet(null, null), gateway(Map.of("vectord", "http://a:1,ftp://b"), Map.of())));
        assertTrue(e.getMessage().contains("lakehouse.gateway.upstreams.vectord"), e.getMessage());
    }

    @Test
    void unknownDaemonKeysRefuse() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Upstreams.build(fleet(null, null), gateway(Map.of("vectrod", "http://a:1"), Map.of())));
        assertTrue(e.getMessage().contains("lakehouse.gateway.upstreams.vectrod"), e.getMessage());
        e = assertThrows(IllegalStateException.class,
                () -> Upstreams.build(fleet(null, null), gateway(Map.of(), Map.of("chat", Duration.ofSeconds(1)))));
        assertTrue(e.getMessage().contains("lakehouse.gateway.timeouts.chat"), e.getMessage());
    }
}

package com.lakehouse.contracts.error;

import com.lakehouse.contracts.client.UpstreamException;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ApiExceptionTest {

    @Test
    void anUnreachableTimedOutOrBreakerOpenPeerIsA503NamingIt() {
        ApiException a = ApiException.fromUpstream(new UpstreamException("embedd", "unreachable (connection refused)",
                new ConnectException("connection refused")));
        assertEquals(503, a.status());
        assertEquals("embedd_unavailable", a.code());
        assertEquals("embedd: unreachable (connection refused)", a.getMessage());
        assertNull(a.field());
        ApiException breaker = ApiException.fromUpstream(new UpstreamException("vectord", 0,
                "circuit breaker open after repeated failures"));
        assertEquals(503, breaker.status());
        assertEquals("vectord_unavailable", breaker.code());
    }

    @Test
    void aPeerAnswering503IsA503() {
        ApiException a = ApiException.fromUpstream(new UpstreamException("chatd", 503, "POST /v1/chat answered 503"));
        assertEquals(503, a.status());
        assertEquals("chatd_unavailable", a.code());
    }

    @Test
    void anyOtherPeerFailureIsA502NamingIt() {
        for (int status : new int[] {500, 502, 504, 400, 404, 409, 200}) {
            ApiException a = ApiException.fromUpstream(new UpstreamException("catalogd", status, "answered " + status));
            assertEquals(502, a.status(), "peer status " + status);
            assertEquals("catalogd_error", a.code(), "peer status " + status);
            assertEquals("catalogd: answered " + status, a.getMessage());
        }
    }
}

package com.lakehouse.contracts.error;

import com.lakehouse.contracts.client.UpstreamException;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The shared mapper turns an escaped peer failure into the fleet's 503/502 problem instead of a 500. */
class ProblemExceptionMappersTest {
    private final ProblemExceptionMappers mappers = new ProblemExceptionMappers();

    @Test
    void anEscapedPeerFailureIsA503WhenThePeerIsDownAndA502Otherwise() {
        Response down = mappers.upstream(new UpstreamException("vectord", 0, "unreachable"), null);
        assertEquals(503, down.getStatus());
        assertEquals(Problem.MEDIA_TYPE, down.getMediaType().toString());
        assertEquals("vectord_unavailable", ((Problem) down.getEntity()).code());

        Response broken = mappers.upstream(new UpstreamException("catalogd", 500, "answered 500"), null);
        assertEquals(502, broken.getStatus());
        assertEquals("catalogd_error", ((Problem) broken.getEntity()).code());
        assertEquals("catalogd: answered 500", ((Problem) broken.getEntity()).detail());
    }
}

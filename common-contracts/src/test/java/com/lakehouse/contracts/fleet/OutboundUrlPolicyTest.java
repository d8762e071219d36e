package com.lakehouse.contracts.fleet;

import com.lakehouse.contracts.error.ApiException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class OutboundUrlPolicyTest {
    private final OutboundUrlPolicy policy = new OutboundUrlPolicy(List.of("http://127.0.0.1:5101", "http://127.0.0.1:5102/",
            "https://vectors.example.com/base"));

    @Test
    void theFleetsDaemonsAndTheAllowListPass() {
        assertEquals("http://127.0.0.1:5101/v1/embed", policy.require("url", "http://127.0.0.1:5101/v1/embed"));
        assertEquals("http://127.0.0.1:5102", policy.require("url", "http://127.0.0.1:5102"));
        assertEquals("HTTP://127.0.0.1:5102/v1/vectors/index?x=1", policy.require("url", "HTTP://127.0.0.1:5102/v1/vectors/index?x=1"));
        assertEquals("https://vectors.example.com/base/v1", policy.require("url", "https://vectors.example.com/base/v1"));
        assertEquals("https://vectors.example.com:443/base", policy.require("url", "https://vectors.example.com:443/base"));
    }

    @Test
    void everythingElseIsA400NamingTheField() {
        for (String bad : List.of(
                "http://127.0.0.1:5103/",            // a loopback port that is not a fleet daemon here
                "http://127.0.0.1:22/", "http://127.0.0.1/", "https://127.0.0.1:5101/",
                "http://0.0.0.0:5101/", "http://localhost:5101/",
                "http://169.254.169.254/latest/meta-data/", "http://[fd00:ec2::254]/",
                "file:///etc/passwd", "gopher://127.0.0.1:5101/_x", "ftp://127.0.0.1:5101/", "jar:http://127.0.0.1:5101!/",
                "http://[::1]:5101/", "http://[::ffff:127.0.0.1]:5101/", "http://[0:0:0:0:0:0:0:1]:5101/",
                "http://2130706433:5101/", "http://017700000001:5101/", "http://0x7f000001:5101/", "http://0x7f.1:5101/",
                "http://127.1:5101/", "http://127.0.0.01:5101/",
                "http://fleet@evil.example/", "http://127.0.0.1:5101@evil.example/", "http://evil.example#@127.0.0.1:5101/",
                "http://evil.example\\@127.0.0.1:5101/", "http://127.0.0.1:5101/../x", "http://127.0.0.1:5101/%2e%2e/x",
                "http://vectors.example.com/base", "https://vectors.example.com/basement", "https://vectors.example.com/",
                "//127.0.0.1:5101/", "/v1/embed", "http://", "http:///v1", "not a url", " ")) {
            ApiException e = assertThrows(ApiException.class, () -> policy.require("nodes[0].url", bad), bad);
            assertEquals(400, e.status(), bad);
            assertEquals("nodes[0].url", e.field(), bad);
        }
    }

    @Test
    void aMalformedConfiguredBaseRefusesToStart() {
        assertThrows(IllegalArgumentException.class, () -> new OutboundUrlPolicy(List.of("ftp://x")));
    }
}

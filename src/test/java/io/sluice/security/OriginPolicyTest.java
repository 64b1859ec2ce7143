package io.sluice.security;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which Origins may open a WebSocket: same-origin by default, an explicit list, or any. */
class OriginPolicyTest {
    @Test
    void byDefaultOnlyTheNodesOwnOriginAndNonBrowsers() {
        OriginPolicy p = new OriginPolicy(true, List.of());
        assertTrue(p.enforced());
        assertTrue(p.allows(null, "broker:8080"), "no Origin: not a browser page");
        assertTrue(p.allows("http://broker:8080", "broker:8080"));
        assertTrue(p.allows("https://Broker.example.com", "broker.example.com"), "behind a TLS proxy, default ports omitted");
        assertFalse(p.allows("https://evil.example", "broker:8080"));
        assertFalse(p.allows("http://broker:8081", "broker:8080"));
        assertFalse(p.allows("http://broker.evil:8080", "broker:8080"));
        assertFalse(p.allows("null", "broker:8080"), "an opaque origin is nobody's");
        assertFalse(p.allows("ws://broker:8080", "broker:8080"));
        assertFalse(p.allows("http://broker:8080", null));
        assertFalse(p.allows("%%%", "broker:8080"));
    }

    @Test
    void aListAllowsItsOriginsBesidesTheNodesOwnAndStarAllowsAny() {
        OriginPolicy p = new OriginPolicy(false, List.of("https://app.example.com", "http://localhost:3000/"));
        assertTrue(p.enforced(), "a list is enforced with security off too");
        assertTrue(p.allows("https://APP.example.com", "broker:8080"));
        assertTrue(p.allows("http://localhost:3000", "broker:8080"));
        assertFalse(p.allows("https://app.example.com.evil", "broker:8080"));
        assertTrue(p.allows("http://broker:8080", "broker:8080"), "the node's own origin (its console) stays allowed");
        assertFalse(p.allows("http://localhost:3001", "broker:8080"));
        OriginPolicy any = new OriginPolicy(true, List.of("*"));
        assertTrue(any.allows("https://anything.example", "broker:8080"));
        OriginPolicy off = new OriginPolicy(false, List.of());
        assertFalse(off.enforced());
        assertTrue(off.allows("https://evil.example", "broker:8080"), "security off and no list: anyone may connect anyway");
    }
}

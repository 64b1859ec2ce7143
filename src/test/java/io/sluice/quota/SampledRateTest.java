package io.sluice.quota;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.security.Principal;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Kafka's sampled rate and client quota semantics, on explicit times. */
class SampledRateTest {
    @Test
    void aYoungWindowCountsAsSamplesMinusOneWindows() {
        SampledRate r = new SampledRate(11, 1000, 0);
        r.record(1000, 0);
        // 1000 over the 10 full windows a rate is never measured on less than.
        assertEquals(100.0, r.rate(0), 1e-9);
        assertEquals(10_500, r.windowSizeMs(500), "what passed, plus the full windows missing");
    }

    @Test
    void oldSamplesAreForgottenAndTheWindowSlides() {
        SampledRate r = new SampledRate(3, 1000, 0);
        r.record(3000, 0);
        r.record(3000, 1000);
        r.record(3000, 2000);
        assertEquals(9000 / 2.5, r.rate(2500), 1e-9);
        // At 3000 the first sample (started at 0) is a whole window old: gone.
        r.record(0, 3000);
        assertEquals(6000 / 2.0, r.rate(3000), 1e-9);
        assertEquals(0.0, r.rate(10_000), 1e-9);
    }

    @Test
    void throttleTimeIsKafkasFormulaCappedAtTheWindow() {
        QuotaSettings settings = new QuotaSettings(Map.of(QuotaType.PRODUCE, 100.0), Map.of(), 11, 1000, 3_600_000,
                Integer.MAX_VALUE, Integer.MAX_VALUE);
        ClientQuotaManager m = new ClientQuotaManager(QuotaType.PRODUCE, settings, new SimpleMeterRegistry(), () -> 0);
        Principal alice = Principal.user("alice");
        assertEquals(0, m.record(alice, null, 1000, 0), "exactly the quota over the 10 s minimum window");
        // 1500 / 10 s = 150/s: (150 - 100) / 100 × 10 s = 5 s.
        assertEquals(5000, m.record(alice, null, 500, 0));
        assertEquals(5000, m.throttleMs(alice, null, 0));
        assertEquals(11_000, m.record(alice, null, 1_000_000, 0), "capped at the whole window");
        assertTrue(m.throttleMs(alice, null, 0) > m.maxThrottleMs(), "a next request would be refused");
        assertEquals(0, m.record(Principal.user("bob"), null, 10, 0), "bob has a budget of his own");
    }

    @Test
    void overridesFollowKafkasPrecedence() {
        QuotaSettings settings = new QuotaSettings(Map.of(QuotaType.REQUEST, 100.0), QuotaSettings.overrides(
                "User:alice:request_rate=10;client-id:app:request_rate=20;User:alice&client-id:app:request_rate=30"),
                2, 1000, 3_600_000, Integer.MAX_VALUE, Integer.MAX_VALUE);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ClientQuotaManager m = new ClientQuotaManager(QuotaType.REQUEST, settings, registry, () -> 0);
        Principal alice = Principal.user("alice");
        Principal bob = Principal.user("bob");
        m.record(alice, "app", 1, 0);
        m.record(alice, "other", 1, 0);
        m.record(bob, "app", 1, 0);
        m.record(bob, "x", 1, 0);
        assertEquals(30.0, limit(registry, "User:alice", "app"));
        assertEquals(10.0, limit(registry, "User:alice", ""), "alice's other clients share her override");
        assertNull(registry.find("sluice.quota.limit").tags("user", "User:alice", "client_id", "other").gauge());
        assertEquals(20.0, limit(registry, "", "app"));
        assertEquals(100.0, limit(registry, "User:bob", "x"), "the default applies per principal and client id");
        assertEquals(0, new ClientQuotaManager(QuotaType.FETCH, settings, registry, () -> 0).record(alice, null, 1e9, 0));
    }

    @Test
    void idleSensorsExpireWithTheirMeters() {
        QuotaSettings settings = new QuotaSettings(Map.of(QuotaType.FETCH, 100.0), Map.of(), 11, 1000, 60_000,
                Integer.MAX_VALUE, Integer.MAX_VALUE);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ClientQuotaManager m = new ClientQuotaManager(QuotaType.FETCH, settings, registry, () -> 0);
        m.record(Principal.user("alice"), null, 1, 0);
        m.record(Principal.user("bob"), null, 1, 50_000);
        assertEquals(0, m.expire(60_000));
        assertEquals(1, m.expire(60_001));
        assertEquals(1, m.sensorCount());
        assertNull(registry.find("sluice.quota.throttle.time").tag("user", "User:alice").summary());
        assertNotNull(registry.find("sluice.quota.throttle.time").tag("user", "User:bob").summary());
    }

    @Test
    void connectionSlotsAreTakenAndGivenBack() {
        ConnectionQuotas c = new ConnectionQuotas(2, 1);
        assertTrue(c.openIp("10.0.0.1"));
        assertTrue(c.openIp("10.0.0.1"));
        assertTrue(!c.openIp("10.0.0.1"));
        assertTrue(c.openIp("10.0.0.2"));
        c.closeIp("10.0.0.1");
        assertEquals(1, c.connections("10.0.0.1"));
        assertTrue(c.openIp("10.0.0.1"));
        assertTrue(c.openPrincipal(Principal.user("alice")));
        assertTrue(!c.openPrincipal(Principal.user("alice")));
        c.closePrincipal(Principal.user("alice"));
        assertTrue(c.openPrincipal(Principal.user("alice")));
    }

    private static double limit(SimpleMeterRegistry registry, String user, String client) {
        return registry.find("sluice.quota.limit").tags("user", user, "client_id", client).gauge().value();
    }
}

package io.sluice.cluster;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BrokerLeaseTest {
    final AtomicLong now = new AtomicLong(-5_000_000_000L);
    final BrokerLease lease = new BrokerLease(now::get);

    @Test
    void noLeaseUntilGrantedAndNoneAfterItRanOutOnTheMonotonicClock() {
        assertFalse(lease.valid());
        lease.extendTo(now.get() + 1_600_000_000L);
        assertTrue(lease.valid());
        assertEquals(1_600, lease.remainingMs());
        now.addAndGet(1_600_000_000L);
        assertFalse(lease.valid(), "ends at its deadline");
        assertEquals(0, lease.remainingMs());
    }

    @Test
    void aLateAnswerNeverShortensTheLeaseAndARevocationEndsIt() {
        lease.extendTo(now.get() + 2_000_000_000L);
        lease.extendTo(now.get() + 1_000_000_000L);
        assertEquals(2_000, lease.remainingMs());
        lease.revoke();
        assertFalse(lease.valid());
        lease.extendTo(now.get() + 500_000_000L);
        assertTrue(lease.valid(), "granted again after a revocation");
    }
}

package io.sluice.cluster;

import java.util.function.LongSupplier;

/**
 * This broker's lease from a quorum-backed controller: while it runs, the broker's partition
 * leaders append, acknowledge and serve their followers; once it has run out they do none of
 * that, because the controller may already be electing other leaders (it fences a broker only a
 * session timeout after its last heartbeat, and the lease, counted from the heartbeat's sending,
 * ends sooner). Measured on the monotonic clock, so a wall-clock step changes nothing.
 * Thread-safe: renewed by the heartbeat sender, read by every partition.
 */
public final class BrokerLease {
    private final LongSupplier nanoClock;
    private volatile long validUntilNanos;
    private volatile boolean granted;

    public BrokerLease(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /** A lease that never runs out, for a replica driven without a controller (tests of one partition). */
    public static BrokerLease always() {
        BrokerLease lease = new BrokerLease(() -> 0L);
        lease.extendTo(Long.MAX_VALUE);
        return lease;
    }

    /** Extends the lease to {@code untilNanos} (on the same clock); never shortens it. */
    public synchronized void extendTo(long untilNanos) {
        if (!granted || untilNanos - validUntilNanos > 0) {
            validUntilNanos = untilNanos;
            granted = true;
        }
    }

    /** Ends the lease now (the broker learned it was fenced, or is stopping). */
    public synchronized void revoke() {
        granted = false;
    }

    public boolean valid() {
        return granted && validUntilNanos - nanoClock.getAsLong() > 0;
    }

    /** Milliseconds left, 0 when it has run out. */
    public long remainingMs() {
        long left = validUntilNanos - nanoClock.getAsLong();
        return granted && left > 0 ? left / 1_000_000 : 0;
    }
}

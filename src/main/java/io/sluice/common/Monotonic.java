package io.sluice.common;

/**
 * The clock of liveness: ISR lag, group sessions, leases, retry deadlines. It never jumps with the
 * wall clock (an NTP step, {@code faketime}), so a step neither expels replicas nor expires groups.
 * Its values mean nothing across processes, and nothing stored may hold them; timestamps that
 * users see or that are written to logs stay on the wall clock.
 */
public final class Monotonic {
    private Monotonic() {
    }

    /** Milliseconds on the monotonic clock (arbitrary origin; compare only differences). */
    public static long millis() {
        return System.nanoTime() / 1_000_000;
    }
}

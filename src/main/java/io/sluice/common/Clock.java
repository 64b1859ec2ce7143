package io.sluice.common;

/**
 * Where a node reads the time, handed to its parts from where the node is wired
 * ({@code SluiceNode}) rather than read from {@link System} in each of them, so that a test can
 * run them on a clock it moves. {@link #SYSTEM} is the one production uses.
 *
 * <p>Two clocks, for two purposes. The <em>wall</em> clock gives the timestamps users see and
 * that are written to logs (record timestamps, retention by time). The <em>monotonic</em> clock
 * is the clock of liveness and durations: ISR lag, sessions, leases, retry deadlines, request
 * latencies. It never jumps with the wall clock (an NTP step, {@code faketime}), so a step
 * neither expels replicas nor expires sessions; its values mean nothing across processes, and
 * nothing stored may hold them.
 */
public interface Clock {
    /** The JVM's clocks: {@link System#currentTimeMillis()} and {@link System#nanoTime()}. */
    Clock SYSTEM = new SystemClock();

    /** Milliseconds since the epoch on the wall clock. */
    long wallMillis();

    /** Nanoseconds on the monotonic clock (arbitrary origin; compare only differences). */
    long monotonicNanos();

    /** Milliseconds on the monotonic clock (arbitrary origin; compare only differences). */
    default long monotonicMillis() {
        return monotonicNanos() / 1_000_000;
    }
}

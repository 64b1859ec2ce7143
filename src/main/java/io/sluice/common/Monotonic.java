package io.sluice.common;

/**
 * The system's monotonic clock in milliseconds ({@link Clock#monotonicMillis()} of
 * {@link Clock#SYSTEM}), read statically by code that is not handed a {@link Clock} yet (the
 * consumer groups). Code that is should read its clock instead, so that tests can move it.
 */
public final class Monotonic {
    private Monotonic() {
    }

    /** Milliseconds on the monotonic clock (arbitrary origin; compare only differences). */
    public static long millis() {
        return Clock.SYSTEM.monotonicMillis();
    }
}

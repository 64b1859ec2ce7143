package io.sluice.common;

/** The JVM's clocks ({@link Clock#SYSTEM}): the one implementation production code loads, so calls to it inline. */
final class SystemClock implements Clock {
    @Override
    public long wallMillis() {
        return System.currentTimeMillis();
    }

    @Override
    public long monotonicNanos() {
        return System.nanoTime();
    }

    @Override
    public String toString() {
        return "system clock";
    }
}

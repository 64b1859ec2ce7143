package io.sluice.testing;

import io.sluice.common.Clock;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link Clock} that moves only when a test moves it: wall and monotonic time together. Thread-safe. */
public final class ManualClock implements Clock {
    private final AtomicLong wallMillis;
    private final AtomicLong monotonicNanos = new AtomicLong();

    public ManualClock(long wallMillis) {
        this.wallMillis = new AtomicLong(wallMillis);
    }

    /** Moves both clocks forward by {@code by}. */
    public void advance(Duration by) {
        wallMillis.addAndGet(by.toMillis());
        monotonicNanos.addAndGet(by.toNanos());
    }

    @Override
    public long wallMillis() {
        return wallMillis.get();
    }

    @Override
    public long monotonicNanos() {
        return monotonicNanos.get();
    }
}

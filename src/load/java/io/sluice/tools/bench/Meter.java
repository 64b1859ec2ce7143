package io.sluice.tools.bench;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Counts one stream of records (produced and acknowledged, or consumed) and its errors, and
 * remembers when the first and the latest records were counted. Updated from any event loop,
 * read by the progress printer and at the end.
 */
final class Meter {
    final String name;
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong firstNanos = new AtomicLong();
    private final AtomicReference<String> firstError = new AtomicReference<>();
    private volatile long lastNanos;

    Meter(String name) {
        this.name = name;
    }

    /** Counts {@code n} records that arrived (or were acknowledged) now. */
    void add(long n) {
        long now = System.nanoTime();
        firstNanos.compareAndSet(0, now);
        lastNanos = now;
        records.addAndGet(n);
    }

    void error(String what) {
        errors.incrementAndGet();
        if (firstError.compareAndSet(null, what)) {
            System.err.println("[" + name + "] error: " + what);
        }
    }

    long records() {
        return records.get();
    }

    long errors() {
        return errors.get();
    }

    String firstError() {
        return firstError.get();
    }

    /** When the first records were counted, 0 if none were. */
    long firstNanos() {
        return firstNanos.get();
    }

    long lastNanos() {
        return lastNanos;
    }
}

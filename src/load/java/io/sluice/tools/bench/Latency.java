package io.sluice.tools.bench;

import org.HdrHistogram.Histogram;

/**
 * A latency histogram in nanoseconds with 1 µs resolution and 3 significant digits (up to
 * 60 s), reported in milliseconds with 3 decimals. Written by one thread at a time; read once
 * recording has stopped.
 */
final class Latency {
    private final Histogram histogram = new Histogram(1_000, 60_000_000_000L, 3);

    void record(long nanos) {
        histogram.recordValue(Math.min(Math.max(0, nanos), histogram.getHighestTrackableValue()));
    }

    /** Puts count, p50, p90, p99, p99.9, max and mean (ms) under {@code prefix}. */
    void report(Results r, String prefix) {
        r.put(prefix + "count", histogram.getTotalCount());
        r.put(prefix + "p50_ms", ms(histogram.getValueAtPercentile(50)), 3);
        r.put(prefix + "p90_ms", ms(histogram.getValueAtPercentile(90)), 3);
        r.put(prefix + "p99_ms", ms(histogram.getValueAtPercentile(99)), 3);
        r.put(prefix + "p999_ms", ms(histogram.getValueAtPercentile(99.9)), 3);
        r.put(prefix + "max_ms", ms(histogram.getMaxValue()), 3);
        r.put(prefix + "mean_ms", histogram.getMean() / 1e6, 3);
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}

package io.sluice.tools.bench;

import java.util.List;
import java.util.function.LongSupplier;

/**
 * The fan-out's measured window: each consumer's count of records when it opened and when it
 * closed. Owns what follows from them: the records delivered across all consumers in the window,
 * the slowest and the fastest consumer's share, and how many had already read the whole topic
 * when it opened (they read nothing in it, so the figure would not be the node's).
 */
final class FanoutWindow {
    private final List<LongSupplier> counts;
    private final long topicRecords;
    private long[] before;
    private long[] after;
    private long openNanos;
    private long closeNanos;

    /** A window over consumers whose counts {@code counts} reads, of a topic holding {@code topicRecords}. */
    FanoutWindow(List<LongSupplier> counts, long topicRecords) {
        this.counts = counts;
        this.topicRecords = topicRecords;
    }

    void open() {
        openNanos = System.nanoTime();
        before = snapshot();
    }

    void close() {
        closeNanos = System.nanoTime();
        after = snapshot();
    }

    private long[] snapshot() {
        long[] n = new long[counts.size()];
        for (int i = 0; i < n.length; i++) {
            n[i] = counts.get(i).getAsLong();
        }
        return n;
    }

    /** Records delivered in the window, all consumers together. */
    long records() {
        long n = 0;
        for (int i = 0; i < before.length; i++) {
            n += after[i] - before[i];
        }
        return n;
    }

    long slowest() {
        long n = Long.MAX_VALUE;
        for (int i = 0; i < before.length; i++) {
            n = Math.min(n, after[i] - before[i]);
        }
        return n;
    }

    long fastest() {
        long n = 0;
        for (int i = 0; i < before.length; i++) {
            n = Math.max(n, after[i] - before[i]);
        }
        return n;
    }

    /** Consumers that had read the whole topic before the window opened. */
    int caughtUpBeforeOpen() {
        int n = 0;
        for (long b : before) {
            if (b >= topicRecords) {
                n++;
            }
        }
        return n;
    }

    /** Puts the window's figures in {@code r}; a consumer caught up before it opened fails the run. */
    void report(Results r, int recordSize) {
        long nanos = closeNanos - openNanos;
        double secs = Math.max(1, nanos) / 1e9;
        r.rate("", records(), recordSize, nanos);
        r.put("window_records", records());
        r.put("slowest_consumer_records_per_s", slowest() / secs, 0);
        r.put("fastest_consumer_records_per_s", fastest() / secs, 0);
        r.put("caught_up_before_window", caughtUpBeforeOpen());
        if (caughtUpBeforeOpen() > 0) {
            r.fail(caughtUpBeforeOpen() + " consumer(s) read all " + topicRecords + " records before the window opened: "
                    + "fill the topic with more or shorten --warmup-s");
        }
    }
}

package io.sluice.log;

import java.util.concurrent.atomic.LongAdder;

/** Counters of what a log did since it opened, for metrics and for tests that count fsyncs. */
public final class LogStats {
    final LongAdder appendedBatches = new LongAdder();
    final LongAdder appendedRecords = new LongAdder();
    final LongAdder appendedBytes = new LongAdder();
    final LongAdder writes = new LongAdder();
    final LongAdder fsyncs = new LongAdder();
    final LongAdder rolls = new LongAdder();
    final LongAdder deletedSegments = new LongAdder();
    final LongAdder truncatedBytes = new LongAdder();

    public long appendedBatches() {
        return appendedBatches.sum();
    }

    public long appendedRecords() {
        return appendedRecords.sum();
    }

    public long appendedBytes() {
        return appendedBytes.sum();
    }

    /**
     * Writes to the active segment: one per append call, which holds every batch of the call
     * (a partition leader appends the small requests of one event-loop turn in one call).
     */
    public long writes() {
        return writes.sum();
    }

    /** Times the log forced its data to disk. */
    public long fsyncs() {
        return fsyncs.sum();
    }

    public long rolls() {
        return rolls.sum();
    }

    public long deletedSegments() {
        return deletedSegments.sum();
    }

    /** Bytes cut from the tail by recovery or truncation. */
    public long truncatedBytes() {
        return truncatedBytes.sum();
    }
}

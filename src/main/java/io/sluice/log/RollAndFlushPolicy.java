package io.sluice.log;

import java.io.IOException;

/**
 * A log's roll and flush policies, each written once: when a batch must start a new segment
 * ({@code segment.bytes}, {@code segment.ms}, the index's 32-bit offset deltas) and when what was
 * appended must be fsynced ({@code flush.messages}, {@code flush.ms}), with the count of records
 * not yet fsynced and the time of the last fsync that the flush policy keeps. The owning
 * {@link Log} asks before it writes (its inline append declines rather than roll or flush) and
 * acts on the answer.
 *
 * <p>Confined to the log writer's turn, like the log's other mutable state; takes no lock.
 */
final class RollAndFlushPolicy {
    private long unflushedRecords;
    private long lastFlushMs;

    /** {@code flush.ms} counts from {@code now} (the log's open). */
    RollAndFlushPolicy(long now) {
        this.lastFlushMs = now;
    }

    /**
     * Whether a batch of {@code batchBytes} whose last offset is {@code lastOffset} must start a
     * new segment after {@code active}, which holds (or is about to hold) {@code usedBytes}. It
     * must when the batch would take the segment past {@code segment.bytes}, when the segment's
     * first batch is {@code segment.ms} old, or when the batch's offsets no longer fit the index's
     * 32-bit deltas. An empty segment takes any batch (one larger than {@code segment.bytes} was
     * refused before).
     */
    static boolean rollDue(LogSegment active, long usedBytes, int batchBytes, long lastOffset, long now,
                           LogConfig cfg) throws IOException {
        if (usedBytes == 0) {
            return false;
        }
        long rollTs = active.size() > 0 ? active.rollTimestamp() : now;
        return usedBytes + batchBytes > cfg.segmentBytes
                || (rollTs != Long.MIN_VALUE && now - rollTs >= cfg.segmentMs)
                || lastOffset - active.baseOffset() > Integer.MAX_VALUE;
    }

    /**
     * Whether the records not yet fsynced, with {@code moreRecords} about to join them, call for
     * an fsync now ({@code flush.messages} reached, or {@code flush.ms} passed since the last one).
     */
    boolean flushDue(long moreRecords, long now, LogConfig cfg) {
        long unflushed = unflushedRecords + moreRecords;
        return unflushed >= cfg.flushMessages || (unflushed > 0 && now - lastFlushMs >= cfg.flushMs);
    }

    /** Counts {@code records} just written; returns whether an fsync is due now. */
    boolean appended(long records, long now, LogConfig cfg) {
        unflushedRecords += records;
        return flushDue(0, now, cfg);
    }

    /** Everything appended was fsynced at {@code now}. */
    void flushed(long now) {
        unflushedRecords = 0;
        lastFlushMs = now;
    }
}

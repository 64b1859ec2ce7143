package io.sluice.log;

import java.nio.file.Path;
import java.util.List;

/**
 * What anyone may do with a partition's log without owning it: read it. Fetch serving, the tail
 * cache, followers, the cleaner's reading side and metrics hold this view; only the
 * {@link LogWriter} holds the log itself, and every change goes through it.
 *
 * <p>Every method is safe on any thread and takes no lock that a writer holds across I/O: offsets
 * are published fields, and reads work on an immutable snapshot of the segment list (a read that
 * meets a segment a concurrent retention, truncation or compaction swap retired retries on the
 * newer list). A read sees only batches below the published log end offset.
 */
public interface LogView {
    /** The log's directory. */
    Path dir();

    /** The topic config the log applies now. */
    LogConfig config();

    /** Counters of what the log did since it opened. */
    LogStats stats();

    /** First offset that may be read. */
    long logStartOffset();

    /** Offset the next appended record will get. */
    long logEndOffset();

    /** Every batch below this offset has been fsynced. */
    long recoveryPoint();

    /** Offset below which the log has been compacted. */
    long cleanerCheckpoint();

    /** Bytes in all segments. */
    long size();

    int segmentCount();

    /** Base offsets of the segments, ascending. */
    List<Long> segmentBaseOffsets();

    /**
     * The segments now, oldest first; the last one is the active segment. A snapshot: retention,
     * truncation and compaction replace the list, never change this one. Their files may be
     * retired under a reader, which then sees {@link SegmentDeletedException}.
     */
    List<LogSegment> segments();

    /**
     * The base offset of the segment being appended to. Everything below it is in segments that
     * retention may delete and compaction may rewrite; everything from it on is as appended.
     */
    long activeSegmentBaseOffset();

    /** Epoch → first offset, for followers finding where their tail diverged. */
    LeaderEpochCache leaderEpochCache();

    /** Whether the last open found a clean-shutdown marker (and skipped recovery). */
    boolean recoveredCleanly();

    /** Bytes the last open cut from a torn or corrupt tail. */
    long recoveryTruncatedBytes();

    /**
     * Reads whole batches starting with the one that holds {@code offset}.
     *
     * @param maxBytes    byte budget; the first batch is returned whole even if larger when
     *                    {@code minOneBatch}
     * @param maxOffset   exclusive bound, e.g. the high watermark; batches reaching it are left out
     * @throws LogException.OffsetOutOfRange if {@code offset} is below the log start or above the end
     */
    LogReadResult read(long offset, int maxBytes, long maxOffset, boolean minOneBatch);

    /**
     * The first offset whose record timestamp is at or after {@code timestamp}, or -1 when every
     * record is older.
     */
    long offsetForTimestamp(long timestamp);
}

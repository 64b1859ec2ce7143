package io.sluice.log;

import java.nio.file.Path;

/**
 * Sparse map from timestamp to offset for one segment: each entry records a new largest timestamp
 * and the base offset of the batch that first reached it, so every record before that offset is
 * older. Used to find the first offset at or after a timestamp; its last entry is the segment's
 * largest timestamp, which time-based retention reads without scanning the segment.
 *
 * <h2>File format ({@code <baseOffset>.timeindex})</h2>
 * A sequence of 12-byte entries, no header:
 * <pre>
 * 0  int64  timestamp        largest record timestamp in the segment up to this entry
 * 8  int32  relativeOffset   base offset of the batch that reached it, minus the segment base
 * </pre>
 * Timestamps strictly increase, relative offsets never decrease.
 */
final class TimeIndex extends SegmentIndex {
    static final int ENTRY_SIZE = 12;

    TimeIndex(Path file, long baseOffset) {
        super(file, baseOffset, ENTRY_SIZE);
    }

    private long timestamp(int i) {
        return entries.getLong(i * ENTRY_SIZE);
    }

    private int relativeOffset(int i) {
        return entries.getInt(i * ENTRY_SIZE + 8);
    }

    /** Records that {@code timestamp} was first reached by the batch at {@code offset}. */
    void maybeAppend(long timestamp, long offset) {
        int rel = (int) (offset - baseOffset);
        if (count > 0 && (timestamp <= timestamp(count - 1) || rel < relativeOffset(count - 1))) {
            return;
        }
        int at = newEntryPosition();
        entries.putLong(at, timestamp);
        entries.putInt(at + 8, rel);
        count++;
    }

    /**
     * An offset before which every record is older than {@code timestamp}: the offset of the last
     * entry whose timestamp is below it, or the segment's base offset.
     */
    long lookup(long timestamp) {
        int lo = 0;
        int hi = count - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (timestamp(mid) < timestamp) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found < 0 ? baseOffset : baseOffset + relativeOffset(found);
    }

    /** Largest timestamp recorded, or {@code Long.MIN_VALUE} when empty. */
    long lastTimestamp() {
        return count == 0 ? Long.MIN_VALUE : timestamp(count - 1);
    }

    long lastEntryOffset() {
        return count == 0 ? baseOffset : baseOffset + relativeOffset(count - 1);
    }

    /** Removes entries for batches at or after {@code offset}. */
    void truncateTo(long offset) {
        long rel = offset - baseOffset;
        int keep = count;
        while (keep > 0 && relativeOffset(keep - 1) >= rel) {
            keep--;
        }
        truncateEntries(keep);
    }

    @Override
    protected boolean sanityCheck(int segmentSize) {
        for (int i = 0; i < count; i++) {
            if (relativeOffset(i) < 0) {
                return false;
            }
            if (i > 0 && (timestamp(i) <= timestamp(i - 1) || relativeOffset(i) < relativeOffset(i - 1))) {
                return false;
            }
        }
        return true;
    }
}

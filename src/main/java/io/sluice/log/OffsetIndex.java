package io.sluice.log;

import java.nio.file.Path;

/**
 * Sparse map from offset to file position for one segment, one entry every
 * {@code index.interval.bytes} of log, so a read seeks close to its offset and scans at most a few
 * KiB of batch headers.
 *
 * <h2>File format ({@code <baseOffset>.index})</h2>
 * A sequence of 8-byte entries, no header:
 * <pre>
 * 0  int32  relativeOffset   baseOffset of a batch minus the segment's base offset
 * 4  int32  position         byte position of that batch in the segment's .log file
 * </pre>
 * Both fields strictly increase from entry to entry.
 */
final class OffsetIndex extends SegmentIndex {
    static final int ENTRY_SIZE = 8;

    OffsetIndex(Path file, long baseOffset) {
        super(file, baseOffset, ENTRY_SIZE);
    }

    private int relativeOffset(int i) {
        return entries.getInt(i * ENTRY_SIZE);
    }

    private int position(int i) {
        return entries.getInt(i * ENTRY_SIZE + 4);
    }

    /** Adds an entry for a batch starting at {@code offset}; ignored unless past the last entry. */
    void append(long offset, int position) {
        int rel = (int) (offset - baseOffset);
        if (count > 0 && (rel <= relativeOffset(count - 1) || position <= position(count - 1))) {
            return;
        }
        int at = newEntryPosition();
        entries.putInt(at, rel);
        entries.putInt(at + 4, position);
        count++;
    }

    /** Position of the last indexed batch whose base offset is at most {@code offset}, else 0. */
    int lookup(long offset) {
        int i = floorEntry(offset);
        return i < 0 ? 0 : position(i);
    }

    private int floorEntry(long offset) {
        long rel = offset - baseOffset;
        int lo = 0;
        int hi = count - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (relativeOffset(mid) <= rel) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /** Removes entries for batches at or after {@code offset}. */
    void truncateTo(long offset) {
        truncateEntries(floorEntry(offset - 1) + 1);
    }

    /** Removes entries pointing at or past {@code position}. */
    void truncateToPosition(int position) {
        int keep = count;
        while (keep > 0 && position(keep - 1) >= position) {
            keep--;
        }
        truncateEntries(keep);
    }

    /** Base offset of the last indexed batch, or the segment's base offset. */
    long lastOffset() {
        return count == 0 ? baseOffset : baseOffset + relativeOffset(count - 1);
    }

    /** Position of the last indexed batch, or 0. */
    int lastPosition() {
        return count == 0 ? 0 : position(count - 1);
    }

    @Override
    protected boolean sanityCheck(int segmentSize) {
        for (int i = 0; i < count; i++) {
            int rel = relativeOffset(i);
            int pos = position(i);
            if (rel < 0 || pos < 0 || pos >= segmentSize) {
                return false;
            }
            if (i > 0 && (rel <= relativeOffset(i - 1) || pos <= position(i - 1))) {
                return false;
            }
        }
        return true;
    }
}

package io.sluice.log;

import io.sluice.record.CorruptRecordException;
import io.sluice.record.RecordBatch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * A segment's two sparse indexes ({@link OffsetIndex}, {@link TimeIndex}; file formats there) and
 * the timestamps they are kept from: the largest record timestamp with the offset that first
 * reached it, and the timestamp {@code segment.ms} counts from. Loaded on first use and dropped
 * when the segment goes idle (Kafka's {@code LazyIndex}), sanity-checked when loaded, and rebuilt
 * from the segment's batches when missing or implausible; an entry is added every
 * {@code index.interval.bytes} of appended batches.
 *
 * <p>Lock: the owning {@link LogSegment}'s monitor is held for every call; this class takes none.
 * The timestamps are volatile so that the segment's readers may read them without the monitor.
 */
final class SegmentIndexes {
    /** A timestamp (or offset) not known yet. */
    static final long UNKNOWN = Long.MIN_VALUE;

    private final long baseOffset;
    private final OffsetIndex offsetIndex;
    private final TimeIndex timeIndex;
    /** index.interval.bytes of the owning log; updated when its config changes. */
    private volatile int indexIntervalBytes;
    private boolean loaded;
    private int bytesSinceLastIndexEntry;

    /** Largest record timestamp and the base offset of the batch that first reached it. */
    private volatile long maxTimestamp = UNKNOWN;
    private volatile long offsetOfMaxTimestamp = UNKNOWN;
    /** maxTimestamp of the first batch: segment.ms counts from it. */
    private volatile long rollTimestamp = UNKNOWN;

    SegmentIndexes(Path dir, long baseOffset, String suffix, int indexIntervalBytes) {
        this.baseOffset = baseOffset;
        this.indexIntervalBytes = indexIntervalBytes;
        this.offsetIndex = new OffsetIndex(SegmentFiles.offsetIndexFile(dir, baseOffset, suffix), baseOffset);
        this.timeIndex = new TimeIndex(SegmentFiles.timeIndexFile(dir, baseOffset, suffix), baseOffset);
    }

    void setIndexIntervalBytes(int bytes) {
        indexIntervalBytes = bytes;
    }

    long maxTimestamp() {
        return maxTimestamp;
    }

    long rollTimestamp() {
        return rollTimestamp;
    }

    void setRollTimestamp(long timestamp) {
        rollTimestamp = timestamp;
    }

    boolean isLoaded() {
        return loaded;
    }

    /** Empty and loaded: a new segment's, or one about to be rebuilt by a recovery scan. */
    void resetEmpty() {
        offsetIndex.reset();
        timeIndex.reset();
        loaded = true;
        bytesSinceLastIndexEntry = 0;
        maxTimestamp = UNKNOWN;
        offsetOfMaxTimestamp = UNKNOWN;
        rollTimestamp = UNKNOWN;
    }

    /**
     * Loads the indexes, rebuilding them from the first {@code size} bytes of {@code ch} when
     * missing or implausible.
     *
     * @return the offset after the last batch when a rebuild walked the segment, else {@link #UNKNOWN}
     */
    long ensureLoaded(FileChannel ch, int size) throws IOException {
        if (loaded) {
            return UNKNOWN;
        }
        long next = UNKNOWN;
        boolean ok = offsetIndex.load(size) && timeIndex.load(size) && lastIndexEntryPlausible(ch);
        if (!ok) {
            next = rebuild(ch, size);
        } else {
            bytesSinceLastIndexEntry = size - offsetIndex.lastPosition();
            if (maxTimestamp == UNKNOWN && timeIndex.entryCount() > 0) {
                maxTimestamp = timeIndex.lastTimestamp();
                offsetOfMaxTimestamp = timeIndex.lastEntryOffset();
            }
        }
        loaded = true;
        return next;
    }

    /** Checks that the last offset-index entry points at a batch with that base offset. */
    private boolean lastIndexEntryPlausible(FileChannel ch) throws IOException {
        if (offsetIndex.entryCount() == 0) {
            return true;
        }
        ByteBuffer header = ByteBuffer.allocate(RecordBatch.LOG_OVERHEAD);
        int pos = offsetIndex.lastPosition();
        if (ch.read(header, pos) < RecordBatch.LOG_OVERHEAD) {
            return false;
        }
        return header.getLong(0) == offsetIndex.lastOffset();
    }

    /** Rebuilds both indexes by walking batch headers; stops at the first implausible batch. */
    private long rebuild(FileChannel ch, int size) throws IOException {
        offsetIndex.reset();
        timeIndex.reset();
        bytesSinceLastIndexEntry = 0;
        maxTimestamp = UNKNOWN;
        offsetOfMaxTimestamp = UNKNOWN;
        BatchScanner scanner = new BatchScanner(ch, 0, size, true);
        long next = baseOffset;
        try {
            RecordBatch b;
            while ((b = scanner.next()) != null) {
                indexBatch(b, (int) scanner.lastPosition());
                next = b.nextOffset();
            }
        } catch (CorruptRecordException e) {
            // Data past a damaged batch stays unindexed; reads stop at the damage.
        }
        return next;
    }

    /** Updates indexes and timestamps for a batch written at {@code position}. */
    void indexBatch(RecordBatch b, int position) {
        long batchMax = b.maxTimestamp();
        if (maxTimestamp == UNKNOWN || batchMax > maxTimestamp) {
            maxTimestamp = batchMax;
            offsetOfMaxTimestamp = b.baseOffset();
        }
        if (rollTimestamp == UNKNOWN) {
            rollTimestamp = batchMax;
        }
        if (bytesSinceLastIndexEntry > indexIntervalBytes) {
            offsetIndex.append(b.baseOffset(), position);
            timeIndex.maybeAppend(maxTimestamp, offsetOfMaxTimestamp);
            bytesSinceLastIndexEntry = 0;
        }
        bytesSinceLastIndexEntry += b.sizeInBytes();
    }

    /** Position of the last indexed batch whose base offset is at most {@code offset}, else 0. */
    int lookup(long offset) {
        return offsetIndex.lookup(offset);
    }

    /** Whether every record of the segment is known to be older than {@code timestamp}. */
    boolean allOlderThan(long timestamp) {
        return maxTimestamp != UNKNOWN && maxTimestamp < timestamp;
    }

    /** Where a scan for the first record at or after {@code timestamp} and {@code startingOffset} may start. */
    int lookupTimestamp(long timestamp, long startingOffset) {
        return offsetIndex.lookup(Math.max(timeIndex.lookup(timestamp), startingOffset));
    }

    /**
     * Cuts the indexes where the segment was truncated: at {@code position}, where the batch
     * {@code removedBase} began, and recomputes timestamps and index spacing from the batches
     * left after the last entry (the first {@code size} bytes of {@code ch}).
     *
     * @return the offset after the last batch left
     */
    long truncateTo(FileChannel ch, int position, long removedBase, int size) throws IOException {
        offsetIndex.truncateToPosition(position);
        timeIndex.truncateTo(removedBase);
        int from = offsetIndex.lastPosition();
        maxTimestamp = timeIndex.entryCount() == 0 ? UNKNOWN : timeIndex.lastTimestamp();
        offsetOfMaxTimestamp = timeIndex.entryCount() == 0 ? UNKNOWN : timeIndex.lastEntryOffset();
        if (from == 0) {
            rollTimestamp = UNKNOWN;
        }
        bytesSinceLastIndexEntry = 0;
        long next = baseOffset;
        BatchScanner scanner = new BatchScanner(ch, from, size, true);
        RecordBatch b;
        while ((b = scanner.next()) != null) {
            raiseMaxTimestamp(b);
            if (rollTimestamp == UNKNOWN) {
                rollTimestamp = b.maxTimestamp();
            }
            bytesSinceLastIndexEntry += b.sizeInBytes();
            next = b.nextOffset();
        }
        return next;
    }

    /**
     * Walks the batches after the last index entry (of the first {@code size} bytes of
     * {@code ch}), raising the largest timestamp as it goes.
     *
     * @return the offset after the last batch
     */
    long scanTail(FileChannel ch, int size) throws IOException {
        long next = baseOffset;
        BatchScanner scanner = new BatchScanner(ch, offsetIndex.lastPosition(), size, true);
        RecordBatch b;
        while ((b = scanner.next()) != null) {
            raiseMaxTimestamp(b);
            next = b.nextOffset();
        }
        return next;
    }

    private void raiseMaxTimestamp(RecordBatch b) {
        if (maxTimestamp == UNKNOWN || b.maxTimestamp() > maxTimestamp) {
            maxTimestamp = b.maxTimestamp();
            offsetOfMaxTimestamp = b.baseOffset();
        }
    }

    /** Seals them as the segment rolls: a final time-index entry, both written out. */
    void seal() throws IOException {
        if (maxTimestamp != UNKNOWN) {
            timeIndex.maybeAppend(maxTimestamp, offsetOfMaxTimestamp);
        }
        offsetIndex.persist(false);
        timeIndex.persist(false);
    }

    /** Writes out entries not yet in the files, if loaded. */
    void persistIfLoaded() throws IOException {
        if (loaded) {
            offsetIndex.persist(false);
            timeIndex.persist(false);
        }
    }

    /** Writes the entries out and drops them from memory (a close, or eviction while idle). */
    void unload() throws IOException {
        if (loaded) {
            offsetIndex.unload();
            timeIndex.unload();
            loaded = false;
        }
    }

    /** {@link #unload()}; a failed write deletes the files instead, which are then rebuilt on next load. */
    void unloadQuietly() {
        try {
            unload();
        } catch (IOException e) {
            // The index files are derived; a failed write leaves them to be rebuilt later.
            loaded = false;
            try {
                deleteFiles();
            } catch (IOException ignored) {
                // rebuilt on next load either way
            }
        }
    }

    /** Forgets the entries without writing them (the segment was deleted or replaced). */
    void drop() {
        loaded = false;
    }

    /** Renames the files to the final names of {@code baseOffset} in {@code dir}. */
    void renameToFinal(Path dir) throws IOException {
        offsetIndex.renameTo(SegmentFiles.offsetIndexFile(dir, baseOffset, ""));
        timeIndex.renameTo(SegmentFiles.timeIndexFile(dir, baseOffset, ""));
    }

    void deleteFiles() throws IOException {
        offsetIndex.deleteFile();
        timeIndex.deleteFile();
    }
}

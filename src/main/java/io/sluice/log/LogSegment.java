package io.sluice.log;

import io.sluice.record.RecordBatch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * One segment of a log: the appends to and reads of its {@code <baseOffset>.log} file of record
 * batches (layout in {@link RecordBatch}; Kafka's {@code LogSegment} with {@code FileRecords}),
 * the recovery scan and truncation of that file, and what is known of its contents (size, next
 * offset). Its sparse indexes and timestamps are {@link SegmentIndexes}', the names of its files
 * and the operations on them as a set {@link SegmentFiles}'.
 *
 * <p>Concurrency: one writer appends and truncates (the owning {@link Log}, in its
 * {@link LogWriter}'s turn; a compaction swap renames or deletes a segment on the cleaner's thread
 * once the segment list no longer holds it, or holds it but never appends to it); any thread reads.
 * This object's monitor guards the file handle, the indexes and the reference count, and is held
 * for in-memory work, index file writes and scans, never across an fsync ({@link #flush} and
 * {@link #recover} force outside it).
 * Outside the storage room a segment offers reads only.
 * Reads see only whole batches because {@link #size} is published after the bytes are written.
 * The file handle and the indexes are opened lazily and may be closed while idle by
 * {@link OpenSegments}; {@link #acquire()}/{@link #release()} count users so that nothing is closed
 * under a read. A deleted segment refuses new users ({@link SegmentDeletedException}); readers
 * then retry against the log's current segment list.
 */
public final class LogSegment {
    private static final long UNKNOWN = SegmentIndexes.UNKNOWN;

    private final Path dir;
    private final long baseOffset;
    /** Changes only when a cleaned segment is renamed into place, under this lock. */
    private String suffix;
    private Path logFile;
    private final OpenSegments openSegments;

    // Guarded by this.
    private final SegmentIndexes indexes;
    private FileChannel channel;
    private int refs;
    private boolean deleted;
    private boolean dirty;

    /**
     * The writer's channel and where its file position stands after the last append, so that
     * the next append at that spot needs no seek (a system call per append on the produce path).
     * Null when unknown: before the first append on a channel, after a failed write or a truncation.
     */
    private FileChannel positioned;
    private long positionedAt;

    /** Bytes of whole batches; published after they are written. */
    private volatile int size;
    /** Offset after the last batch, or UNKNOWN until computed. */
    private volatile long nextOffset = UNKNOWN;

    private LogSegment(Path dir, long baseOffset, String suffix, OpenSegments openSegments, int size,
                       int indexIntervalBytes) {
        this.dir = dir;
        this.baseOffset = baseOffset;
        this.suffix = suffix;
        this.openSegments = openSegments;
        this.logFile = SegmentFiles.logFile(dir, baseOffset, suffix);
        this.indexes = new SegmentIndexes(dir, baseOffset, suffix, indexIntervalBytes);
        this.size = size;
    }

    /** Creates an empty segment, replacing any files of that name. */
    static LogSegment create(Path dir, long baseOffset, String suffix, OpenSegments openSegments,
                             int indexIntervalBytes) throws IOException {
        LogSegment s = new LogSegment(dir, baseOffset, suffix, openSegments, 0, indexIntervalBytes);
        SegmentFiles.createEmpty(dir, baseOffset, suffix);
        s.nextOffset = baseOffset;
        synchronized (s) {
            s.indexes.resetEmpty();
        }
        return s;
    }

    /** A segment whose files exist; nothing is read until it is used. */
    static LogSegment open(Path dir, long baseOffset, OpenSegments openSegments, int indexIntervalBytes)
            throws IOException {
        Path log = SegmentFiles.logFile(dir, baseOffset, "");
        long len = Files.size(log);
        if (len > Integer.MAX_VALUE) {
            throw new IOException(log + " is larger than 2 GiB");
        }
        return new LogSegment(dir, baseOffset, "", openSegments, (int) len, indexIntervalBytes);
    }

    public long baseOffset() {
        return baseOffset;
    }

    /** segment.ms counts from {@code timestamp} for a segment the log just created. */
    void setRollTimestamp(long timestamp) {
        indexes.setRollTimestamp(timestamp);
    }

    void setIndexIntervalBytes(int bytes) {
        indexes.setIndexIntervalBytes(bytes);
    }

    /** Bytes of whole batches in the segment. */
    public int size() {
        return size;
    }

    synchronized Path logFile() {
        return logFile;
    }

    // ---- resources ----

    /** Opens the file if needed and counts a user. */
    private FileChannel acquire() throws IOException {
        FileChannel ch;
        synchronized (this) {
            if (deleted) {
                throw new SegmentDeletedException(baseOffset);
            }
            if (channel == null) {
                channel = FileChannel.open(logFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
            }
            refs++;
            ch = channel;
        }
        openSegments.touch(this);
        return ch;
    }

    private synchronized void release() {
        refs--;
        if (refs == 0 && deleted) {
            closeQuietly();
        }
    }

    /** Called by {@link OpenSegments}: closes the file and drops the indexes if nobody uses them. */
    synchronized boolean tryCloseIdle() {
        if (refs > 0) {
            return false;
        }
        if (!deleted) {
            indexes.unloadQuietly();
        }
        indexes.drop();
        closeQuietly();
        return true;
    }

    private void closeQuietly() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing a descriptor we no longer need
            }
            channel = null;
        }
    }

    /**
     * Loads the indexes if they are not (rebuilding them from the file when they must). Holds the
     * lock, and a use of {@code ch} (which eviction cannot close meanwhile).
     */
    private void ensureIndexes(FileChannel ch) throws IOException {
        if (indexes.isLoaded()) {
            return;
        }
        if (deleted) {
            throw new SegmentDeletedException(baseOffset);
        }
        long next = indexes.ensureLoaded(ch, size);
        if (next != UNKNOWN && nextOffset == UNKNOWN) {
            nextOffset = next;
        }
    }

    // ---- writes (the log's writer only) ----

    /**
     * Appends whole, already validated batches: each buffer holds one or more batches between its
     * position and limit. One gathering write for all of them.
     */
    void append(List<ByteBuffer> regions, int totalBytes) throws IOException {
        FileChannel ch = acquire();
        try {
            int start = size;
            ByteBuffer[] srcs = new ByteBuffer[regions.size()];
            for (int i = 0; i < srcs.length; i++) {
                srcs[i] = regions.get(i).duplicate();
            }
            if (ch != positioned || positionedAt != start) {
                ch.position(start);
            }
            positioned = null;
            long remaining = totalBytes;
            while (remaining > 0) {
                remaining -= ch.write(srcs);
            }
            positioned = ch;
            positionedAt = start + totalBytes;
            long next = nextOffset;
            synchronized (this) {
                ensureIndexes(ch);
                int p = start;
                for (ByteBuffer r : regions) {
                    for (int at = r.position(); at < r.limit(); ) {
                        RecordBatch b = RecordBatch.at(r, at);
                        int bs = b.sizeInBytes();
                        indexes.indexBatch(b, p);
                        next = b.nextOffset();
                        p += bs;
                        at += bs;
                    }
                }
                dirty = true;
            }
            nextOffset = next;
            size = start + totalBytes;
        } finally {
            release();
        }
    }

    /**
     * Scans the whole file validating every batch (size, CRC, record structure, offsets only
     * growing), rebuilds the indexes and truncates at the first invalid batch.
     *
     * @param visitor sees every valid batch, in order (producer state, epochs)
     * @return bytes truncated
     */
    int recover(int maxBatchSize, BatchVisitor visitor) throws IOException {
        FileChannel ch = acquire();
        try {
            int truncated;
            synchronized (this) {
                long fileSize = ch.size();
                indexes.resetEmpty();
                long[] next = {baseOffset};
                long validEnd = FileBatches.validPrefix(ch, fileSize, baseOffset, maxBatchSize, (b, position) -> {
                    indexes.indexBatch(b, position);
                    visitor.accept(b);
                    next[0] = b.nextOffset();
                });
                truncated = (int) (fileSize - validEnd);
                if (truncated > 0) {
                    positioned = null;
                    ch.truncate(validEnd);
                }
                size = (int) validEnd;
                nextOffset = next[0];
                dirty = false;
            }
            if (truncated > 0) {
                ch.force(true); // (outside the monitor, which the open-segment cap may need meanwhile)
            }
            return truncated;
        } finally {
            release();
        }
    }

    /**
     * Removes every batch whose last offset is at or after {@code offset}.
     *
     * @return bytes removed
     */
    int truncateTo(long offset) throws IOException {
        FileChannel ch = acquire();
        try {
            synchronized (this) {
                ensureIndexes(ch);
                long position = findBatchPosition(ch, offset);
                if (position < 0) {
                    return 0;
                }
                // The first removed batch may start below offset; indexes are cut at its start.
                ByteBuffer header = FileBatches.readFully(ch, position, RecordBatch.LOG_OVERHEAD);
                long removedBase = header.getLong(RecordBatch.BASE_OFFSET);
                int removed = size - (int) position;
                positioned = null;
                ch.truncate(position);
                size = (int) position;
                long next = indexes.truncateTo(ch, (int) position, removedBase, size);
                nextOffset = size == 0 ? baseOffset : next;
                dirty = true;
                return removed;
            }
        } finally {
            release();
        }
    }

    /** Position of the first batch whose last offset is at least {@code offset}, or -1. Holds the lock. */
    private long findBatchPosition(FileChannel ch, long offset) throws IOException {
        return FileBatches.positionOf(ch, indexes.lookup(offset), size, offset);
    }

    /** Seals the segment when a newer one takes over: a final time-index entry, indexes written. */
    void onRolled() throws IOException {
        FileChannel ch = acquire();
        try {
            synchronized (this) {
                ensureIndexes(ch);
                indexes.seal();
            }
        } finally {
            release();
        }
    }

    /**
     * Forces written bytes to disk. Safe from any thread. Indexes are not part of it: they are
     * derived, written when the segment rolls, closes or goes idle, sanity-checked when loaded,
     * and rebuilt from the log when a crash left them behind.
     */
    void flush() throws IOException {
        FileChannel ch;
        try {
            ch = acquire();
        } catch (SegmentDeletedException e) {
            return;
        }
        try {
            boolean wasDirty;
            synchronized (this) {
                wasDirty = dirty;
                dirty = false;
            }
            if (wasDirty) {
                ch.force(false);
            }
        } finally {
            release();
        }
    }

    // ---- reads (any thread) ----

    /**
     * Whole batches from the first one holding an offset at or after {@code startOffset}: those
     * wholly below {@code maxOffset}, up to {@code maxBytes} (but at least the first batch when
     * {@code minOneBatch}).
     *
     * @return the batches (possibly none, when the first is not yet below {@code maxOffset} or too
     *         large), or null when this segment has no batch at or after {@code startOffset}
     */
    ByteBuffer read(long startOffset, int maxBytes, long maxOffset, boolean minOneBatch) throws IOException {
        int limit = size;
        FileChannel ch = acquire();
        try {
            int from;
            synchronized (this) {
                ensureIndexes(ch);
                from = indexes.lookup(startOffset);
            }
            return FileBatches.slice(ch, from, limit, startOffset, maxBytes, maxOffset, minOneBatch);
        } finally {
            release();
        }
    }

    /**
     * The first offset at or after {@code startingOffset} whose record timestamp is at least
     * {@code timestamp}, or -1 if this segment has none.
     */
    long findOffsetByTimestamp(long timestamp, long startingOffset) throws IOException {
        int limit = size;
        FileChannel ch = acquire();
        try {
            int from;
            synchronized (this) {
                ensureIndexes(ch);
                if (indexes.allOlderThan(timestamp)) {
                    return -1;
                }
                from = indexes.lookupTimestamp(timestamp, startingOffset);
            }
            return FileBatches.firstOffsetAt(ch, from, limit, timestamp, startingOffset);
        } finally {
            release();
        }
    }

    /** Walks the batches holding offsets at or after {@code fromOffset}, in order, with full bodies. */
    public void forEachBatch(long fromOffset, BatchVisitor visitor) throws IOException {
        forEachBatch(fromOffset, false, visitor);
    }

    /** As {@link #forEachBatch(long, BatchVisitor)}; with {@code headersOnly} the records are not read. */
    void forEachBatch(long fromOffset, boolean headersOnly, BatchVisitor visitor) throws IOException {
        int limit = size;
        FileChannel ch = acquire();
        try {
            int from;
            synchronized (this) {
                ensureIndexes(ch);
                from = indexes.lookup(fromOffset);
            }
            BatchScanner scanner = new BatchScanner(ch, Math.min(from, limit), limit, headersOnly);
            RecordBatch b;
            while ((b = scanner.next()) != null) {
                if (b.lastOffset() >= fromOffset) {
                    visitor.accept(b);
                }
            }
        } finally {
            release();
        }
    }

    // ---- metadata ----

    /** Offset after the last batch; computed from the file when not yet known. */
    public long nextOffset() throws IOException {
        long n = nextOffset;
        if (n != UNKNOWN) {
            return n;
        }
        FileChannel ch = acquire();
        try {
            synchronized (this) {
                ensureIndexes(ch);
                if (nextOffset == UNKNOWN) {
                    long next = indexes.scanTail(ch, size);
                    nextOffset = size == 0 ? baseOffset : next;
                }
                return nextOffset;
            }
        } finally {
            release();
        }
    }

    /** Largest record timestamp in the segment, or {@code Long.MIN_VALUE} when empty. */
    public long maxTimestamp() throws IOException {
        long m = indexes.maxTimestamp();
        if (m != UNKNOWN || size == 0) {
            return m;
        }
        nextOffset();
        return indexes.maxTimestamp();
    }

    /** Timestamp segment.ms counts from (the first batch's), or {@code Long.MIN_VALUE} when empty. */
    long rollTimestamp() throws IOException {
        long r = indexes.rollTimestamp();
        if (r != UNKNOWN || size == 0) {
            return r;
        }
        FileChannel ch = acquire();
        try {
            ByteBuffer header = FileBatches.readFully(ch, 0, RecordBatch.HEADER_SIZE);
            if (header.limit() == RecordBatch.HEADER_SIZE) {
                indexes.setRollTimestamp(RecordBatch.at(header, 0).maxTimestamp());
            }
            return indexes.rollTimestamp();
        } finally {
            release();
        }
    }

    // ---- lifecycle ----

    /** Flushes and closes; the segment may be reopened by a later use. */
    void close() throws IOException {
        flush();
        synchronized (this) {
            if (!deleted) {
                indexes.unload();
            }
            if (refs == 0) {
                closeQuietly();
            }
        }
        openSegments.remove(this);
    }

    /**
     * Refuses new users and deletes the files. Readers already inside keep reading through their
     * open descriptor; the space is freed when the last one leaves.
     */
    void delete() throws IOException {
        synchronized (this) {
            deleted = true;
            indexes.drop();
            if (refs == 0) {
                closeQuietly();
            }
            Files.deleteIfExists(logFile);
            indexes.deleteFiles();
        }
        openSegments.remove(this);
    }

    /**
     * Marks this object dead without touching files: its files were replaced by a compaction swap
     * under the same name.
     */
    void retire() {
        synchronized (this) {
            deleted = true;
            indexes.drop();
            if (refs == 0) {
                closeQuietly();
            }
        }
        openSegments.remove(this);
    }

    /**
     * Renames this cleaned segment's files to their final names, replacing the files there. Open
     * descriptors stay valid; later opens use the new names.
     */
    synchronized void renameToFinal() throws IOException {
        if (suffix.isEmpty()) {
            return;
        }
        indexes.persistIfLoaded();
        Path target = SegmentFiles.logFile(dir, baseOffset, "");
        SegmentFiles.replace(logFile, target);
        logFile = target;
        indexes.renameToFinal(dir);
        suffix = "";
    }

    synchronized boolean isCleaned() {
        return !suffix.isEmpty();
    }

    @Override
    public String toString() {
        return "LogSegment(" + logFile.getFileName() + ", size=" + size + ")";
    }

    /** Receives batches during scans; may throw to stop. */
    @FunctionalInterface
    public interface BatchVisitor {
        void accept(RecordBatch batch) throws IOException;
    }
}

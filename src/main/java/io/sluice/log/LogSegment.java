package io.sluice.log;

import io.sluice.record.CorruptRecordException;
import io.sluice.record.RecordBatch;
import io.sluice.record.RecordCursor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * One segment of a log: the {@code <baseOffset>.log} file of record batches (layout in
 * {@link RecordBatch}), its sparse {@link OffsetIndex} and {@link TimeIndex}, and what is known of
 * its contents (size, next offset, largest timestamp).
 *
 * <p>File names are the base offset zero-padded to 20 digits, as Kafka's, so that a directory
 * listing sorts by offset; a cleaned segment waiting to be swapped in carries the
 * {@value #CLEANED_SUFFIX} suffix.
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
    static final String LOG_SUFFIX = ".log";
    static final String INDEX_SUFFIX = ".index";
    static final String TIME_INDEX_SUFFIX = ".timeindex";
    static final String CLEANED_SUFFIX = ".cleaned";
    private static final long UNKNOWN = Long.MIN_VALUE;

    private final Path dir;
    private final long baseOffset;
    /** Changes only when a cleaned segment is renamed into place, under this lock. */
    private String suffix;
    private Path logFile;
    private final OffsetIndex offsetIndex;
    private final TimeIndex timeIndex;
    private final OpenSegments openSegments;
    /** index.interval.bytes of the owning log; updated when its config changes. */
    private volatile int indexIntervalBytes;

    // Guarded by this.
    private FileChannel channel;
    private int refs;
    private boolean deleted;
    private boolean indexesLoaded;
    private int bytesSinceLastIndexEntry;
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
    /** Largest record timestamp and the base offset of the batch that first reached it. */
    private volatile long maxTimestamp = UNKNOWN;
    private volatile long offsetOfMaxTimestamp = UNKNOWN;
    /** maxTimestamp of the first batch: segment.ms counts from it. */
    private volatile long rollTimestamp = UNKNOWN;

    private LogSegment(Path dir, long baseOffset, String suffix, OpenSegments openSegments, int size,
                       int indexIntervalBytes) {
        this.dir = dir;
        this.indexIntervalBytes = indexIntervalBytes;
        this.baseOffset = baseOffset;
        this.suffix = suffix;
        this.openSegments = openSegments;
        String prefix = filenamePrefix(baseOffset);
        this.logFile = dir.resolve(prefix + LOG_SUFFIX + suffix);
        this.offsetIndex = new OffsetIndex(dir.resolve(prefix + INDEX_SUFFIX + suffix), baseOffset);
        this.timeIndex = new TimeIndex(dir.resolve(prefix + TIME_INDEX_SUFFIX + suffix), baseOffset);
        this.size = size;
    }

    /** Creates an empty segment, replacing any files of that name. */
    static LogSegment create(Path dir, long baseOffset, String suffix, OpenSegments openSegments,
                             int indexIntervalBytes) throws IOException {
        LogSegment s = new LogSegment(dir, baseOffset, suffix, openSegments, 0, indexIntervalBytes);
        Files.deleteIfExists(s.offsetIndex.file());
        Files.deleteIfExists(s.timeIndex.file());
        Files.newByteChannel(s.logFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING).close();
        s.nextOffset = baseOffset;
        synchronized (s) {
            s.offsetIndex.reset();
            s.timeIndex.reset();
            s.indexesLoaded = true;
        }
        return s;
    }

    /** A segment whose files exist; nothing is read until it is used. */
    static LogSegment open(Path dir, long baseOffset, OpenSegments openSegments, int indexIntervalBytes)
            throws IOException {
        Path log = dir.resolve(filenamePrefix(baseOffset) + LOG_SUFFIX);
        long len = Files.size(log);
        if (len > Integer.MAX_VALUE) {
            throw new IOException(log + " is larger than 2 GiB");
        }
        return new LogSegment(dir, baseOffset, "", openSegments, (int) len, indexIntervalBytes);
    }

    /** Zero-padded 20-digit base offset, the prefix of every file of a segment. */
    static String filenamePrefix(long offset) {
        String s = Long.toString(offset);
        return "0".repeat(Math.max(0, 20 - s.length())) + s;
    }

    public long baseOffset() {
        return baseOffset;
    }

    /** segment.ms counts from {@code timestamp} for a segment the log just created. */
    void setRollTimestamp(long timestamp) {
        rollTimestamp = timestamp;
    }

    void setIndexIntervalBytes(int bytes) {
        indexIntervalBytes = bytes;
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
        try {
            if (indexesLoaded && !deleted) {
                offsetIndex.unload();
                timeIndex.unload();
            }
        } catch (IOException e) {
            // The index files are derived; a failed write leaves them to be rebuilt later.
            deleteIndexFilesQuietly();
        }
        indexesLoaded = false;
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

    private void deleteIndexFilesQuietly() {
        try {
            offsetIndex.deleteFile();
            timeIndex.deleteFile();
        } catch (IOException ignored) {
            // rebuilt on next load either way
        }
    }

    /** Loads the indexes, rebuilding them from the log when missing or implausible. Holds the lock. */
    private void ensureIndexes() throws IOException {
        if (indexesLoaded) {
            return;
        }
        boolean ok = offsetIndex.load(size) && timeIndex.load(size) && lastIndexEntryPlausible();
        if (!ok) {
            rebuildIndexes();
        } else {
            bytesSinceLastIndexEntry = size - offsetIndex.lastPosition();
            if (maxTimestamp == UNKNOWN && timeIndex.entryCount() > 0) {
                maxTimestamp = timeIndex.lastTimestamp();
                offsetOfMaxTimestamp = timeIndex.lastEntryOffset();
            }
        }
        indexesLoaded = true;
    }

    /** Checks that the last offset-index entry points at a batch with that base offset. */
    private boolean lastIndexEntryPlausible() throws IOException {
        if (offsetIndex.entryCount() == 0) {
            return true;
        }
        ByteBuffer header = ByteBuffer.allocate(RecordBatch.LOG_OVERHEAD);
        FileChannel ch = channelForLockedUse();
        int pos = offsetIndex.lastPosition();
        if (ch.read(header, pos) < RecordBatch.LOG_OVERHEAD) {
            return false;
        }
        return header.getLong(0) == offsetIndex.lastOffset();
    }

    /** The channel for use while holding the lock (eviction cannot run then). */
    private FileChannel channelForLockedUse() throws IOException {
        if (deleted) {
            throw new SegmentDeletedException(baseOffset);
        }
        if (channel == null) {
            channel = FileChannel.open(logFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
        }
        return channel;
    }

    /** Rebuilds both indexes by walking batch headers; stops at the first implausible batch. */
    private void rebuildIndexes() throws IOException {
        offsetIndex.reset();
        timeIndex.reset();
        bytesSinceLastIndexEntry = 0;
        maxTimestamp = UNKNOWN;
        offsetOfMaxTimestamp = UNKNOWN;
        BatchScanner scanner = new BatchScanner(channelForLockedUse(), 0, size, true);
        long next = baseOffset;
        try {
            RecordBatch b;
            while ((b = scanner.next()) != null) {
                indexBatch(b, (int) scanner.lastPosition(), indexIntervalBytes);
                next = b.nextOffset();
            }
        } catch (CorruptRecordException e) {
            // Data past a damaged batch stays unindexed; reads stop at the damage.
        }
        if (nextOffset == UNKNOWN) {
            nextOffset = next;
        }
    }

    /** Updates indexes and timestamps for a batch written at {@code position}. Holds the lock. */
    private void indexBatch(RecordBatch b, int position, int indexIntervalBytes) {
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
                ensureIndexes();
                int p = start;
                for (ByteBuffer r : regions) {
                    for (int at = r.position(); at < r.limit(); ) {
                        RecordBatch b = RecordBatch.at(r, at);
                        int bs = b.sizeInBytes();
                        indexBatch(b, p, indexIntervalBytes);
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
                offsetIndex.reset();
                timeIndex.reset();
                indexesLoaded = true;
                bytesSinceLastIndexEntry = 0;
                maxTimestamp = UNKNOWN;
                offsetOfMaxTimestamp = UNKNOWN;
                rollTimestamp = UNKNOWN;
                BatchScanner scanner = new BatchScanner(ch, 0, fileSize, false);
                long next = baseOffset;
                long validEnd = 0;
                try {
                    RecordBatch b;
                    while ((b = scanner.next()) != null) {
                        if (b.sizeInBytes() > maxBatchSize) {
                            throw new CorruptRecordException("batch of " + b.sizeInBytes() + " bytes is over the limit");
                        }
                        b.validate(true);
                        if (b.baseOffset() < next) {
                            throw new CorruptRecordException("batch offset " + b.baseOffset() + " goes back from " + next);
                        }
                        indexBatch(b, (int) scanner.lastPosition(), indexIntervalBytes);
                        visitor.accept(b);
                        next = b.nextOffset();
                        validEnd = scanner.position();
                    }
                } catch (CorruptRecordException e) {
                    // Everything from the first bad batch on is the torn or corrupt tail.
                }
                truncated = (int) (fileSize - validEnd);
                if (truncated > 0) {
                    positioned = null;
                    ch.truncate(validEnd);
                }
                size = (int) validEnd;
                nextOffset = next;
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
                ensureIndexes();
                long position = findBatchPosition(ch, offset);
                if (position < 0) {
                    return 0;
                }
                // The first removed batch may start below offset; indexes are cut at its start.
                ByteBuffer header = readFully(ch, position, RecordBatch.LOG_OVERHEAD);
                long removedBase = header.getLong(RecordBatch.BASE_OFFSET);
                int removed = size - (int) position;
                positioned = null;
                ch.truncate(position);
                size = (int) position;
                offsetIndex.truncateToPosition((int) position);
                timeIndex.truncateTo(removedBase);
                rescanTail(ch);
                dirty = true;
                return removed;
            }
        } finally {
            release();
        }
    }

    /** Recomputes next offset, largest timestamp and index spacing from the last index entry on. */
    private void rescanTail(FileChannel ch) throws IOException {
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
            if (maxTimestamp == UNKNOWN || b.maxTimestamp() > maxTimestamp) {
                maxTimestamp = b.maxTimestamp();
                offsetOfMaxTimestamp = b.baseOffset();
            }
            if (rollTimestamp == UNKNOWN) {
                rollTimestamp = b.maxTimestamp();
            }
            bytesSinceLastIndexEntry += b.sizeInBytes();
            next = b.nextOffset();
        }
        nextOffset = size == 0 ? baseOffset : next;
    }

    /** Position of the first batch whose last offset is at least {@code offset}, or -1. */
    private long findBatchPosition(FileChannel ch, long offset) throws IOException {
        int limit = size;
        int from = offsetIndex.lookup(offset);
        if (from >= limit) {
            return -1;
        }
        BatchScanner scanner = new BatchScanner(ch, from, limit, true, 8192);
        RecordBatch b;
        while ((b = scanner.next()) != null) {
            if (b.lastOffset() >= offset) {
                return scanner.lastPosition();
            }
        }
        return -1;
    }

    /** Seals the segment when a newer one takes over: a final time-index entry, indexes written. */
    void onRolled() throws IOException {
        acquire();
        try {
            synchronized (this) {
                ensureIndexes();
                if (maxTimestamp != UNKNOWN) {
                    timeIndex.maybeAppend(maxTimestamp, offsetOfMaxTimestamp);
                }
                offsetIndex.persist(false);
                timeIndex.persist(false);
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
                ensureIndexes();
                from = offsetIndex.lookup(startOffset);
            }
            if (from >= limit) {
                return null;
            }
            // Locate the first batch reaching startOffset: a few KiB of headers past the index entry.
            BatchScanner scanner = new BatchScanner(ch, from, limit, true, 8192);
            RecordBatch b;
            long first = -1;
            int firstSize = 0;
            while ((b = scanner.next()) != null) {
                if (b.lastOffset() >= startOffset) {
                    if (b.lastOffset() >= maxOffset) {
                        return ByteBuffer.allocate(0);
                    }
                    first = scanner.lastPosition();
                    firstSize = b.sizeInBytes();
                    break;
                }
            }
            if (first < 0) {
                return null;
            }
            if (firstSize > maxBytes) {
                if (!minOneBatch) {
                    return ByteBuffer.allocate(0);
                }
                return readFully(ch, first, firstSize);
            }
            ByteBuffer data = readFully(ch, first, (int) Math.min(maxBytes, limit - first));
            // Keep whole batches below maxOffset.
            int end = 0;
            while (true) {
                int bs = RecordBatch.sizeAt(data, end, data.limit());
                if (bs < RecordBatch.HEADER_SIZE || end + bs > data.limit()) {
                    break;
                }
                RecordBatch rb = RecordBatch.at(data, end);
                if (rb.lastOffset() >= maxOffset) {
                    break;
                }
                end += bs;
            }
            data.limit(end);
            return data;
        } finally {
            release();
        }
    }

    private static ByteBuffer readFully(FileChannel ch, long position, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        long at = position;
        while (buf.hasRemaining()) {
            int r = ch.read(buf, at);
            if (r < 0) {
                break;
            }
            at += r;
        }
        buf.flip();
        return buf;
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
                ensureIndexes();
                if (maxTimestamp != UNKNOWN && maxTimestamp < timestamp) {
                    return -1;
                }
                from = offsetIndex.lookup(Math.max(timeIndex.lookup(timestamp), startingOffset));
            }
            BatchScanner scanner = new BatchScanner(ch, Math.min(from, limit), limit, false);
            RecordBatch b;
            while ((b = scanner.next()) != null) {
                if (b.lastOffset() < startingOffset || b.maxTimestamp() < timestamp) {
                    continue;
                }
                RecordCursor c = b.cursor();
                while (c.next()) {
                    if (c.offset() >= startingOffset && c.timestamp() >= timestamp) {
                        return c.offset();
                    }
                }
            }
            return -1;
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
                ensureIndexes();
                from = offsetIndex.lookup(fromOffset);
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
                ensureIndexes();
                if (nextOffset == UNKNOWN) {
                    rescanTailKeepingTimestamps(ch);
                }
                return nextOffset;
            }
        } finally {
            release();
        }
    }

    private void rescanTailKeepingTimestamps(FileChannel ch) throws IOException {
        long next = baseOffset;
        BatchScanner scanner = new BatchScanner(ch, offsetIndex.lastPosition(), size, true);
        RecordBatch b;
        while ((b = scanner.next()) != null) {
            if (maxTimestamp == UNKNOWN || b.maxTimestamp() > maxTimestamp) {
                maxTimestamp = b.maxTimestamp();
                offsetOfMaxTimestamp = b.baseOffset();
            }
            next = b.nextOffset();
        }
        nextOffset = size == 0 ? baseOffset : next;
    }

    /** Largest record timestamp in the segment, or {@code Long.MIN_VALUE} when empty. */
    public long maxTimestamp() throws IOException {
        long m = maxTimestamp;
        if (m != UNKNOWN || size == 0) {
            return m;
        }
        nextOffset();
        return maxTimestamp;
    }

    /** Timestamp segment.ms counts from (the first batch's), or {@code Long.MIN_VALUE} when empty. */
    long rollTimestamp() throws IOException {
        long r = rollTimestamp;
        if (r != UNKNOWN || size == 0) {
            return r;
        }
        FileChannel ch = acquire();
        try {
            ByteBuffer header = readFully(ch, 0, RecordBatch.HEADER_SIZE);
            if (header.limit() == RecordBatch.HEADER_SIZE) {
                rollTimestamp = RecordBatch.at(header, 0).maxTimestamp();
            }
            return rollTimestamp;
        } finally {
            release();
        }
    }

    // ---- lifecycle ----

    /** Flushes and closes; the segment may be reopened by a later use. */
    void close() throws IOException {
        flush();
        synchronized (this) {
            if (indexesLoaded && !deleted) {
                offsetIndex.unload();
                timeIndex.unload();
                indexesLoaded = false;
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
            indexesLoaded = false;
            if (refs == 0) {
                closeQuietly();
            }
            Files.deleteIfExists(logFile);
            offsetIndex.deleteFile();
            timeIndex.deleteFile();
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
            indexesLoaded = false;
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
        String prefix = filenamePrefix(baseOffset);
        if (indexesLoaded) {
            offsetIndex.persist(false);
            timeIndex.persist(false);
        }
        Path target = dir.resolve(prefix + LOG_SUFFIX);
        Files.move(logFile, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        logFile = target;
        offsetIndex.renameTo(dir.resolve(prefix + INDEX_SUFFIX));
        timeIndex.renameTo(dir.resolve(prefix + TIME_INDEX_SUFFIX));
        suffix = "";
    }

    /** Renames the files of a cleaned segment left by an interrupted swap, without opening it. */
    static void completeRename(Path dir, long baseOffset) throws IOException {
        String prefix = filenamePrefix(baseOffset);
        for (String kind : new String[] {LOG_SUFFIX, INDEX_SUFFIX, TIME_INDEX_SUFFIX}) {
            Path from = dir.resolve(prefix + kind + CLEANED_SUFFIX);
            Path to = dir.resolve(prefix + kind);
            if (Files.exists(from)) {
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else if (!kind.equals(LOG_SUFFIX)) {
                // An index of the old segment would describe the wrong file; it is rebuilt instead.
                Files.deleteIfExists(to);
            }
        }
    }

    /** Deletes a segment's files by name, without opening it. */
    static void deleteFiles(Path dir, long baseOffset, String suffix) throws IOException {
        String prefix = filenamePrefix(baseOffset);
        Files.deleteIfExists(dir.resolve(prefix + LOG_SUFFIX + suffix));
        Files.deleteIfExists(dir.resolve(prefix + INDEX_SUFFIX + suffix));
        Files.deleteIfExists(dir.resolve(prefix + TIME_INDEX_SUFFIX + suffix));
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

package io.sluice.log;

import io.sluice.record.CorruptRecordException;
import io.sluice.record.RecordBatch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The mechanics of a log (Kafka's {@code LocalLog} with its {@code LogSegments}): the list of
 * {@link LogSegment}s and the offsets over them (log start, log end, recovery point, cleaner
 * checkpoint) with the {@code log-state} file that keeps three of them ({@link LogState}), reads by
 * offset or timestamp, the write of accepted batches to the active segment, rolling to a new
 * segment, fsyncs up to an offset, cutting the tail, unlinking and deleting segments, and the
 * in-memory half of a compaction swap. It decides nothing: when to roll or flush, what may be
 * written, what retention deletes and what producer state and epochs follow are the owning
 * {@link Log}'s policy.
 *
 * <p>Lock: the mutators run in the owning {@link LogWriter}'s turn (see {@link Log}) and take no
 * lock, except the two this class owns, never taken by an inline append: {@code flushLock}
 * serialises fsyncs of segments, moves of the recovery point and the close; {@code stateLock}
 * serialises writes of {@code log-state}, which may come from any thread. The segment map is
 * immutable once published and replaced whole; readers take no lock and retry on the newer map
 * when a segment they met was retired ({@link SegmentDeletedException}).
 */
final class LocalLog {
    private final Path dir;
    private final LogEnvironment env;
    private final LogStats stats;
    /** Its checkpoint must be durable up to the recovery point before the point moves. */
    private final LeaderEpochCache epochs;
    private final Object flushLock = new Object();
    private final Object stateLock = new Object();
    /** What {@code log-state} holds on disk; guarded by stateLock. */
    private LogState persistedState;

    /** Immutable once published; replaced whole on roll, deletion, truncation and swap. */
    private volatile TreeMap<Long, LogSegment> segments;
    private volatile long logEndOffset;
    private volatile long logStartOffset;
    /** Moved under flushLock. */
    private volatile long recoveryPoint;
    /** Where the cleaner stopped; never past the log end, nor below the log start. */
    private volatile long cleanerCheckpoint;
    /** Set under flushLock, so that a background flush never touches a closed segment. */
    private volatile boolean closed;

    LocalLog(Path dir, LogEnvironment env, LogStats stats, LeaderEpochCache epochs, LogLoader.Loaded loaded) {
        this.dir = dir;
        this.env = env;
        this.stats = stats;
        this.epochs = epochs;
        this.segments = loaded.segments();
        this.logStartOffset = loaded.logStartOffset();
        this.logEndOffset = loaded.logEndOffset();
        this.recoveryPoint = loaded.logEndOffset();
        this.cleanerCheckpoint = loaded.cleanerCheckpoint();
        this.persistedState = loaded.persistedState();
    }

    // ---------------------------------------------------------------- state (any thread)

    long logStartOffset() {
        return logStartOffset;
    }

    long logEndOffset() {
        return logEndOffset;
    }

    long recoveryPoint() {
        return recoveryPoint;
    }

    long cleanerCheckpoint() {
        return cleanerCheckpoint;
    }

    boolean isClosed() {
        return closed;
    }

    long size() {
        long total = 0;
        for (LogSegment s : segments.values()) {
            total += s.size();
        }
        return total;
    }

    int segmentCount() {
        return segments.size();
    }

    List<Long> segmentBaseOffsets() {
        return new ArrayList<>(segments.keySet());
    }

    List<LogSegment> segments() {
        return List.copyOf(segments.values());
    }

    LogSegment activeSegment() {
        return segments.lastEntry().getValue();
    }

    long activeSegmentBaseOffset() {
        return segments.lastKey();
    }

    long firstSegmentBaseOffset() {
        return segments.firstKey();
    }

    // ---------------------------------------------------------------- reads (any thread)

    /** See {@link LogView#read}. */
    LogReadResult read(long offset, int maxBytes, long maxOffset, boolean minOneBatch) {
        for (int attempt = 0; ; attempt++) {
            long end = logEndOffset;
            long start = logStartOffset;
            TreeMap<Long, LogSegment> snapshot = segments;
            if (offset < start || offset > end) {
                throw new LogException.OffsetOutOfRange("offset " + offset + " is outside [" + start + ", " + end + "]");
            }
            long bound = Math.min(maxOffset, end);
            if (offset >= bound) {
                return new LogReadResult(ByteBuffer.allocate(0), offset, start, end);
            }
            Map.Entry<Long, LogSegment> entry = snapshot.floorEntry(offset);
            if (entry == null) {
                entry = snapshot.firstEntry();
            }
            try {
                while (entry != null) {
                    ByteBuffer data = entry.getValue().read(offset, maxBytes, bound, minOneBatch);
                    if (data != null) {
                        return new LogReadResult(data, offset, start, end);
                    }
                    entry = snapshot.higherEntry(entry.getKey());
                }
                return new LogReadResult(ByteBuffer.allocate(0), offset, start, end);
            } catch (SegmentDeletedException e) {
                // Retention, truncation or a compaction swap replaced the segment list; retry on
                // the new one. Each retry sees a newer list, so this ends.
                if (attempt > 1000) {
                    throw new LogException("segment list kept changing under a read at offset " + offset);
                }
            } catch (IOException e) {
                throw new LogStorageException("read failed in " + dir, e);
            } catch (CorruptRecordException e) {
                throw new LogStorageException("corrupt data in " + dir + " at offset " + offset, e);
            }
        }
    }

    /** See {@link LogView#offsetForTimestamp}. */
    long offsetForTimestamp(long timestamp) {
        long start = logStartOffset;
        try {
            for (LogSegment s : segments.values()) {
                if (s.size() == 0 || s.maxTimestamp() < timestamp) {
                    continue;
                }
                long found = s.findOffsetByTimestamp(timestamp, start);
                if (found >= 0) {
                    return found;
                }
            }
            return -1;
        } catch (SegmentDeletedException e) {
            return offsetForTimestamp(timestamp);
        } catch (IOException e) {
            throw new LogStorageException("timestamp lookup failed in " + dir, e);
        }
    }

    /** Walks the batches from {@code from} on, headers only, in order (producer state being rebuilt). */
    void forEachBatchFrom(long from, LogSegment.BatchVisitor visitor) throws IOException {
        TreeMap<Long, LogSegment> snap = segments;
        Long k = snap.floorKey(from);
        for (LogSegment s : snap.tailMap(k == null ? snap.firstKey() : k, true).values()) {
            s.forEachBatch(from, true, visitor);
        }
    }

    // ---------------------------------------------------------------- writes (writer's turn)

    /** Batches accepted by the current append call and not yet written to the active segment. */
    static final class PendingWrite {
        private final LogStats stats;
        final List<ByteBuffer> regions = new ArrayList<>();
        int bytes;
        long records;

        PendingWrite(LogStats stats) {
            this.stats = stats;
        }

        void add(RecordBatch b) {
            ByteBuffer r = b.buffer().duplicate();
            r.limit(b.start() + b.sizeInBytes()).position(b.start());
            regions.add(r);
            bytes += b.sizeInBytes();
            records += b.recordCount();
            stats.appendedBatches.increment();
            stats.appendedRecords.add(b.recordCount());
        }
    }

    PendingWrite newPendingWrite() {
        return new PendingWrite(stats);
    }

    /** Writes what is pending to the active segment, then publishes the new log end. */
    void writePending(PendingWrite pending, long nextOffset) throws IOException {
        if (pending.bytes > 0) {
            activeSegment().append(pending.regions, pending.bytes);
            stats.writes.increment();
            stats.appendedBytes.add(pending.bytes);
            pending.regions.clear();
            pending.bytes = 0;
        }
        logEndOffset = nextOffset;
    }

    /** Seals the active segment and starts an empty one at {@code newBase}, whose segment.ms counts from {@code now}. */
    void roll(long newBase, long now, int indexIntervalBytes) throws IOException {
        LogSegment old = activeSegment();
        old.onRolled();
        LogSegment created = LogSegment.create(dir, newBase, "", env.openSegments(), indexIntervalBytes);
        created.setRollTimestamp(now);
        TreeMap<Long, LogSegment> next = new TreeMap<>(segments);
        next.put(newBase, created);
        segments = next;
    }

    /**
     * Fsyncs the segments from the one holding the recovery point up to {@code offset}, then
     * moves the recovery point there (never past the log end). Any thread; nothing after a close.
     */
    void flushUpTo(long offset) throws IOException {
        synchronized (flushLock) {
            if (closed) {
                return;
            }
            TreeMap<Long, LogSegment> snapshot = segments;
            Long from = snapshot.floorKey(recoveryPoint);
            long first = from == null ? snapshot.firstKey() : from;
            if (first < offset) {
                for (LogSegment s : snapshot.subMap(first, true, offset, false).values()) {
                    s.flush();
                }
            }
            stats.fsyncs.increment();
            // Batches below the new recovery point are no longer re-read by a recovery: their
            // epochs must be durable in the checkpoint first (see LeaderEpochCache).
            // (A background flush of a rolled segment may finish after a truncation cut below it.)
            long target = Math.min(offset, logEndOffset);
            epochs.sync(target);
            if (target > recoveryPoint) {
                recoveryPoint = target;
            }
        }
    }

    /**
     * Removes every batch at or after {@code offset}, which lies inside the log past its first
     * segment; the log end lands where the cut did and the other offsets do not pass it.
     *
     * @return bytes removed
     */
    long truncateTo(long offset) throws IOException {
        TreeMap<Long, LogSegment> next = new TreeMap<>(segments);
        List<LogSegment> removed = new ArrayList<>(next.tailMap(offset, true).values());
        removed.forEach(s -> next.remove(s.baseOffset()));
        LogSegment active = next.lastEntry().getValue();
        long cut = active.truncateTo(offset);
        for (LogSegment s : removed) {
            cut += s.size();
        }
        segments = next;
        for (LogSegment s : removed) {
            s.delete();
        }
        long end = active.nextOffset();
        logEndOffset = end;
        synchronized (flushLock) {
            if (recoveryPoint > end) {
                recoveryPoint = end;
            }
        }
        if (cleanerCheckpoint > end) {
            cleanerCheckpoint = end;
        }
        if (logStartOffset > end) {
            logStartOffset = end;
        }
        return cut;
    }

    /**
     * Deletes every segment and restarts the log empty at {@code offset}.
     *
     * @return bytes removed
     */
    long truncateFullyAndStartAt(long offset, long now, int indexIntervalBytes) throws IOException {
        TreeMap<Long, LogSegment> old = segments;
        LogSegment fresh = LogSegment.create(dir, offset, "", env.openSegments(), indexIntervalBytes);
        fresh.setRollTimestamp(now);
        TreeMap<Long, LogSegment> next = new TreeMap<>();
        next.put(offset, fresh);
        long cut = 0;
        segments = next;
        for (LogSegment s : old.values()) {
            if (s != fresh) {
                cut += s.size();
                if (s.baseOffset() == offset) {
                    s.retire();
                } else {
                    s.delete();
                }
            }
        }
        logEndOffset = offset;
        logStartOffset = offset;
        synchronized (flushLock) {
            recoveryPoint = offset;
        }
        cleanerCheckpoint = offset;
        return cut;
    }

    /**
     * Takes {@code doomed} (the oldest segments) out of the list; the log start (and the cleaner
     * checkpoint, if it was below) moves to the first kept segment. Their files stay until {@link #delete(List)}, so that a reader sees the new
     * log start before any of them refuses it.
     *
     * @return the new log start
     */
    long unlinkOldest(List<LogSegment> doomed) {
        TreeMap<Long, LogSegment> next = new TreeMap<>(segments);
        doomed.forEach(s -> next.remove(s.baseOffset()));
        long newStart = Math.max(logStartOffset, next.firstKey());
        segments = next;
        logStartOffset = newStart;
        if (cleanerCheckpoint < newStart) {
            cleanerCheckpoint = newStart;
        }
        return newStart;
    }

    /** Deletes the files of segments no longer in the list; readers inside them finish first. */
    static void delete(List<LogSegment> unlinked) throws IOException {
        for (LogSegment s : unlinked) {
            s.delete();
        }
    }

    // ---------------------------------------------------------------- compaction swap

    /** A new, empty segment file for the cleaner to fill, invisible until swapped in. Any thread. */
    CleanedSegment newCleanedSegment(long baseOffset, int indexIntervalBytes) throws IOException {
        return new CleanedSegment(LogSegment.create(dir, baseOffset, SegmentFiles.CLEANED_SUFFIX,
                env.openSegments(), indexIntervalBytes));
    }

    /** Whether {@code old} are all still in the list as read, and none is the active segment. */
    boolean canReplace(List<LogSegment> old) {
        TreeMap<Long, LogSegment> current = segments;
        boolean intact = !old.isEmpty() && !old.contains(activeSegment());
        for (LogSegment s : old) {
            intact &= current.get(s.baseOffset()) == s;
        }
        return intact;
    }

    /**
     * Readers switch from {@code old} to {@code cleaned} in one step, and the cleaner checkpoint
     * moves up to {@code newCleanerCheckpoint} (not past the log end). No I/O.
     */
    void replace(List<LogSegment> old, List<LogSegment> cleaned, long newCleanerCheckpoint) {
        TreeMap<Long, LogSegment> next = new TreeMap<>(segments);
        old.forEach(s -> next.remove(s.baseOffset()));
        cleaned.forEach(c -> next.put(c.baseOffset(), c));
        segments = next;
        if (newCleanerCheckpoint > cleanerCheckpoint) {
            cleanerCheckpoint = Math.min(newCleanerCheckpoint, logEndOffset);
        }
    }

    // ---------------------------------------------------------------- lifecycle

    /**
     * Writes {@code log-state} from the published offsets, unless the file already holds them (an
     * idle log closes without rewriting it: two fsyncs saved per partition on a clean stop). Any thread.
     */
    void persistState() throws IOException {
        synchronized (stateLock) {
            LogState now = new LogState(recoveryPoint, logStartOffset, cleanerCheckpoint);
            if (!now.equals(persistedState)) {
                now.write(dir);
                persistedState = now;
            }
        }
    }

    void setIndexIntervalBytes(int bytes) {
        for (LogSegment s : segments.values()) {
            s.setIndexIntervalBytes(bytes);
        }
    }

    /** From now on a flush does nothing (one in flight finishes first). */
    void markClosed() {
        synchronized (flushLock) {
            closed = true;
        }
    }

    void closeSegments() throws IOException {
        IOException first = null;
        for (LogSegment s : segments.values()) {
            try {
                s.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** Deletes every segment and the whole directory. */
    void deleteAll() throws IOException {
        for (LogSegment s : segments.values()) {
            s.delete();
        }
        if (Files.exists(dir)) {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}

package io.sluice.log;

import io.sluice.record.CorruptRecordException;
import io.sluice.record.RecordBatch;

import java.io.Closeable;
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
 * The append-only log of one partition: its list of {@link LogSegment}s and the offsets over
 * them, the roll and flush policies (each written once, in {@link #rollDue} and {@link #flushDue}),
 * truncation, the removal of segments, and the in-memory half of a compaction swap; plus the
 * checkpoints that let it reopen quickly and correctly ({@link LogState}, {@link LeaderEpochCache},
 * producer-state snapshots, the clean-shutdown marker). Which batches may be written is
 * {@link LogValidator}'s rule, which segments retention deletes is {@link LogRetention}'s, the
 * crash-safe file protocol of a swap is {@link CleanerSwap}'s, and opening is {@link LogLoader}'s.
 *
 * <h2>Directory layout</h2>
 * <pre>
 * 00000000000000000000.log        record batches (format in {@link RecordBatch})
 * 00000000000000000000.index      offset index ({@link OffsetIndex}), derived
 * 00000000000000000000.timeindex  time index ({@link TimeIndex}), derived
 * 00000000000000001000.snapshot   producer state as of offset 1000 ({@link ProducerStateManager})
 * leader-epoch-checkpoint         epoch → first offset ({@link LeaderEpochCache})
 * log-state                       recovery point, log start, cleaner checkpoint ({@link LogState})
 * .clean-shutdown                 present only between a clean close and the next open
 * cleaner-swap                    present only while a compaction swap commits ({@link CleanerSwap})
 * </pre>
 *
 * <h2>Who may change it, and the locks</h2>
 * This class is not public: outside the storage room nobody can name it, and its one owner is a
 * {@link LogWriter}. Every mutator (the package-private methods that append, roll, flush, truncate,
 * delete segments, swap, configure or close) runs in that writer's <em>turn</em>, one at a time:
 * on the writer's drain thread, or on the thread of an inline append that won the turn. The turn
 * is handed over through the writer's atomic flag, which also publishes the fields changed in it,
 * so the mutators take no lock of their own and an event loop never waits here: it only ever
 * <em>tries</em> to take the turn.
 *
 * <p>Two small locks order what runs beside the turn and are never taken by an inline append:
 * {@code flushLock} serialises fsyncs of segments and moves of the recovery point (the writer's
 * flushes, and the background flush of a segment that just rolled); {@code stateLock} serialises
 * writes of {@code log-state} (the writer, that background flush, and a compaction swap finishing
 * on the cleaner's thread).
 *
 * <p>Readers get {@link #view()}: reads take no lock, work on an immutable snapshot of the segment
 * map and see only batches below the published log end offset.
 */
final class Log implements LogView, Closeable {
    private final Path dir;
    private final LogEnvironment env;
    private final LogStats stats = new LogStats();
    private final LeaderEpochCache epochs;
    /** Confined to the writer's turn. */
    private final ProducerStateManager producers;
    private final Object flushLock = new Object();
    private final Object stateLock = new Object();
    /** What {@code log-state} holds on disk; guarded by stateLock. */
    private LogState persistedState;
    private final LogView view = new View();

    private volatile LogConfig config;
    /** Immutable once published; replaced whole on roll, deletion, truncation and swap. */
    private volatile TreeMap<Long, LogSegment> segments;
    private volatile long logEndOffset;
    private volatile long logStartOffset;
    /** Moved under flushLock. */
    private volatile long recoveryPoint;
    private volatile long cleanerCheckpoint;
    /** Set under flushLock, so that a background flush never touches a closed segment. */
    private volatile boolean closed;
    private volatile LogStorageException failure;
    private final boolean recoveredCleanly;
    private final long recoveryTruncatedBytes;

    // Confined to the writer's turn.
    /** The clean-shutdown marker was removed at open and the removal is not durable yet. */
    private boolean markerRemovalPending;
    private long unflushedRecords;
    private long lastFlushMs;

    private Log(Path dir, LogConfig config, LogEnvironment env, LogLoader.Loaded loaded) {
        this.dir = dir;
        this.config = config;
        this.env = env;
        this.segments = loaded.segments();
        this.logStartOffset = loaded.logStartOffset();
        this.logEndOffset = loaded.logEndOffset();
        this.recoveryPoint = loaded.logEndOffset();
        this.cleanerCheckpoint = loaded.cleanerCheckpoint();
        this.epochs = loaded.epochs();
        this.producers = loaded.producers();
        this.producers.setMaxProducers(config.maxProducerIds);
        this.recoveredCleanly = loaded.cleanShutdown();
        this.recoveryTruncatedBytes = loaded.truncatedBytes();
        this.persistedState = loaded.persistedState();
        this.markerRemovalPending = loaded.markerRemovalPending();
        this.lastFlushMs = env.now();
        stats.truncatedBytes.add(loaded.truncatedBytes());
    }

    /**
     * Opens (creating if needed) the log in {@code dir}, recovering it if its last stop was not
     * clean. Outside this package, {@link LogWriter#open} is the way in.
     */
    static Log open(Path dir, LogConfig config, LogEnvironment env) throws IOException {
        return new Log(dir, config, env, LogLoader.load(dir, config, env));
    }

    /**
     * This log as its readers see it: a separate object, so that what is handed out cannot be
     * cast back to something that changes the log.
     */
    LogView view() {
        return view;
    }

    // ---------------------------------------------------------------- state

    @Override
    public Path dir() {
        return dir;
    }

    @Override
    public LogConfig config() {
        return config;
    }

    @Override
    public LogStats stats() {
        return stats;
    }

    @Override
    public long logStartOffset() {
        return logStartOffset;
    }

    @Override
    public long logEndOffset() {
        return logEndOffset;
    }

    @Override
    public long recoveryPoint() {
        return recoveryPoint;
    }

    @Override
    public long cleanerCheckpoint() {
        return cleanerCheckpoint;
    }

    @Override
    public long size() {
        long total = 0;
        for (LogSegment s : segments.values()) {
            total += s.size();
        }
        return total;
    }

    @Override
    public int segmentCount() {
        return segments.size();
    }

    @Override
    public List<Long> segmentBaseOffsets() {
        return new ArrayList<>(segments.keySet());
    }

    @Override
    public List<LogSegment> segments() {
        return List.copyOf(segments.values());
    }

    @Override
    public LeaderEpochCache leaderEpochCache() {
        return epochs;
    }

    @Override
    public boolean recoveredCleanly() {
        return recoveredCleanly;
    }

    @Override
    public long recoveryTruncatedBytes() {
        return recoveryTruncatedBytes;
    }

    private LogSegment activeSegment() {
        return segments.lastEntry().getValue();
    }

    @Override
    public long activeSegmentBaseOffset() {
        return segments.lastKey();
    }

    // ---------------------------------------------------------------- reads

    @Override
    public LogReadResult read(long offset, int maxBytes, long maxOffset, boolean minOneBatch) {
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

    @Override
    public long offsetForTimestamp(long timestamp) {
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

    // ---------------------------------------------------------------- appends (writer's turn)

    /** Appends one batch as leader; see {@link #appendAsLeader(List, int)}. */
    LogAppendInfo appendAsLeader(RecordBatch batch, int leaderEpoch) {
        return appendAsLeader(List.of(batch), leaderEpoch).get(0);
    }

    /**
     * Appends batches built by {@link io.sluice.record.RecordBatchBuilder} as the partition
     * leader in {@code leaderEpoch}: assigns consecutive offsets, stamps the epoch (and the time,
     * for LogAppendTime), computes CRCs, writes them all with one gathering write per segment and
     * then applies the flush policy once for the group: appends that arrive together share one
     * fsync. The batches' buffers are modified in place.
     *
     * <p>A batch that fails (too large, out-of-order sequence) fails alone; a retried idempotent
     * batch gets its original offsets and is not written again.
     *
     * @throws LogStorageException if the disk failed (the log then refuses further writes)
     */
    List<LogAppendInfo> appendAsLeader(List<RecordBatch> batches, int leaderEpoch) {
        return appendAsLeader(batches, leaderEpoch, env.now());
    }

    private List<LogAppendInfo> appendAsLeader(List<RecordBatch> batches, int leaderEpoch, long now) {
        ensureWritable();
        ensureCrashDetectable();
        LogConfig cfg = config;
        List<LogAppendInfo> results = new ArrayList<>(batches.size());
        PendingWrite pending = new PendingWrite();
        long next = logEndOffset;
        try {
            for (RecordBatch b : batches) {
                LogAppendInfo refused = LogValidator.refuseOrDeduplicate(b, cfg, producers);
                if (refused != null) {
                    results.add(refused);
                    continue;
                }
                maybeRoll(pending, b.sizeInBytes(), next, b.lastOffsetDelta(), now, cfg);
                results.add(LogValidator.assignOffsets(b, next, leaderEpoch, now, cfg));
                if (leaderEpoch > epochs.latestEpoch()) {
                    epochs.assign(leaderEpoch, next);
                }
                producers.update(b);
                pending.add(b);
                next = b.nextOffset();
            }
            writePending(pending, next);
            maybeFlush(pending.records, now, cfg);
        } catch (IOException e) {
            throw fail("append failed", e);
        }
        return results;
    }

    /**
     * {@link #appendAsLeader(List, int)}, but only when it stays in memory: it neither rolls a
     * segment, nor falls due for a flush, nor opens a leader epoch (whose checkpoint is fsynced),
     * so that it costs a write to the page cache and nothing else. Returns null (and changes
     * nothing) otherwise; the caller then appends as usual, on a thread that may wait for the
     * disk. The writer runs it on the caller's thread when it wins the turn.
     */
    List<LogAppendInfo> appendAsLeaderInMemory(List<RecordBatch> batches, int leaderEpoch) {
        if (closed || failure != null || leaderEpoch > epochs.latestEpoch() || markerRemovalPending) {
            return null;
        }
        LogConfig cfg = config;
        long now = env.now();
        LogSegment active = activeSegment();
        long used = active.size();
        long next = logEndOffset;
        long records = 0;
        try {
            for (RecordBatch b : batches) {
                if (rollDue(active, used, b.sizeInBytes(), next + b.lastOffsetDelta(), now, cfg)) {
                    return null;
                }
                used += b.sizeInBytes();
                next += b.lastOffsetDelta() + 1;
                records += b.recordCount();
            }
        } catch (IOException e) {
            return null; // (the usual append reports it)
        }
        if (flushDue(records, now, cfg)) {
            return null;
        }
        // (The same instant as the checks above: a clock tick in between must not make a roll or
        // a flush due on this thread.)
        return appendAsLeader(batches, leaderEpoch, now);
    }

    /**
     * Records that this replica leads from {@code leaderEpoch} on, starting at the log end, when
     * that epoch is newer than the latest one known (Kafka's {@code maybeAssignEpochStartOffset},
     * called as a replica becomes leader): the epoch checkpoint, an fsync (none for the first epoch of
     * an empty cache: see {@link LeaderEpochCache}), is then written by the writer before the
     * epoch's first append, which can stay in memory.
     */
    void maybeAssignEpochStartOffset(int leaderEpoch) {
        ensureWritable();
        try {
            epochs.assign(leaderEpoch, logEndOffset);
        } catch (IOException e) {
            throw fail("leader epoch checkpoint failed", e);
        }
    }

    /**
     * Appends batches copied from the leader, offsets and epochs as they are. All of them are
     * validated ({@link LogValidator#validateReplicated}) before any is written.
     *
     * @param data whole batches from position to limit
     * @throws LogException.InvalidBatch if a batch is corrupt or does not follow the log end
     */
    LogAppendInfo appendAsFollower(ByteBuffer data) {
        ensureWritable();
        ensureCrashDetectable();
        LogConfig cfg = config;
        long now = env.now();
        List<RecordBatch> batches = LogValidator.validateReplicated(data, logEndOffset, cfg);
        if (batches.isEmpty()) {
            return new LogAppendInfo(logEndOffset, logEndOffset - 1, -1, -1, 0, false, null);
        }
        PendingWrite pending = new PendingWrite();
        long maxTimestamp = -1;
        long next = logEndOffset;
        try {
            for (RecordBatch b : batches) {
                maybeRoll(pending, b.sizeInBytes(), b.baseOffset(), b.lastOffsetDelta(), now, cfg);
                epochs.assign(b.leaderEpoch(), b.baseOffset());
                producers.update(b);
                pending.add(b);
                maxTimestamp = Math.max(maxTimestamp, b.maxTimestamp());
                next = b.nextOffset();
            }
            writePending(pending, next);
            maybeFlush(pending.records, now, cfg);
        } catch (IOException e) {
            throw fail("replica append failed", e);
        }
        return new LogAppendInfo(batches.get(0).baseOffset(), next - 1, maxTimestamp, -1,
                (int) pending.records, false, null);
    }

    /** Batches accepted by the current append call and not yet written to the active segment. */
    private final class PendingWrite {
        final List<ByteBuffer> regions = new ArrayList<>();
        int bytes;
        long records;

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

    /** Writes what is pending to the active segment, then publishes the new log end. */
    private void writePending(PendingWrite pending, long nextOffset) throws IOException {
        if (pending.bytes > 0) {
            activeSegment().append(pending.regions, pending.bytes);
            stats.writes.increment();
            stats.appendedBytes.add(pending.bytes);
            pending.regions.clear();
            pending.bytes = 0;
        }
        logEndOffset = nextOffset;
    }

    // ---------------------------------------------------------------- rolling

    /**
     * The roll policy, the one place it is written: whether a batch of {@code batchBytes} whose
     * last offset is {@code lastOffset} must start a new segment after {@code active}, which
     * holds (or is about to hold) {@code usedBytes}. It must when the batch would take the
     * segment past {@code segment.bytes}, when the segment's first batch is {@code segment.ms}
     * old, or when the batch's offsets no longer fit the index's 32-bit deltas. An empty segment
     * takes any batch (one larger than {@code segment.bytes} was refused before).
     */
    private static boolean rollDue(LogSegment active, long usedBytes, int batchBytes, long lastOffset, long now,
                                   LogConfig cfg) throws IOException {
        if (usedBytes == 0) {
            return false;
        }
        long rollTs = active.size() > 0 ? active.rollTimestamp() : now;
        return usedBytes + batchBytes > cfg.segmentBytes
                || (rollTs != Long.MIN_VALUE && now - rollTs >= cfg.segmentMs)
                || lastOffset - active.baseOffset() > Integer.MAX_VALUE;
    }

    /** Rolls before a batch of {@code size} bytes at {@code baseOffset} if {@link #rollDue}. */
    private void maybeRoll(PendingWrite pending, int size, long baseOffset, int lastOffsetDelta, long now,
                           LogConfig cfg) throws IOException {
        LogSegment active = activeSegment();
        if (rollDue(active, (long) active.size() + pending.bytes, size, baseOffset + lastOffsetDelta, now, cfg)) {
            writePending(pending, baseOffset);
            roll(baseOffset, now, cfg);
        }
    }

    private void roll(long newBase, long now, LogConfig cfg) throws IOException {
        LogSegment old = activeSegment();
        old.onRolled();
        LogSegment created = LogSegment.create(dir, newBase, "", env.openSegments(), cfg.indexIntervalBytes);
        created.setRollTimestamp(now);
        TreeMap<Long, LogSegment> next = new TreeMap<>(segments);
        next.put(newBase, created);
        segments = next;
        producers.writeSnapshot(newBase);
        stats.rolls.increment();
        // The sealed segment is fsynced off the append path; the recovery point follows.
        env.background().execute(() -> {
            try {
                flushUpTo(newBase);
                persistState();
            } catch (IOException e) {
                fail("flush of rolled segment failed", e);
            }
        });
    }

    /** Forces a new segment now (for tests and admin tools). */
    void roll() {
        ensureWritable();
        ensureCrashDetectable();
        if (activeSegment().size() == 0) {
            return;
        }
        try {
            roll(logEndOffset, env.now(), config);
        } catch (IOException e) {
            throw fail("roll failed", e);
        }
    }

    // ---------------------------------------------------------------- flushing

    /**
     * The flush policy, the one place it is written: whether the records not yet fsynced, with
     * {@code moreRecords} about to join them, call for an fsync now ({@code flush.messages}
     * reached, or {@code flush.ms} passed since the last one).
     */
    private boolean flushDue(long moreRecords, long now, LogConfig cfg) {
        long unflushed = unflushedRecords + moreRecords;
        return unflushed >= cfg.flushMessages || (unflushed > 0 && now - lastFlushMs >= cfg.flushMs);
    }

    private void maybeFlush(long records, long now, LogConfig cfg) throws IOException {
        unflushedRecords += records;
        if (flushDue(0, now, cfg)) {
            flushUpTo(logEndOffset);
            unflushedRecords = 0;
            lastFlushMs = now;
        }
    }

    /** Forces everything appended so far to disk. */
    void flush() {
        try {
            flushUpTo(logEndOffset);
            unflushedRecords = 0;
            lastFlushMs = env.now();
        } catch (IOException e) {
            throw fail("flush failed", e);
        }
    }

    /**
     * Flushes if the flush policy says so for what is unflushed already: the owner calls this
     * on a timer so that an idle log still honours its {@code flush.ms}.
     *
     * @return whether it flushed
     */
    boolean flushIfDue() {
        if (closed || failure != null || !flushDue(0, env.now(), config)) {
            return false;
        }
        flush();
        return true;
    }

    private void flushUpTo(long offset) throws IOException {
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

    // ---------------------------------------------------------------- truncation

    /**
     * Removes every record at or after {@code offset} (a replica whose tail diverged from its
     * leader). A batch holding {@code offset} goes whole, so the log end may land below it.
     */
    void truncateTo(long offset) {
        ensureWritable();
        ensureCrashDetectable();
        if (offset >= logEndOffset) {
            return;
        }
        if (offset <= segments.firstKey()) {
            truncateFullyAndStartAt(offset);
            return;
        }
        try {
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
            epochs.truncateFromEnd(end);
            rebuildProducerState(end);
            stats.truncatedBytes.add(cut);
            persistState();
        } catch (IOException e) {
            throw fail("truncation failed", e);
        }
    }

    /** Deletes everything and restarts the log empty at {@code offset}. */
    void truncateFullyAndStartAt(long offset) {
        ensureWritable();
        ensureCrashDetectable();
        try {
            TreeMap<Long, LogSegment> old = segments;
            LogSegment fresh = LogSegment.create(dir, offset, "", env.openSegments(), config.indexIntervalBytes);
            fresh.setRollTimestamp(env.now());
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
            epochs.clear();
            producers.clear();
            producers.deleteSnapshotsAfter(-1);
            stats.truncatedBytes.add(cut);
            persistState();
        } catch (IOException e) {
            throw fail("truncation failed", e);
        }
    }

    private void rebuildProducerState(long end) throws IOException {
        long snapshot = producers.loadLatestSnapshot(end);
        long from = Math.max(snapshot, logStartOffset);
        if (from < end) {
            TreeMap<Long, LogSegment> snap = segments;
            Long k = snap.floorKey(from);
            for (LogSegment s : snap.tailMap(k == null ? snap.firstKey() : k, true).values()) {
                s.forEachBatch(from, true, producers::update);
            }
        }
    }

    // ---------------------------------------------------------------- retention

    /**
     * Deletes the oldest segments that retention no longer covers ({@link LogRetention}); the
     * log start moves to the first kept segment.
     *
     * @param maxDeletableOffset only segments wholly below it go (the high watermark)
     * @return how many segments were deleted
     */
    int deleteOldSegments(long maxDeletableOffset) {
        LogConfig cfg = config;
        if (!cfg.delete || closed || failure != null) {
            return 0;
        }
        long now = env.now();
        try {
            List<LogSegment> doomed = LogRetention.segmentsToDelete(List.copyOf(segments.values()), size(),
                    maxDeletableOffset, now, cfg);
            if (doomed.isEmpty()) {
                return 0;
            }
            ensureCrashDetectable();
            TreeMap<Long, LogSegment> next = new TreeMap<>(segments);
            doomed.forEach(s -> next.remove(s.baseOffset()));
            long newStart = Math.max(logStartOffset, next.firstKey());
            segments = next;
            logStartOffset = newStart;
            if (cleanerCheckpoint < newStart) {
                cleanerCheckpoint = newStart;
            }
            for (LogSegment s : doomed) {
                s.delete();
            }
            epochs.truncateFromStart(newStart);
            producers.deleteSnapshotsBefore(newStart);
            producers.expire(now, cfg.producerIdExpirationMs);
            stats.deletedSegments.add(doomed.size());
            persistState();
            return doomed.size();
        } catch (IOException e) {
            throw fail("retention failed", e);
        }
    }

    // ---------------------------------------------------------------- compaction swap

    /**
     * A new, empty segment file for the cleaner to fill, invisible until swapped in. Any thread:
     * it changes nothing the log serves.
     */
    CleanedSegment newCleanedSegment(long baseOffset) throws IOException {
        return new CleanedSegment(LogSegment.create(dir, baseOffset, SegmentFiles.CLEANED_SUFFIX,
                env.openSegments(), config.indexIntervalBytes));
    }

    /**
     * Whether {@code old} (consecutive segments) are still in the log as the cleaner read them,
     * and none is the active one: retention or truncation did not get there first.
     */
    boolean canReplace(List<LogSegment> old) {
        TreeMap<Long, LogSegment> current = segments;
        boolean intact = !old.isEmpty() && !old.contains(activeSegment());
        for (LogSegment s : old) {
            intact &= current.get(s.baseOffset()) == s;
        }
        return intact;
    }

    /**
     * The in-memory half of a committed compaction swap: readers switch from {@code old} to
     * {@code cleaned} in one step, and the cleaner checkpoint moves. No I/O: the files are the
     * {@link CleanerSwap}'s, before and after this.
     */
    void installCleaned(List<LogSegment> old, List<LogSegment> cleaned, long newCleanerCheckpoint) {
        TreeMap<Long, LogSegment> next = new TreeMap<>(segments);
        old.forEach(s -> next.remove(s.baseOffset()));
        cleaned.forEach(c -> next.put(c.baseOffset(), c));
        segments = next;
        if (newCleanerCheckpoint > cleanerCheckpoint) {
            cleanerCheckpoint = Math.min(newCleanerCheckpoint, logEndOffset);
        }
    }

    // ---------------------------------------------------------------- lifecycle

    /** Applies a changed topic config to later operations. */
    void updateConfig(LogConfig newConfig) {
        this.config = newConfig;
        producers.setMaxProducers(newConfig.maxProducerIds);
        for (LogSegment s : segments.values()) {
            s.setIndexIntervalBytes(newConfig.indexIntervalBytes);
        }
    }

    /** Forgets idempotent producers idle past {@code producer.id.expiration.ms}. */
    void expireProducers() {
        producers.expire(env.now(), config.producerIdExpirationMs);
    }

    /**
     * Flushes everything, snapshots producer state, closes the segments and leaves the clean
     * shutdown marker, so that the next open skips recovery.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        if (failure != null) {
            markClosed();
            closeSegments();
            return;
        }
        flushUpTo(logEndOffset);
        producers.writeSnapshot(logEndOffset);
        persistState();
        markClosed();
        closeSegments();
        LogLoader.markCleanShutdown(dir);
    }

    /** Closes and removes the whole directory (the topic was deleted). */
    void delete() throws IOException {
        markClosed();
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

    private void markClosed() {
        synchronized (flushLock) {
            closed = true;
        }
    }

    private void closeSegments() throws IOException {
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

    void ensureWritable() {
        if (failure != null) {
            throw failure;
        }
        if (closed) {
            throw new LogException("log " + dir + " is closed");
        }
    }

    /**
     * Makes the removal of the clean-shutdown marker durable, once, before the first change to
     * segments in this run (an append, a roll, a truncation, a deletion): from then on a crash
     * must send the next open through recovery. In the writer's turn, never on an event loop
     * ({@link #appendAsLeaderInMemory} declines until it is done).
     */
    private void ensureCrashDetectable() {
        if (markerRemovalPending) {
            try {
                AtomicFiles.fsyncDirectory(dir);
            } catch (IOException e) {
                throw fail("cannot make the removal of the clean-shutdown marker durable", e);
            }
            markerRemovalPending = false;
        }
    }

    /** Marks the log failed (it then refuses writes until reopened) and returns the failure to throw. */
    LogStorageException fail(String what, IOException e) {
        LogStorageException ex = new LogStorageException(what + " in " + dir + ": " + e.getMessage(), e);
        if (failure == null) {
            failure = ex;
        }
        return ex;
    }

    @Override
    public String toString() {
        return "Log(" + dir + ", start=" + logStartOffset + ", end=" + logEndOffset + ")";
    }

    /** The read-only face of this log; see {@link #view()}. */
    private final class View implements LogView {
        @Override
        public Path dir() {
            return dir;
        }

        @Override
        public LogConfig config() {
            return config;
        }

        @Override
        public LogStats stats() {
            return stats;
        }

        @Override
        public long logStartOffset() {
            return logStartOffset;
        }

        @Override
        public long logEndOffset() {
            return logEndOffset;
        }

        @Override
        public long recoveryPoint() {
            return recoveryPoint;
        }

        @Override
        public long cleanerCheckpoint() {
            return cleanerCheckpoint;
        }

        @Override
        public long size() {
            return Log.this.size();
        }

        @Override
        public int segmentCount() {
            return Log.this.segmentCount();
        }

        @Override
        public List<Long> segmentBaseOffsets() {
            return Log.this.segmentBaseOffsets();
        }

        @Override
        public List<LogSegment> segments() {
            return Log.this.segments();
        }

        @Override
        public long activeSegmentBaseOffset() {
            return Log.this.activeSegmentBaseOffset();
        }

        @Override
        public LeaderEpochCache leaderEpochCache() {
            return epochs;
        }

        @Override
        public boolean recoveredCleanly() {
            return recoveredCleanly;
        }

        @Override
        public long recoveryTruncatedBytes() {
            return recoveryTruncatedBytes;
        }

        @Override
        public LogReadResult read(long offset, int maxBytes, long maxOffset, boolean minOneBatch) {
            return Log.this.read(offset, maxBytes, maxOffset, minOneBatch);
        }

        @Override
        public long offsetForTimestamp(long timestamp) {
            return Log.this.offsetForTimestamp(timestamp);
        }

        @Override
        public String toString() {
            return Log.this.toString();
        }
    }
}

package io.sluice.log;

import io.sluice.record.RecordBatch;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The append-only log of one partition, its policy (Kafka's {@code UnifiedLog}): appends as leader
 * and as follower with their validation ({@link LogValidator}), producer state and leader epochs;
 * when to roll and flush (its {@link RollAndFlushPolicy}, which writes each rule once);
 * truncation and retention decisions ({@link LogRetention}); the in-memory step of a compaction
 * swap; and the checkpoints that let it reopen quickly and correctly ({@link LogState},
 * {@link LeaderEpochCache}, producer-state snapshots, the clean-shutdown marker). The mechanics
 * (the segment list, its offsets, reads, rolls, fsyncs, cuts and deletions) are {@link LocalLog}'s,
 * the crash-safe file protocol of a swap is {@link CleanerSwap}'s, and opening is {@link LogLoader}'s.
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
 * <p>Two small locks, both {@link LocalLog}'s, order what runs beside the turn and are never
 * taken by an inline append: {@code flushLock} serialises fsyncs of segments and moves of the
 * recovery point (the writer's flushes, and the background flush of a segment that just rolled);
 * {@code stateLock} serialises writes of {@code log-state} (the writer, that background flush, and
 * a compaction swap finishing on the cleaner's thread).
 *
 * <p>Readers get {@link #view()} ({@link ReadOnlyLog}; this class offers no reads of its own):
 * reads take no lock, work on an immutable snapshot of the segment map and see only batches below
 * the published log end offset.
 */
final class Log implements Closeable {
    private final Path dir;
    private final LogEnvironment env;
    private final LogStats stats = new LogStats();
    private final LeaderEpochCache epochs;
    /** Confined to the writer's turn. */
    private final ProducerStateManager producers;
    /** The segments and the offsets over them. */
    private final LocalLog local;
    private final LogView view;

    private volatile LogConfig config;
    private volatile LogStorageException failure;
    private final boolean recoveredCleanly;
    private final long recoveryTruncatedBytes;

    // Confined to the writer's turn.
    /** The clean-shutdown marker was removed at open and the removal is not durable yet. */
    private boolean markerRemovalPending;
    private final RollAndFlushPolicy policy;

    private Log(Path dir, LogConfig config, LogEnvironment env, LogLoader.Loaded loaded) {
        this.dir = dir;
        this.config = config;
        this.env = env;
        this.epochs = loaded.epochs();
        this.local = new LocalLog(dir, env, stats, epochs, loaded);
        this.view = new ReadOnlyLog(this, local);
        this.producers = loaded.producers();
        this.producers.setMaxProducers(config.maxProducerIds);
        this.recoveredCleanly = loaded.cleanShutdown();
        this.recoveryTruncatedBytes = loaded.truncatedBytes();
        this.markerRemovalPending = loaded.markerRemovalPending();
        this.policy = new RollAndFlushPolicy(env.now());
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

    // ---------------------------------------------------------------- state (for its view and the room)

    Path dir() {
        return dir;
    }

    LogConfig config() {
        return config;
    }

    LogStats stats() {
        return stats;
    }

    LeaderEpochCache leaderEpochCache() {
        return epochs;
    }

    boolean recoveredCleanly() {
        return recoveredCleanly;
    }

    long recoveryTruncatedBytes() {
        return recoveryTruncatedBytes;
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
        LocalLog.PendingWrite pending = local.newPendingWrite();
        long next = local.logEndOffset();
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
            local.writePending(pending, next);
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
        if (local.isClosed() || failure != null || leaderEpoch > epochs.latestEpoch() || markerRemovalPending) {
            return null;
        }
        LogConfig cfg = config;
        long now = env.now();
        LogSegment active = local.activeSegment();
        long used = active.size();
        long next = local.logEndOffset();
        long records = 0;
        try {
            for (RecordBatch b : batches) {
                if (RollAndFlushPolicy.rollDue(active, used, b.sizeInBytes(), next + b.lastOffsetDelta(), now, cfg)) {
                    return null;
                }
                used += b.sizeInBytes();
                next += b.lastOffsetDelta() + 1;
                records += b.recordCount();
            }
        } catch (IOException e) {
            return null; // (the usual append reports it)
        }
        if (policy.flushDue(records, now, cfg)) {
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
            epochs.assign(leaderEpoch, local.logEndOffset());
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
        long end = local.logEndOffset();
        List<RecordBatch> batches = LogValidator.validateReplicated(data, end, cfg);
        if (batches.isEmpty()) {
            return new LogAppendInfo(end, end - 1, -1, -1, 0, false, null);
        }
        LocalLog.PendingWrite pending = local.newPendingWrite();
        long maxTimestamp = -1;
        long next = end;
        try {
            for (RecordBatch b : batches) {
                maybeRoll(pending, b.sizeInBytes(), b.baseOffset(), b.lastOffsetDelta(), now, cfg);
                epochs.assign(b.leaderEpoch(), b.baseOffset());
                producers.update(b);
                pending.add(b);
                maxTimestamp = Math.max(maxTimestamp, b.maxTimestamp());
                next = b.nextOffset();
            }
            local.writePending(pending, next);
            maybeFlush(pending.records, now, cfg);
        } catch (IOException e) {
            throw fail("replica append failed", e);
        }
        return new LogAppendInfo(batches.get(0).baseOffset(), next - 1, maxTimestamp, -1,
                (int) pending.records, false, null);
    }

    // ---------------------------------------------------------------- rolling

    /** Rolls before a batch of {@code size} bytes at {@code baseOffset} if {@link RollAndFlushPolicy#rollDue}. */
    private void maybeRoll(LocalLog.PendingWrite pending, int size, long baseOffset, int lastOffsetDelta, long now,
                           LogConfig cfg) throws IOException {
        LogSegment active = local.activeSegment();
        long used = (long) active.size() + pending.bytes;
        if (RollAndFlushPolicy.rollDue(active, used, size, baseOffset + lastOffsetDelta, now, cfg)) {
            local.writePending(pending, baseOffset);
            roll(baseOffset, now, cfg);
        }
    }

    private void roll(long newBase, long now, LogConfig cfg) throws IOException {
        local.roll(newBase, now, cfg.indexIntervalBytes);
        producers.writeSnapshot(newBase);
        stats.rolls.increment();
        // The sealed segment is fsynced off the append path; the recovery point follows.
        env.background().execute(() -> {
            try {
                local.flushUpTo(newBase);
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
        if (local.activeSegment().size() == 0) {
            return;
        }
        try {
            roll(local.logEndOffset(), env.now(), config);
        } catch (IOException e) {
            throw fail("roll failed", e);
        }
    }

    // ---------------------------------------------------------------- flushing

    private void maybeFlush(long records, long now, LogConfig cfg) throws IOException {
        if (policy.appended(records, now, cfg)) {
            local.flushUpTo(local.logEndOffset());
            policy.flushed(now);
        }
    }

    /** Forces everything appended so far to disk. */
    void flush() {
        try {
            local.flushUpTo(local.logEndOffset());
            policy.flushed(env.now());
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
        if (local.isClosed() || failure != null || !policy.flushDue(0, env.now(), config)) {
            return false;
        }
        flush();
        return true;
    }

    // ---------------------------------------------------------------- truncation

    /**
     * Removes every record at or after {@code offset} (a replica whose tail diverged from its
     * leader). A batch holding {@code offset} goes whole, so the log end may land below it.
     */
    void truncateTo(long offset) {
        ensureWritable();
        ensureCrashDetectable();
        long end = local.logEndOffset();
        if (offset >= end) {
            return;
        }
        if (offset <= local.firstSegmentBaseOffset()) {
            truncateFullyAndStartAt(offset);
            return;
        }
        try {
            long cut = local.truncateTo(offset);
            long newEnd = local.logEndOffset();
            epochs.truncateFromEnd(newEnd);
            rebuildProducerState(newEnd);
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
            long cut = local.truncateFullyAndStartAt(offset, env.now(), config.indexIntervalBytes);
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
        long from = Math.max(snapshot, local.logStartOffset());
        if (from < end) {
            local.forEachBatchFrom(from, producers::update);
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
        if (!cfg.delete || local.isClosed() || failure != null) {
            return 0;
        }
        long now = env.now();
        try {
            List<LogSegment> doomed = LogRetention.segmentsToDelete(local.segments(), local.size(),
                    maxDeletableOffset, now, cfg);
            if (doomed.isEmpty()) {
                return 0;
            }
            ensureCrashDetectable();
            long newStart = local.unlinkOldest(doomed);
            LocalLog.delete(doomed);
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
        return local.newCleanedSegment(baseOffset, config.indexIntervalBytes);
    }

    /**
     * Whether {@code old} (consecutive segments) are still in the log as the cleaner read them,
     * and none is the active one: retention or truncation did not get there first.
     */
    boolean canReplace(List<LogSegment> old) {
        return local.canReplace(old);
    }

    /**
     * The in-memory half of a committed compaction swap: readers switch from {@code old} to
     * {@code cleaned} in one step, and the cleaner checkpoint moves. No I/O: the files are the
     * {@link CleanerSwap}'s, before and after this.
     */
    void installCleaned(List<LogSegment> old, List<LogSegment> cleaned, long newCleanerCheckpoint) {
        local.replace(old, cleaned, newCleanerCheckpoint);
    }

    // ---------------------------------------------------------------- lifecycle

    /** Applies a changed topic config to later operations. */
    void updateConfig(LogConfig newConfig) {
        this.config = newConfig;
        producers.setMaxProducers(newConfig.maxProducerIds);
        local.setIndexIntervalBytes(newConfig.indexIntervalBytes);
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
        if (local.isClosed()) {
            return;
        }
        if (failure != null) {
            local.markClosed();
            local.closeSegments();
            return;
        }
        local.flushUpTo(local.logEndOffset());
        producers.writeSnapshot(local.logEndOffset());
        persistState();
        local.markClosed();
        local.closeSegments();
        LogLoader.markCleanShutdown(dir);
    }

    /** Closes and removes the whole directory (the topic was deleted). */
    void delete() throws IOException {
        local.markClosed();
        local.deleteAll();
    }

    /** Writes {@code log-state} from the published offsets if they moved ({@link LocalLog#persistState}). Any thread. */
    void persistState() throws IOException {
        local.persistState();
    }

    void ensureWritable() {
        if (failure != null) {
            throw failure;
        }
        if (local.isClosed()) {
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
        return "Log(" + dir + ", start=" + local.logStartOffset() + ", end=" + local.logEndOffset() + ")";
    }
}

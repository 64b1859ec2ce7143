package io.sluice.log;

import io.sluice.log.record.CorruptRecordException;
import io.sluice.log.record.RecordBatch;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The append-only log of one partition: a directory of {@link LogSegment}s plus the checkpoints
 * that let it reopen quickly and correctly ({@link LogState}, {@link LeaderEpochCache},
 * producer-state snapshots, the clean-shutdown marker).
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
 * <h2>Threads</h2>
 * Mutations (appends, flushes, truncation, retention, swaps) are serialised by this object's
 * lock; the partition's {@link LogWriter} is their usual caller and groups appends so that many
 * share one write and one fsync. Reads take no log lock: they work on an immutable snapshot of the
 * segment map and see only batches below the published log end offset.
 */
public final class Log implements Closeable {
    private final Path dir;
    private final LogEnvironment env;
    private final LogStats stats = new LogStats();
    private final LeaderEpochCache epochs;
    /** Guarded by this. */
    private final ProducerStateManager producers;
    private final Object flushLock = new Object();
    private final Object stateLock = new Object();

    private volatile LogConfig config;
    /** Immutable once published; replaced whole on roll, deletion, truncation and swap. */
    private volatile TreeMap<Long, LogSegment> segments;
    private volatile long logEndOffset;
    private volatile long logStartOffset;
    private volatile long recoveryPoint;
    private volatile long cleanerCheckpoint;
    private volatile boolean closed;
    private volatile LogStorageException failure;
    private final boolean recoveredCleanly;
    private final long recoveryTruncatedBytes;

    // Guarded by this.
    private long unflushedRecords;
    private long lastFlushMs;
    private Consumer<String> swapHook = step -> { };

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
        this.lastFlushMs = env.now();
        stats.truncatedBytes.add(loaded.truncatedBytes());
    }

    /**
     * Opens (creating if needed) the log in {@code dir}, recovering it if its last stop was not
     * clean.
     */
    public static Log open(Path dir, LogConfig config, LogEnvironment env) throws IOException {
        return new Log(dir, config, env, LogLoader.load(dir, config, env));
    }

    // ---------------------------------------------------------------- state

    public Path dir() {
        return dir;
    }

    public LogConfig config() {
        return config;
    }

    public LogStats stats() {
        return stats;
    }

    /** First offset that may be read. */
    public long logStartOffset() {
        return logStartOffset;
    }

    /** Offset the next appended record will get. */
    public long logEndOffset() {
        return logEndOffset;
    }

    /** Every batch below this offset has been fsynced. */
    public long recoveryPoint() {
        return recoveryPoint;
    }

    /** Bytes in all segments. */
    public long size() {
        long total = 0;
        for (LogSegment s : segments.values()) {
            total += s.size();
        }
        return total;
    }

    public int segmentCount() {
        return segments.size();
    }

    /** Base offsets of the segments, ascending. */
    public List<Long> segmentBaseOffsets() {
        return new ArrayList<>(segments.keySet());
    }

    public LeaderEpochCache leaderEpochCache() {
        return epochs;
    }

    /** Whether the last open found a clean-shutdown marker (and skipped recovery). */
    public boolean recoveredCleanly() {
        return recoveredCleanly;
    }

    /** Bytes the last open cut from a torn or corrupt tail. */
    public long recoveryTruncatedBytes() {
        return recoveryTruncatedBytes;
    }

    private LogSegment activeSegment() {
        return segments.lastEntry().getValue();
    }

    /**
     * The base offset of the segment being appended to. Everything below it is in segments that
     * retention may delete and compaction may rewrite; everything from it on is as appended.
     */
    public long activeSegmentBaseOffset() {
        return segments.lastKey();
    }

    // ---------------------------------------------------------------- reads

    /**
     * Reads whole batches starting with the one that holds {@code offset}.
     *
     * @param maxBytes    byte budget; the first batch is returned whole even if larger when
     *                    {@code minOneBatch}
     * @param maxOffset   exclusive bound, e.g. the high watermark; batches reaching it are left out
     * @throws LogException.OffsetOutOfRange if {@code offset} is below the log start or above the end
     */
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

    /**
     * The first offset whose record timestamp is at or after {@code timestamp}, or -1 when every
     * record is older.
     */
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

    // ---------------------------------------------------------------- appends

    /** Appends one batch as leader; see {@link #appendAsLeader(List, int)}. */
    public LogAppendInfo appendAsLeader(RecordBatch batch, int leaderEpoch) {
        return appendAsLeader(List.of(batch), leaderEpoch).get(0);
    }

    /**
     * Appends batches built by {@link io.sluice.log.record.RecordBatchBuilder} as the partition
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
    public synchronized List<LogAppendInfo> appendAsLeader(List<RecordBatch> batches, int leaderEpoch) {
        ensureWritable();
        LogConfig cfg = config;
        long now = env.now();
        List<LogAppendInfo> results = new ArrayList<>(batches.size());
        PendingWrite pending = new PendingWrite();
        long next = logEndOffset;
        try {
            for (RecordBatch b : batches) {
                int size = b.sizeInBytes();
                if (size > cfg.maxMessageBytes || size > cfg.segmentBytes) {
                    results.add(LogAppendInfo.failed(new LogException.RecordTooLarge("batch of " + size
                            + " bytes exceeds max.message.bytes " + Math.min(cfg.maxMessageBytes, cfg.segmentBytes))));
                    continue;
                }
                if (b.hasProducerId()) {
                    ProducerStateManager.BatchMetadata dup;
                    try {
                        dup = producers.checkAppend(b.producerId(), b.producerEpoch(), b.baseSequence(), b.lastSequence());
                    } catch (LogException e) {
                        results.add(LogAppendInfo.failed(e));
                        continue;
                    }
                    if (dup != null) {
                        results.add(new LogAppendInfo(dup.firstOffset(), dup.lastOffset(), -1, -1,
                                b.recordCount(), true, null));
                        continue;
                    }
                }
                maybeRoll(pending, size, next, b.lastOffsetDelta(), now, cfg);
                b.setBaseOffset(next);
                b.setLeaderEpoch(leaderEpoch);
                long appendTime = -1;
                if (cfg.logAppendTime) {
                    b.setLogAppendTime(now);
                    appendTime = now;
                }
                b.updateCrc();
                if (leaderEpoch > epochs.latestEpoch()) {
                    epochs.assign(leaderEpoch, next);
                }
                producers.update(b);
                pending.add(b);
                results.add(new LogAppendInfo(next, b.lastOffset(), b.maxTimestamp(), appendTime,
                        b.recordCount(), false, null));
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
     * segment nor falls due for a flush, so that it costs a write to the page cache and nothing
     * else. Returns null (and changes nothing) otherwise; the caller then appends as usual, on a
     * thread that may wait for the disk. The check and the append are one step under this log's lock.
     */
    public synchronized List<LogAppendInfo> appendAsLeaderInMemory(List<RecordBatch> batches, int leaderEpoch) {
        if (closed || failure != null) {
            return null;
        }
        LogConfig cfg = config;
        long now = env.now();
        long bytes = 0;
        long records = 0;
        int lastOffsetDelta = 0;
        for (RecordBatch b : batches) {
            bytes += b.sizeInBytes();
            records += b.recordCount();
            lastOffsetDelta = b.lastOffsetDelta();
        }
        LogSegment active = activeSegment();
        long rollTs;
        try {
            rollTs = active.size() > 0 ? active.rollTimestamp() : now;
        } catch (IOException e) {
            return null; // (the usual append reports it)
        }
        boolean rolls = active.size() + bytes > cfg.segmentBytes
                || (rollTs != Long.MIN_VALUE && now - rollTs >= cfg.segmentMs)
                || logEndOffset + records - active.baseOffset() + lastOffsetDelta > Integer.MAX_VALUE;
        boolean flushes = unflushedRecords + records >= cfg.flushMessages || now - lastFlushMs >= cfg.flushMs;
        if (rolls || flushes) {
            return null;
        }
        return appendAsLeader(batches, leaderEpoch);
    }

    /**
     * Appends batches copied from the leader, offsets and epochs as they are. All of them are
     * validated (CRC, structure, offsets at or past the log end and growing) before any is written.
     *
     * @param data whole batches from position to limit
     * @throws LogException.InvalidBatch if a batch is corrupt or does not follow the log end
     */
    public synchronized LogAppendInfo appendAsFollower(ByteBuffer data) {
        ensureWritable();
        LogConfig cfg = config;
        long now = env.now();
        List<RecordBatch> batches = new ArrayList<>();
        long expected = logEndOffset;
        long maxTimestamp = -1;
        for (int pos = data.position(); pos < data.limit(); ) {
            int size = RecordBatch.sizeAt(data, pos, data.limit());
            if (size < RecordBatch.HEADER_SIZE || pos + size > data.limit()) {
                throw new LogException.InvalidBatch("incomplete batch at byte " + (pos - data.position()));
            }
            RecordBatch b = RecordBatch.at(data, pos);
            try {
                b.validate(true);
            } catch (CorruptRecordException e) {
                throw new LogException.InvalidBatch(e.getMessage());
            }
            if (b.baseOffset() < expected) {
                throw new LogException.InvalidBatch("batch at offset " + b.baseOffset() + " is below the log end " + expected);
            }
            if (size > cfg.segmentBytes) {
                throw new LogException.InvalidBatch("batch of " + size + " bytes does not fit segment.bytes");
            }
            batches.add(b);
            expected = b.nextOffset();
            maxTimestamp = Math.max(maxTimestamp, b.maxTimestamp());
            pos += size;
        }
        if (batches.isEmpty()) {
            return new LogAppendInfo(logEndOffset, logEndOffset - 1, -1, -1, 0, false, null);
        }
        PendingWrite pending = new PendingWrite();
        try {
            for (RecordBatch b : batches) {
                maybeRoll(pending, b.sizeInBytes(), b.baseOffset(), b.lastOffsetDelta(), now, cfg);
                epochs.assign(b.leaderEpoch(), b.baseOffset());
                producers.update(b);
                pending.add(b);
            }
            writePending(pending, expected);
            maybeFlush(pending.records, now, cfg);
        } catch (IOException e) {
            throw fail("replica append failed", e);
        }
        return new LogAppendInfo(batches.get(0).baseOffset(), expected - 1, maxTimestamp, -1,
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

    /** Rolls before a batch of {@code size} bytes at {@code baseOffset} if the active segment is done. */
    private void maybeRoll(PendingWrite pending, int size, long baseOffset, int lastOffsetDelta, long now,
                           LogConfig cfg) throws IOException {
        LogSegment active = activeSegment();
        long used = (long) active.size() + pending.bytes;
        if (used == 0) {
            return;
        }
        boolean full = used + size > cfg.segmentBytes;
        long rollTs = active.size() > 0 ? active.rollTimestamp() : now;
        boolean aged = rollTs != Long.MIN_VALUE && now - rollTs >= cfg.segmentMs;
        boolean offsetsOverflow = baseOffset + lastOffsetDelta - active.baseOffset() > Integer.MAX_VALUE;
        if (full || aged || offsetsOverflow) {
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
    public synchronized void roll() {
        ensureWritable();
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

    private void maybeFlush(long records, long now, LogConfig cfg) throws IOException {
        unflushedRecords += records;
        if (unflushedRecords >= cfg.flushMessages || (unflushedRecords > 0 && now - lastFlushMs >= cfg.flushMs)) {
            flushUpTo(logEndOffset);
            unflushedRecords = 0;
            lastFlushMs = now;
        }
    }

    /** Forces everything appended so far to disk. */
    public synchronized void flush() {
        try {
            flushUpTo(logEndOffset);
            unflushedRecords = 0;
            lastFlushMs = env.now();
        } catch (IOException e) {
            throw fail("flush failed", e);
        }
    }

    /**
     * Flushes if {@code flush.ms} has passed since the last flush and something is unflushed;
     * the owner calls this on a timer so that an idle log still honours its flush interval.
     *
     * @return whether it flushed
     */
    public synchronized boolean flushIfDue() {
        if (closed || failure != null || unflushedRecords == 0 || env.now() - lastFlushMs < config.flushMs) {
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
            if (offset > recoveryPoint) {
                recoveryPoint = offset;
            }
        }
    }

    // ---------------------------------------------------------------- truncation

    /**
     * Removes every record at or after {@code offset} (a replica whose tail diverged from its
     * leader). A batch holding {@code offset} goes whole, so the log end may land below it.
     */
    public synchronized void truncateTo(long offset) {
        ensureWritable();
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
            if (recoveryPoint > end) {
                recoveryPoint = end;
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
    public synchronized void truncateFullyAndStartAt(long offset) {
        ensureWritable();
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
            recoveryPoint = offset;
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
     * Deletes the oldest segments that retention no longer covers: those whose newest record is
     * older than {@code retention.ms}, and those that keep the log above {@code retention.bytes}.
     * Only whole, non-active segments lying entirely below {@code maxDeletableOffset} (the high
     * watermark, so unreplicated data stays) go; the log start moves to the first kept segment.
     *
     * @return how many segments were deleted
     */
    public synchronized int deleteOldSegments(long maxDeletableOffset) {
        LogConfig cfg = config;
        if (!cfg.delete || closed || failure != null) {
            return 0;
        }
        long now = env.now();
        try {
            List<LogSegment> list = new ArrayList<>(segments.values());
            long excess = cfg.retentionBytes >= 0 ? size() - cfg.retentionBytes : -1;
            List<LogSegment> doomed = new ArrayList<>();
            for (int i = 0; i < list.size() - 1; i++) {
                LogSegment s = list.get(i);
                if (list.get(i + 1).baseOffset() > maxDeletableOffset) {
                    break;
                }
                boolean expired = cfg.retentionMs >= 0 && s.maxTimestamp() < now - cfg.retentionMs;
                boolean oversize = excess >= s.size();
                if (!expired && !oversize) {
                    break;
                }
                excess -= s.size();
                doomed.add(s);
            }
            if (doomed.isEmpty()) {
                return 0;
            }
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

    // ---------------------------------------------------------------- compaction support

    /** Offset below which the log has been compacted. */
    public long cleanerCheckpoint() {
        return cleanerCheckpoint;
    }

    /**
     * The segments compaction may rewrite now: every non-active segment, oldest first, up to the
     * first whose newest record is younger than {@code min.compaction.lag.ms}.
     */
    public List<LogSegment> cleanableSegments() {
        long now = env.now();
        List<LogSegment> list = new ArrayList<>(segments.values());
        List<LogSegment> out = new ArrayList<>();
        try {
            for (int i = 0; i < list.size() - 1; i++) {
                LogSegment s = list.get(i);
                if (s.size() > 0 && now - s.maxTimestamp() < config.minCompactionLagMs) {
                    break;
                }
                out.add(s);
            }
        } catch (IOException e) {
            throw new LogStorageException("cannot read segment metadata in " + dir, e);
        }
        return out;
    }

    /** A new, empty segment file for the cleaner to fill, invisible until swapped in. */
    public CleanedSegment newCleanedSegment(long baseOffset) throws IOException {
        return new CleanedSegment(LogSegment.create(dir, baseOffset, LogSegment.CLEANED_SUFFIX,
                env.openSegments(), config.indexIntervalBytes));
    }

    /**
     * Atomically replaces {@code old} (consecutive segments, still in the log) by {@code cleaned}
     * (finished segments covering the same offsets), through the {@link CleanerSwap} protocol.
     * Readers switch from one list to the other in one step.
     *
     * @return false, with the cleaned files deleted, if {@code old} changed meanwhile (retention or
     *         truncation got there first)
     */
    public synchronized boolean replaceSegments(List<LogSegment> old, List<CleanedSegment> cleaned,
                                                long newCleanerCheckpoint) throws IOException {
        ensureWritable();
        TreeMap<Long, LogSegment> current = segments;
        boolean intact = !old.isEmpty() && !old.contains(activeSegment());
        for (LogSegment s : old) {
            intact &= current.get(s.baseOffset()) == s;
        }
        if (!intact) {
            for (CleanedSegment c : cleaned) {
                c.abort();
            }
            return false;
        }
        List<Long> oldBases = old.stream().map(LogSegment::baseOffset).toList();
        List<Long> newBases = cleaned.stream().map(CleanedSegment::baseOffset).toList();
        Set<Long> newBaseSet = new HashSet<>(newBases);
        try {
            for (CleanedSegment c : cleaned) {
                c.segment().flush();
            }
            AtomicFiles.fsyncDirectory(dir);
            swapHook.accept("cleaned-segments-durable");
            CleanerSwap.writeManifest(dir, oldBases, newBases);
        } catch (IOException | RuntimeException e) {
            for (CleanedSegment c : cleaned) {
                c.abort();
            }
            throw e;
        }
        // Committed: from here on a failure leaves the roll-forward to the next open.
        try {
            swapHook.accept("manifest-committed");
            TreeMap<Long, LogSegment> next = new TreeMap<>(current);
            old.forEach(s -> next.remove(s.baseOffset()));
            cleaned.forEach(c -> next.put(c.baseOffset(), c.segment()));
            segments = next;
            for (LogSegment s : old) {
                if (newBaseSet.contains(s.baseOffset())) {
                    s.retire();
                } else {
                    s.delete();
                    swapHook.accept("old-segment-deleted");
                }
            }
            for (CleanedSegment c : cleaned) {
                c.segment().renameToFinal();
                swapHook.accept("cleaned-segment-renamed");
            }
            AtomicFiles.fsyncDirectory(dir);
            CleanerSwap.deleteManifest(dir);
            swapHook.accept("manifest-deleted");
        } catch (IOException e) {
            throw fail("compaction swap failed after its commit; reopening the log completes it", e);
        }
        if (newCleanerCheckpoint > cleanerCheckpoint) {
            cleanerCheckpoint = Math.min(newCleanerCheckpoint, logEndOffset);
        }
        persistState();
        return true;
    }

    /**
     * Fault injection for tests: {@code hook} is called at each step of a compaction swap and
     * may throw (an {@link Error}, which no cleanup intercepts) to simulate a crash there.
     */
    public synchronized void onSwapStep(Consumer<String> hook) {
        this.swapHook = hook;
    }

    // ---------------------------------------------------------------- lifecycle

    /** Applies a changed topic config to later operations. */
    public synchronized void updateConfig(LogConfig newConfig) {
        this.config = newConfig;
        producers.setMaxProducers(newConfig.maxProducerIds);
        for (LogSegment s : segments.values()) {
            s.setIndexIntervalBytes(newConfig.indexIntervalBytes);
        }
    }

    /** Forgets idempotent producers idle past {@code producer.id.expiration.ms}. */
    public synchronized void expireProducers() {
        producers.expire(env.now(), config.producerIdExpirationMs);
    }

    /**
     * Flushes everything, snapshots producer state, closes the segments and leaves the clean
     * shutdown marker, so that the next open skips recovery.
     */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        if (failure != null) {
            closed = true;
            closeSegments();
            return;
        }
        flushUpTo(logEndOffset);
        producers.writeSnapshot(logEndOffset);
        persistState();
        closed = true;
        closeSegments();
        LogLoader.markCleanShutdown(dir);
    }

    /** Closes and removes the whole directory (the topic was deleted). */
    public synchronized void delete() throws IOException {
        closed = true;
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

    private void persistState() throws IOException {
        synchronized (stateLock) {
            new LogState(recoveryPoint, logStartOffset, cleanerCheckpoint).write(dir);
        }
    }

    private void ensureWritable() {
        if (failure != null) {
            throw failure;
        }
        if (closed) {
            throw new LogException("log " + dir + " is closed");
        }
    }

    private LogStorageException fail(String what, IOException e) {
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
}

package io.sluice.log.cleaner;

import io.sluice.log.CleanedSegment;
import io.sluice.log.LogConfig;
import io.sluice.log.LogSegment;
import io.sluice.log.LogView;
import io.sluice.log.LogWriter;
import io.sluice.record.RecordBatch;
import io.sluice.record.RecordCursor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Log compaction (Kafka's {@code cleanup.policy=compact}): keeps, for every key, only its latest
 * record among the non-active segments; drops tombstones (null values) once they are older than
 * {@code delete.retention.ms}; keeps offsets (the gaps are visible to readers, as in Kafka).
 *
 * <p>One pass: map each key of the dirty part (from the log's cleaner checkpoint to the end of the
 * cleanable segments) to its latest offset; rewrite every cleanable segment, grouped into cleaned
 * segments no larger than {@code segment.bytes}, keeping what the map does not supersede, and
 * fsync them; hand the result to the log's writer ({@link LogWriter#replaceSegments}), which swaps
 * it in atomically. The cleaner reads the log through its {@link LogView} and changes it only
 * through that one call; every file write and fsync of a cleaning, the swap's included, happens
 * on the cleaner's thread, and the writer's part of the swap is a list swap between appends.
 *
 * <p>Not thread-safe: one cleaner per thread, each with its own {@link OffsetMap}.
 */
public final class Cleaner {
    private final OffsetMap map;
    private final LongSupplier clock;
    private final KeyHash hash = new KeyHash();
    private final RecordCursor cursor = new RecordCursor();
    private ByteBuffer filtered = ByteBuffer.allocate(64 * 1024);

    public Cleaner(OffsetMap map, LongSupplier clock) {
        this.map = map;
        this.clock = clock;
    }

    /** What a pass did. */
    public record Result(int segmentsBefore, int segmentsAfter, long bytesBefore, long bytesAfter,
                         long recordsRead, long recordsKept, long cleanedUpTo) {
    }

    /**
     * The segments compaction may rewrite at {@code now}: every non-active segment, oldest first,
     * up to the first whose newest record is younger than {@code min.compaction.lag.ms}.
     */
    public static List<LogSegment> cleanableSegments(LogView log, long now) throws IOException {
        List<LogSegment> list = log.segments();
        long lagMs = log.config().minCompactionLagMs;
        List<LogSegment> out = new ArrayList<>();
        for (int i = 0; i < list.size() - 1; i++) {
            LogSegment s = list.get(i);
            if (s.size() > 0 && now - s.maxTimestamp() < lagMs) {
                break;
            }
            out.add(s);
        }
        return out;
    }

    /**
     * Share of the cleanable bytes not yet compacted; a log is due for cleaning once this reaches
     * {@code min.cleanable.dirty.ratio}.
     */
    public double dirtyRatio(LogView log) throws IOException {
        long total = 0;
        long dirty = 0;
        long checkpoint = log.cleanerCheckpoint();
        for (LogSegment s : cleanableSegments(log, clock.getAsLong())) {
            total += s.size();
            if (s.nextOffset() > checkpoint) {
                dirty += s.size();
            }
        }
        return total == 0 ? 0 : (double) dirty / total;
    }

    /** Whether {@code log} is compacted and dirty enough to clean now. */
    public boolean needsCleaning(LogView log) throws IOException {
        LogConfig cfg = log.config();
        if (!cfg.compact) {
            return false;
        }
        double ratio = dirtyRatio(log);
        return ratio > 0 && ratio >= cfg.minCleanableDirtyRatio;
    }

    /**
     * Compacts the cleanable part of the log of {@code writer} once. Blocking: on the cleaner's
     * thread.
     *
     * @return what was done, or null when there was nothing to clean or the log changed under the
     *         cleaning (it is then simply tried again later)
     */
    public Result clean(LogWriter writer) throws IOException {
        LogView log = writer.log();
        List<LogSegment> cleanable = cleanableSegments(log, clock.getAsLong());
        if (cleanable.isEmpty()) {
            return null;
        }
        long firstDirty = log.cleanerCheckpoint();
        long mapEnd = buildOffsetMap(cleanable, firstDirty);
        if (mapEnd <= firstDirty) {
            return null;
        }
        List<LogSegment> toClean = new ArrayList<>();
        for (LogSegment s : cleanable) {
            if (s.baseOffset() < mapEnd) {
                toClean.add(s);
            }
        }
        LogConfig cfg = log.config();
        long deleteHorizon = clock.getAsLong() - cfg.deleteRetentionMs;
        long[] counts = new long[2];
        List<CleanedSegment> cleaned = new ArrayList<>();
        long bytesBefore = 0;
        try {
            for (List<LogSegment> group : groupBySize(toClean, cfg.segmentBytes)) {
                CleanedSegment out = writer.newCleanedSegment(group.get(0).baseOffset());
                cleaned.add(out);
                for (LogSegment s : group) {
                    bytesBefore += s.size();
                    s.forEachBatch(s.baseOffset(), batch -> filterBatch(batch, mapEnd, deleteHorizon, out, counts));
                }
                out.finish();
            }
        } catch (IOException | RuntimeException e) {
            for (CleanedSegment c : cleaned) {
                c.abort();
            }
            throw e;
        }
        long bytesAfter = cleaned.stream().mapToLong(CleanedSegment::size).sum();
        // From here the writer owns the cleaned files: it deletes them if the swap cannot commit,
        // and a reopen finishes a swap that committed.
        if (!writer.replaceSegments(toClean, cleaned, mapEnd)) {
            return null;
        }
        return new Result(toClean.size(), cleaned.size(), bytesBefore, bytesAfter, counts[0], counts[1], mapEnd);
    }

    /**
     * Maps every keyed record from {@code firstDirty} on to its latest offset.
     *
     * @return the offset up to which the map is complete
     */
    private long buildOffsetMap(List<LogSegment> cleanable, long firstDirty) throws IOException {
        map.clear();
        long[] end = {firstDirty};
        boolean[] full = {false};
        for (LogSegment s : cleanable) {
            if (full[0]) {
                break;
            }
            long segmentEnd = s.nextOffset();
            if (segmentEnd <= firstDirty) {
                continue;
            }
            s.forEachBatch(firstDirty, batch -> {
                if (full[0]) {
                    return;
                }
                cursor.reset(batch);
                while (cursor.next()) {
                    if (cursor.offset() < firstDirty) {
                        continue;
                    }
                    if (map.isFull()) {
                        full[0] = true;
                        return;
                    }
                    if (cursor.keySize() >= 0) {
                        map.put(hash.compute(cursor.buffer(), cursor.keyPosition(), cursor.keySize()), cursor.offset());
                    }
                    end[0] = cursor.offset() + 1;
                }
                end[0] = Math.max(end[0], batch.nextOffset());
            });
            if (!full[0]) {
                end[0] = Math.max(end[0], segmentEnd);
            }
        }
        return end[0];
    }

    /** Consecutive segments whose sizes add up to at most {@code maxBytes} (at least one each). */
    private static List<List<LogSegment>> groupBySize(List<LogSegment> segments, int maxBytes) {
        List<List<LogSegment>> groups = new ArrayList<>();
        List<LogSegment> current = new ArrayList<>();
        long bytes = 0;
        for (LogSegment s : segments) {
            if (!current.isEmpty() && bytes + s.size() > maxBytes) {
                groups.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(s);
            bytes += s.size();
        }
        if (!current.isEmpty()) {
            groups.add(current);
        }
        return groups;
    }

    /** Copies the records of {@code batch} that survive into {@code out}, as one batch. */
    private void filterBatch(RecordBatch batch, long mapEnd, long deleteHorizon, CleanedSegment out,
                             long[] counts) throws IOException {
        int kept = 0;
        int total = 0;
        long maxTs = Long.MIN_VALUE;
        int header = RecordBatch.HEADER_SIZE;
        int batchSize = batch.sizeInBytes();
        if (filtered.capacity() < batchSize) {
            filtered = ByteBuffer.allocate(batchSize);
        }
        filtered.clear();
        filtered.position(header);
        cursor.reset(batch);
        while (cursor.next()) {
            total++;
            if (retain(mapEnd, deleteHorizon)) {
                kept++;
                maxTs = Math.max(maxTs, cursor.timestamp());
                int start = cursor.recordStart();
                int len = cursor.recordEnd() - start;
                filtered.put(filtered.position(), cursor.buffer(), start, len);
                filtered.position(filtered.position() + len);
            }
        }
        counts[0] += total;
        counts[1] += kept;
        if (kept == 0) {
            return;
        }
        if (kept == total) {
            out.append(batch);
            return;
        }
        int size = filtered.position();
        filtered.put(0, batch.buffer(), batch.start(), header);
        filtered.putInt(RecordBatch.LENGTH, size - RecordBatch.LOG_OVERHEAD);
        filtered.putInt(RecordBatch.RECORD_COUNT, kept);
        if (!batch.isLogAppendTime()) {
            filtered.putLong(RecordBatch.MAX_TIMESTAMP, maxTs);
        }
        filtered.flip();
        RecordBatch rewritten = RecordBatch.at(filtered, 0);
        rewritten.updateCrc();
        out.append(rewritten);
    }

    private boolean retain(long mapEnd, long deleteHorizon) {
        long offset = cursor.offset();
        if (offset >= mapEnd || cursor.keySize() < 0) {
            return true;
        }
        long latest = map.get(hash.compute(cursor.buffer(), cursor.keyPosition(), cursor.keySize()));
        if (latest > offset) {
            return false;
        }
        // The latest record of its key: a tombstone goes once it is older than the horizon.
        return cursor.valueSize() >= 0 || cursor.timestamp() >= deleteHorizon;
    }
}

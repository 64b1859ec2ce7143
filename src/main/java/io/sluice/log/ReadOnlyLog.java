package io.sluice.log;

import java.nio.file.Path;
import java.util.List;

/**
 * The read-only face of a {@link Log}, what {@link Log#view()} hands out: a separate object, so
 * that what readers hold cannot be cast back to something that changes the log (and the only
 * way to read one: the log itself offers no reads). Offsets, segments and reads come straight
 * from the log's {@link LocalLog}, the rest from the log.
 *
 * <p>Thread-safe: every call reads published (volatile or immutable) state and takes no lock.
 */
final class ReadOnlyLog implements LogView {
    private final Log log;
    private final LocalLog local;

    ReadOnlyLog(Log log, LocalLog local) {
        this.log = log;
        this.local = local;
    }

    @Override
    public Path dir() {
        return log.dir();
    }

    @Override
    public LogConfig config() {
        return log.config();
    }

    @Override
    public LogStats stats() {
        return log.stats();
    }

    @Override
    public long logStartOffset() {
        return local.logStartOffset();
    }

    @Override
    public long logEndOffset() {
        return local.logEndOffset();
    }

    @Override
    public long recoveryPoint() {
        return local.recoveryPoint();
    }

    @Override
    public long cleanerCheckpoint() {
        return local.cleanerCheckpoint();
    }

    @Override
    public long size() {
        return local.size();
    }

    @Override
    public int segmentCount() {
        return local.segmentCount();
    }

    @Override
    public List<Long> segmentBaseOffsets() {
        return local.segmentBaseOffsets();
    }

    @Override
    public List<LogSegment> segments() {
        return local.segments();
    }

    @Override
    public long activeSegmentBaseOffset() {
        return local.activeSegmentBaseOffset();
    }

    @Override
    public LeaderEpochCache leaderEpochCache() {
        return log.leaderEpochCache();
    }

    @Override
    public boolean recoveredCleanly() {
        return log.recoveredCleanly();
    }

    @Override
    public long recoveryTruncatedBytes() {
        return log.recoveryTruncatedBytes();
    }

    @Override
    public LogReadResult read(long offset, int maxBytes, long maxOffset, boolean minOneBatch) {
        return local.read(offset, maxBytes, maxOffset, minOneBatch);
    }

    @Override
    public long offsetForTimestamp(long timestamp) {
        return local.offsetForTimestamp(timestamp);
    }

    @Override
    public String toString() {
        return log.toString();
    }
}

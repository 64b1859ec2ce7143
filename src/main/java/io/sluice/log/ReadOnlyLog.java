package io.sluice.log;

import java.nio.file.Path;
import java.util.List;

/**
 * The read-only face of a {@link Log}, what {@link Log#view()} hands out: a separate object, so
 * that what readers hold cannot be cast back to something that changes the log. What fetch
 * serving asks on every fetch (log start and end, the active segment, reads) comes straight from
 * the log's {@link LocalLog}, as many hops away as it was before the two were split; the rest
 * from the log.
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
        return log.recoveryPoint();
    }

    @Override
    public long cleanerCheckpoint() {
        return log.cleanerCheckpoint();
    }

    @Override
    public long size() {
        return log.size();
    }

    @Override
    public int segmentCount() {
        return log.segmentCount();
    }

    @Override
    public List<Long> segmentBaseOffsets() {
        return log.segmentBaseOffsets();
    }

    @Override
    public List<LogSegment> segments() {
        return log.segments();
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

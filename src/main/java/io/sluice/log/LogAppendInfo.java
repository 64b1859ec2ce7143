package io.sluice.log;

/**
 * The outcome of appending one batch: the offsets it received, or the error that kept it out.
 * A duplicate (a retried idempotent batch already in the log) carries its original offsets. The
 * error is a {@link LogException} for a batch the log refused, or whatever the write failed with.
 */
public record LogAppendInfo(long firstOffset, long lastOffset, long maxTimestamp, long logAppendTime,
                            int recordCount, boolean duplicate, Throwable error) {

    public static LogAppendInfo failed(Throwable error) {
        return new LogAppendInfo(-1, -1, -1, -1, 0, false, error);
    }

    public boolean succeeded() {
        return error == null;
    }
}

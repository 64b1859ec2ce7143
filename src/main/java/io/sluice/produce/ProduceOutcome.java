package io.sluice.produce;

import io.sluice.common.ErrorCode;

/**
 * Where each record of a produce call went, in the caller's order: partition and offset, or the
 * error that kept it out. Offsets are -1 for {@code acks=0}, which does not wait to learn them.
 * How an interface renders it is the interface's business.
 */
public final class ProduceOutcome {
    private final int[] partitions;
    private final long[] offsets;
    private final ErrorCode[] errors;
    private final String[] messages;

    ProduceOutcome(int records) {
        partitions = new int[records];
        offsets = new long[records];
        errors = new ErrorCode[records];
        messages = new String[records];
    }

    void set(int record, int partition, long offset) {
        partitions[record] = partition;
        offsets[record] = offset;
    }

    void fail(int record, int partition, ErrorCode error, String message) {
        partitions[record] = partition;
        offsets[record] = -1;
        errors[record] = error;
        messages[record] = message;
    }

    public int size() {
        return offsets.length;
    }

    public int partition(int record) {
        return partitions[record];
    }

    public long offset(int record) {
        return offsets[record];
    }

    /** The error that kept {@code record} out, or null when it was written (or sent, for acks=0). */
    public ErrorCode error(int record) {
        return errors[record];
    }

    /** The message of {@code record}'s error, or null. */
    public String message(int record) {
        return messages[record];
    }

    /** The worst error (highest HTTP status) among the records, or null when all succeeded. */
    public ErrorCode worstError() {
        ErrorCode worst = null;
        for (ErrorCode e : errors) {
            if (e != null && (worst == null || e.httpStatus() > worst.httpStatus())) {
                worst = e;
            }
        }
        return worst;
    }

    /** The message of the first failed record, or null. */
    public String firstMessage() {
        for (int i = 0; i < errors.length; i++) {
            if (errors[i] != null) {
                return messages[i];
            }
        }
        return null;
    }

    /** Whether every record failed, all with the same error. */
    public boolean allFailedAlike() {
        ErrorCode first = errors.length == 0 ? null : errors[0];
        if (first == null) {
            return false;
        }
        for (ErrorCode e : errors) {
            if (e != first) {
                return false;
            }
        }
        return true;
    }

    public int succeeded() {
        int n = 0;
        for (ErrorCode e : errors) {
            if (e == null) {
                n++;
            }
        }
        return n;
    }
}

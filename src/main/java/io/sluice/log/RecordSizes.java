package io.sluice.log;

import io.sluice.record.RecordBatch;

/** Lower bounds on sizes that keep a log able to hold at least one batch. */
final class RecordSizes {
    static final int MIN_MESSAGE_BYTES = RecordBatch.HEADER_SIZE + 16;
    static final int MIN_SEGMENT_BYTES = 1024;

    private RecordSizes() {
    }
}

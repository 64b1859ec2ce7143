package io.sluice.log;

import io.sluice.record.RecordBatch;
import io.sluice.record.RecordCursor;

import java.nio.ByteBuffer;

/**
 * Batches read from a log, as they are stored. The first batch may begin before the offset asked
 * for (offsets inside a batch are not addressable on disk); {@link #forEachRecord} skips those.
 *
 * @param records        whole batches from position 0 to the limit
 * @param fetchOffset    the offset asked for
 * @param logStartOffset the log start when the read began
 * @param logEndOffset   the log end when the read began
 */
public record LogReadResult(ByteBuffer records, long fetchOffset, long logStartOffset, long logEndOffset) {

    public boolean isEmpty() {
        return !records.hasRemaining();
    }

    /** Offset after the last batch read, or {@code fetchOffset} when nothing was read. */
    public long nextOffset() {
        long next = fetchOffset;
        for (int pos = records.position(); pos < records.limit(); ) {
            RecordBatch b = RecordBatch.at(records, pos);
            next = Math.max(next, b.nextOffset());
            pos += b.sizeInBytes();
        }
        return next;
    }

    /**
     * Visits up to {@code maxRecords} records at or after the fetch offset, in offset order, with
     * one reused cursor.
     *
     * @return the offset after the last record visited, or the offset to continue from when
     *         batches held no record past the fetch offset (compacted away)
     */
    public long forEachRecord(int maxRecords, RecordVisitor visitor) {
        RecordCursor cursor = new RecordCursor();
        long next = fetchOffset;
        int seen = 0;
        for (int pos = records.position(); pos < records.limit(); ) {
            RecordBatch b = RecordBatch.at(records, pos);
            pos += b.sizeInBytes();
            if (b.lastOffset() < fetchOffset) {
                continue;
            }
            cursor.reset(b);
            while (cursor.next()) {
                if (cursor.offset() < fetchOffset) {
                    continue;
                }
                if (seen == maxRecords) {
                    return next;
                }
                visitor.record(cursor);
                seen++;
                next = cursor.offset() + 1;
            }
            next = Math.max(next, b.nextOffset());
        }
        return next;
    }

    /** Sees one record through a cursor that is reused for the next. */
    @FunctionalInterface
    public interface RecordVisitor {
        void record(RecordCursor record);
    }
}

package io.sluice.log;

import io.sluice.record.CorruptRecordException;
import io.sluice.record.RecordBatch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Reads the batches of a segment file in order, in large chunks, for recovery, index rebuilds,
 * timestamp searches and compaction. In headers-only mode only each batch's header is read and
 * its body skipped, so walking a segment's structure costs little.
 *
 * <p>A batch returned by {@link #next()} is a view into this scanner's buffer, valid until the
 * next call.
 */
final class BatchScanner {
    private static final int DEFAULT_CHUNK = 64 * 1024;

    private final FileChannel channel;
    private final long end;
    private final boolean headersOnly;
    private ByteBuffer buf;
    /** File position of buf[0]. */
    private long bufStart;
    /** Bytes of buf holding file data. */
    private int valid;
    /** File position of the next batch. */
    private long pos;
    private long lastPosition = -1;

    BatchScanner(FileChannel channel, long start, long end, boolean headersOnly) {
        this(channel, start, end, headersOnly, DEFAULT_CHUNK);
    }

    BatchScanner(FileChannel channel, long start, long end, boolean headersOnly, int chunk) {
        this.channel = channel;
        this.end = end;
        this.headersOnly = headersOnly;
        this.pos = start;
        this.bufStart = start;
        this.buf = ByteBuffer.allocate((int) Math.max(RecordBatch.HEADER_SIZE, Math.min(chunk, end - start)));
    }

    /** File position of the batch last returned. */
    long lastPosition() {
        return lastPosition;
    }

    /** File position just after the batch last returned: where the next one would start. */
    long position() {
        return pos;
    }

    /**
     * The next batch, or null at the end.
     *
     * @throws CorruptRecordException if the bytes at {@link #position()} cannot be a whole batch:
     *                                a size below the header or past the end (a torn write)
     */
    RecordBatch next() throws IOException {
        if (pos >= end) {
            return null;
        }
        if (end - pos < RecordBatch.LOG_OVERHEAD) {
            throw new CorruptRecordException("partial batch header at position " + pos);
        }
        ensure(RecordBatch.LOG_OVERHEAD);
        int size = RecordBatch.sizeAt(buf, (int) (pos - bufStart), valid);
        if (size < RecordBatch.HEADER_SIZE || pos + size > end) {
            throw new CorruptRecordException("batch at position " + pos + " claims " + size
                    + " bytes, " + (end - pos) + " remain");
        }
        ensure(headersOnly ? RecordBatch.HEADER_SIZE : size);
        RecordBatch batch = RecordBatch.at(buf, (int) (pos - bufStart));
        lastPosition = pos;
        pos += size;
        return batch;
    }

    /** Makes {@code n} bytes from {@code pos} available in the buffer. */
    private void ensure(int n) throws IOException {
        if (pos >= bufStart && pos - bufStart + n <= valid) {
            return;
        }
        if (n > buf.capacity()) {
            buf = ByteBuffer.allocate(n);
        }
        bufStart = pos;
        buf.clear();
        buf.limit((int) Math.min(buf.capacity(), end - pos));
        FileBatches.fill(channel, buf, pos);
        valid = buf.position();
        buf.clear();
        if (valid < n) {
            throw new CorruptRecordException("segment file ends at " + (bufStart + valid)
                    + ", before the batch at " + pos);
        }
    }
}

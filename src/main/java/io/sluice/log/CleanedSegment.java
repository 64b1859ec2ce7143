package io.sluice.log;

import io.sluice.record.RecordBatch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * A segment the cleaner is filling with the batches it keeps, under a {@code .cleaned} file name
 * that no reader and no recovery will take for part of the log until
 * {@link LogWriter#replaceSegments} commits it ({@link CleanerSwap}). Small batches are gathered
 * into large writes. Owned by the cleaner's thread until handed to the writer; finishing it
 * fsyncs it there, so that the swap itself has no data to force.
 */
public final class CleanedSegment {
    private static final int WRITE_BUFFER = 1 << 20;

    private final LogSegment segment;
    private ByteBuffer buffer = ByteBuffer.allocate(WRITE_BUFFER);

    CleanedSegment(LogSegment segment) {
        this.segment = segment;
    }

    public long baseOffset() {
        return segment.baseOffset();
    }

    /** Bytes written or buffered so far. */
    public long size() {
        return segment.size() + buffer.position();
    }

    LogSegment segment() {
        return segment;
    }

    /** Copies a whole, valid batch (its buffer may be reused by the caller afterwards). */
    public void append(RecordBatch batch) throws IOException {
        int size = batch.sizeInBytes();
        if (buffer.remaining() < size) {
            writeBuffered();
            if (buffer.capacity() < size) {
                buffer = ByteBuffer.allocate(size);
            }
        }
        buffer.put(buffer.position(), batch.buffer(), batch.start(), size);
        buffer.position(buffer.position() + size);
    }

    /** Writes what is buffered, seals the indexes and fsyncs the files. */
    public void finish() throws IOException {
        writeBuffered();
        segment.onRolled();
        segment.flush();
    }

    /** Deletes the files: the cleaning was abandoned. */
    public void abort() throws IOException {
        segment.delete();
    }

    private void writeBuffered() throws IOException {
        if (buffer.position() == 0) {
            return;
        }
        buffer.flip();
        segment.append(List.of(buffer), buffer.remaining());
        buffer.clear();
    }
}

package io.sluice.log;

import io.sluice.record.CorruptRecordException;
import io.sluice.record.RecordBatch;
import io.sluice.record.RecordCursor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Reads over a region of a segment file, a sequence of whole record batches (layout in
 * {@link RecordBatch}), as Kafka's {@code FileRecords} does: where the batch holding an offset
 * starts, a slice of whole batches below a bound, the first record at a timestamp. Each scan
 * starts where an index lookup put it, so it walks at most a few KiB of batch headers before it
 * reaches its offset.
 *
 * <p>Stateless and lock-free: the caller holds a use of the channel (see
 * {@link LogSegment}) and passes the region's limit it read from the published size.
 */
final class FileBatches {
    /** How much of the file a header scan reads at once: a few batch headers past an index entry. */
    private static final int HEADER_SCAN_BYTES = 8192;

    private FileBatches() {
    }

    /** Position of the first batch in [{@code from}, {@code limit}) whose last offset is at least {@code offset}, or -1. */
    static long positionOf(FileChannel ch, int from, int limit, long offset) throws IOException {
        if (from >= limit) {
            return -1;
        }
        BatchScanner scanner = new BatchScanner(ch, from, limit, true, HEADER_SCAN_BYTES);
        RecordBatch b;
        while ((b = scanner.next()) != null) {
            if (b.lastOffset() >= offset) {
                return scanner.lastPosition();
            }
        }
        return -1;
    }

    /**
     * Whole batches of [{@code from}, {@code limit}) from the first one holding an offset at or
     * after {@code startOffset}: those wholly below {@code maxOffset}, up to {@code maxBytes} (but
     * at least the first batch when {@code minOneBatch}).
     *
     * @return the batches (possibly none, when the first is not yet below {@code maxOffset} or too
     *         large), or null when the region has no batch at or after {@code startOffset}
     */
    static ByteBuffer slice(FileChannel ch, int from, int limit, long startOffset, int maxBytes, long maxOffset,
                            boolean minOneBatch) throws IOException {
        if (from >= limit) {
            return null;
        }
        // Locate the first batch reaching startOffset: a few KiB of headers past the index entry.
        BatchScanner scanner = new BatchScanner(ch, from, limit, true, HEADER_SCAN_BYTES);
        RecordBatch b;
        long first = -1;
        int firstSize = 0;
        while ((b = scanner.next()) != null) {
            if (b.lastOffset() >= startOffset) {
                if (b.lastOffset() >= maxOffset) {
                    return ByteBuffer.allocate(0);
                }
                first = scanner.lastPosition();
                firstSize = b.sizeInBytes();
                break;
            }
        }
        if (first < 0) {
            return null;
        }
        if (firstSize > maxBytes) {
            if (!minOneBatch) {
                return ByteBuffer.allocate(0);
            }
            return readFully(ch, first, firstSize);
        }
        ByteBuffer data = readFully(ch, first, (int) Math.min(maxBytes, limit - first));
        // Keep whole batches below maxOffset.
        int end = 0;
        while (true) {
            int bs = RecordBatch.sizeAt(data, end, data.limit());
            if (bs < RecordBatch.HEADER_SIZE || end + bs > data.limit()) {
                break;
            }
            RecordBatch rb = RecordBatch.at(data, end);
            if (rb.lastOffset() >= maxOffset) {
                break;
            }
            end += bs;
        }
        data.limit(end);
        return data;
    }

    /**
     * The first offset at or after {@code startingOffset} in [{@code from}, {@code limit}) whose
     * record timestamp is at least {@code timestamp}, or -1 if the region has none.
     */
    static long firstOffsetAt(FileChannel ch, int from, int limit, long timestamp, long startingOffset)
            throws IOException {
        BatchScanner scanner = new BatchScanner(ch, Math.min(from, limit), limit, false);
        RecordBatch b;
        while ((b = scanner.next()) != null) {
            if (b.lastOffset() < startingOffset || b.maxTimestamp() < timestamp) {
                continue;
            }
            RecordCursor c = b.cursor();
            while (c.next()) {
                if (c.offset() >= startingOffset && c.timestamp() >= timestamp) {
                    return c.offset();
                }
            }
        }
        return -1;
    }

    /**
     * The valid prefix of a file of {@code fileSize} bytes whose first batch is at
     * {@code baseOffset}: walks every batch validating it (size, CRC, record structure, offsets
     * only growing) and hands each valid one to {@code visitor}, up to the first invalid one.
     *
     * @return the end of the last valid batch: where a torn or corrupt tail begins
     */
    static long validPrefix(FileChannel ch, long fileSize, long baseOffset, int maxBatchSize, PositionedVisitor visitor)
            throws IOException {
        BatchScanner scanner = new BatchScanner(ch, 0, fileSize, false);
        long next = baseOffset;
        long validEnd = 0;
        try {
            RecordBatch b;
            while ((b = scanner.next()) != null) {
                if (b.sizeInBytes() > maxBatchSize) {
                    throw new CorruptRecordException("batch of " + b.sizeInBytes() + " bytes is over the limit");
                }
                b.validate(true);
                if (b.baseOffset() < next) {
                    throw new CorruptRecordException("batch offset " + b.baseOffset() + " goes back from " + next);
                }
                visitor.accept(b, (int) scanner.lastPosition());
                next = b.nextOffset();
                validEnd = scanner.position();
            }
        } catch (CorruptRecordException e) {
            // Everything from the first bad batch on is the torn or corrupt tail.
        }
        return validEnd;
    }

    /** Receives a batch and its position in the file; may throw to stop. */
    @FunctionalInterface
    interface PositionedVisitor {
        void accept(RecordBatch batch, int position) throws IOException;
    }

    /** {@code length} bytes from {@code position}, fewer where the file ends first. */
    static ByteBuffer readFully(FileChannel ch, long position, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        fill(ch, buf, position);
        buf.flip();
        return buf;
    }

    /** Reads from {@code position} into {@code buf} until it is full or the file ends. */
    static void fill(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long at = position;
        while (buf.hasRemaining()) {
            int r = ch.read(buf, at);
            if (r < 0) {
                break;
            }
            at += r;
        }
    }
}

package io.sluice.record;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Builds one record batch in a heap buffer, record by record, in the layout documented on
 * {@link RecordBatch}. The result has base offset 0 and no leader epoch or CRC: the log stamps
 * those when it appends, so a batch can be built on any thread (an HTTP handler) and handed to
 * the partition's writer without another copy.
 *
 * <p>Not thread-safe; one builder per batch.
 */
public final class RecordBatchBuilder {
    private static final int MAX_RECORD_OVERHEAD = 5 + 1 + 10 + 5 + 5 + 5 + 5;

    private ByteBuffer buf;
    private long producerId = RecordBatch.NO_PRODUCER_ID;
    private short producerEpoch = RecordBatch.NO_PRODUCER_EPOCH;
    private int baseSequence = RecordBatch.NO_SEQUENCE;
    private int count;
    private long baseTimestamp;
    private long maxTimestamp = Long.MIN_VALUE;

    /** @param estimatedBytes expected total size; the buffer grows if it is too small */
    public RecordBatchBuilder(int estimatedBytes) {
        buf = ByteBuffer.allocate(Math.max(RecordBatch.HEADER_SIZE + 64, estimatedBytes));
        buf.position(RecordBatch.HEADER_SIZE);
    }

    public RecordBatchBuilder() {
        this(1024);
    }

    /** Marks the batch as written by an idempotent producer, starting at {@code baseSequence}. */
    public RecordBatchBuilder producer(long producerId, short producerEpoch, int baseSequence) {
        this.producerId = producerId;
        this.producerEpoch = producerEpoch;
        this.baseSequence = baseSequence;
        return this;
    }

    public int recordCount() {
        return count;
    }

    /** Bytes the batch takes so far, header included. */
    public int sizeInBytes() {
        return buf.position();
    }

    /** Appends a record with plain byte-array key and value (either may be null). */
    public RecordBatchBuilder append(long timestamp, byte[] key, byte[] value, List<Header> headers) {
        return append(0, timestamp, key, 0, key == null ? -1 : key.length,
                value, 0, value == null ? -1 : value.length, headers);
    }

    /**
     * Appends a record whose key and value are ranges of arrays (length -1 for null), so that a
     * parser can hand over slices of the request body without copying them first.
     *
     * @param attributes record attributes, see {@link RecordCursor#ATTR_KEY_JSON}
     */
    public RecordBatchBuilder append(int attributes, long timestamp, byte[] key, int keyOffset, int keyLength,
                                     byte[] value, int valueOffset, int valueLength, List<Header> headers) {
        if (count == 0) {
            baseTimestamp = timestamp;
        }
        byte[][] headerKeys = null;
        int headersSize = 0;
        int headerCount = headers == null ? 0 : headers.size();
        if (headerCount > 0) {
            headerKeys = new byte[headerCount][];
            for (int i = 0; i < headerCount; i++) {
                Header h = headers.get(i);
                byte[] k = h.key().getBytes(StandardCharsets.UTF_8);
                headerKeys[i] = k;
                int vl = h.value() == null ? -1 : h.value().length;
                headersSize += Varint.sizeOf(k.length) + k.length + Varint.sizeOf(vl) + Math.max(0, vl);
            }
        }
        long tsDelta = timestamp - baseTimestamp;
        int offsetDelta = count;
        int bodySize = 1 + Varint.sizeOf(tsDelta) + Varint.sizeOf(offsetDelta)
                + Varint.sizeOf(keyLength) + Math.max(0, keyLength)
                + Varint.sizeOf(valueLength) + Math.max(0, valueLength)
                + Varint.sizeOf(headerCount) + headersSize;
        ensureRoom(bodySize + 5);
        Varint.write(buf, bodySize);
        buf.put((byte) attributes);
        Varint.write(buf, tsDelta);
        Varint.write(buf, offsetDelta);
        Varint.write(buf, keyLength);
        if (keyLength > 0) {
            buf.put(key, keyOffset, keyLength);
        }
        Varint.write(buf, valueLength);
        if (valueLength > 0) {
            buf.put(value, valueOffset, valueLength);
        }
        Varint.write(buf, headerCount);
        for (int i = 0; i < headerCount; i++) {
            byte[] k = headerKeys[i];
            Varint.write(buf, k.length);
            buf.put(k);
            byte[] v = headers.get(i).value();
            Varint.write(buf, v == null ? -1 : v.length);
            if (v != null) {
                buf.put(v);
            }
        }
        count++;
        if (timestamp > maxTimestamp) {
            maxTimestamp = timestamp;
        }
        return this;
    }

    /** Worst-case bytes a record with these sizes adds; lets callers cut batches by size. */
    public static int estimateRecordSize(int keyLength, int valueLength, int headersBytes) {
        return MAX_RECORD_OVERHEAD + Math.max(0, keyLength) + Math.max(0, valueLength) + headersBytes;
    }

    private void ensureRoom(int bytes) {
        if (buf.remaining() < bytes) {
            int need = buf.position() + bytes;
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(need, buf.capacity() * 2));
            buf.flip();
            bigger.put(buf);
            buf = bigger;
        }
    }

    /**
     * Finishes the batch. Its CRC is left at 0: the log computes it once it has stamped the base
     * offset and leader epoch (call {@link RecordBatch#updateCrc()} to use the batch elsewhere).
     * The builder must not be used afterwards.
     *
     * @throws IllegalStateException if no record was appended
     */
    public RecordBatch build() {
        if (count == 0) {
            throw new IllegalStateException("a batch needs at least one record");
        }
        int size = buf.position();
        buf.putLong(RecordBatch.BASE_OFFSET, 0L);
        buf.putInt(RecordBatch.LENGTH, size - RecordBatch.LOG_OVERHEAD);
        buf.putInt(RecordBatch.CRC, 0);
        buf.putInt(RecordBatch.LEADER_EPOCH, RecordBatch.NO_PARTITION_LEADER_EPOCH);
        buf.put(RecordBatch.MAGIC_OFFSET, RecordBatch.MAGIC);
        buf.put(RecordBatch.ATTRIBUTES, (byte) 0);
        buf.putInt(RecordBatch.LAST_OFFSET_DELTA, count - 1);
        buf.putLong(RecordBatch.BASE_TIMESTAMP, baseTimestamp);
        buf.putLong(RecordBatch.MAX_TIMESTAMP, maxTimestamp);
        buf.putLong(RecordBatch.PRODUCER_ID, producerId);
        buf.putShort(RecordBatch.PRODUCER_EPOCH, producerEpoch);
        buf.putInt(RecordBatch.BASE_SEQUENCE, baseSequence);
        buf.putInt(RecordBatch.RECORD_COUNT, count);
        buf.flip();
        return RecordBatch.at(buf, 0);
    }
}

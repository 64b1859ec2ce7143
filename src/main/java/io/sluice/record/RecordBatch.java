package io.sluice.record;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * A view over one record batch in a buffer: the unit Sluice writes, replicates, indexes and
 * checksums. The view holds no copy; it reads the fields of the batch that starts at
 * {@link #start()} in its buffer.
 *
 * <h2>Batch layout (all integers big-endian)</h2>
 * <pre>
 * offset size field
 *  0     8    baseOffset       offset of the first record; assigned by the leader on append
 *  8     4    length           bytes that follow this field (batch size = 12 + length)
 * 12     4    crc              CRC32C of bytes [0, 12) and [16, 12 + length): all but itself
 * 16     4    leaderEpoch      epoch of the leader that appended the batch (-1 before append)
 * 20     1    magic            format version, {@value #MAGIC}
 * 21     1    attributes       bit 3: timestamp type (0 CreateTime, 1 LogAppendTime); others 0
 * 22     4    lastOffsetDelta  lastOffset - baseOffset (kept when compaction removes records)
 * 26     8    baseTimestamp    timestamp the record deltas are relative to
 * 34     8    maxTimestamp     largest record timestamp in the batch
 * 42     8    producerId       idempotent producer id, -1 for none
 * 50     2    producerEpoch    -1 for none
 * 52     4    baseSequence     producer sequence of the first record, -1 for none
 * 56     4    recordCount      records that follow
 * 60     ...  records          recordCount records, each laid out as below
 * </pre>
 * The CRC covers the base offset too (unlike Kafka's), so that recovery catches a damaged offset
 * as surely as damaged data; the leader computes it once, after stamping offset and epoch.
 *
 * <h2>Record layout (varints are zig-zag LEB128, see {@link Varint})</h2>
 * <pre>
 * varint  length          bytes that follow this field
 * int8    attributes      bit 0: key is JSON text, bit 1: value is JSON text (set when produced
 *                         in the json format; lets JSON consumers copy the bytes verbatim)
 * varlong timestampDelta  timestamp - baseTimestamp
 * varint  offsetDelta     offset - baseOffset
 * varint  keyLength       -1 for a null key
 * bytes   key
 * varint  valueLength     -1 for a null value (a tombstone)
 * bytes   value
 * varint  headerCount
 *   varint keyLength, UTF-8 key, varint valueLength (-1 for null), bytes value   (per header)
 * </pre>
 */
public final class RecordBatch {
    public static final byte MAGIC = 1;

    public static final int BASE_OFFSET = 0;
    public static final int LENGTH = 8;
    public static final int CRC = 12;
    public static final int LEADER_EPOCH = 16;
    public static final int MAGIC_OFFSET = 20;
    public static final int ATTRIBUTES = 21;
    public static final int LAST_OFFSET_DELTA = 22;
    public static final int BASE_TIMESTAMP = 26;
    public static final int MAX_TIMESTAMP = 34;
    public static final int PRODUCER_ID = 42;
    public static final int PRODUCER_EPOCH = 50;
    public static final int BASE_SEQUENCE = 52;
    public static final int RECORD_COUNT = 56;
    /** Size of the batch header; records start here. */
    public static final int HEADER_SIZE = 60;
    /** Bytes before the length-counted part: baseOffset and length. */
    public static final int LOG_OVERHEAD = 12;
    /** First byte the CRC covers. */
    public static final int CRC_START = 16;

    public static final int TIMESTAMP_TYPE_MASK = 0x08;
    public static final long NO_PRODUCER_ID = -1L;
    public static final short NO_PRODUCER_EPOCH = -1;
    public static final int NO_SEQUENCE = -1;
    public static final int NO_PARTITION_LEADER_EPOCH = -1;

    private final ByteBuffer buf;
    private final int start;

    private RecordBatch(ByteBuffer buf, int start) {
        this.buf = buf;
        this.start = start;
    }

    /**
     * The batch at absolute position {@code start} of {@code buf}, whose whole size must already
     * be known to fit (see {@link #sizeAt}).
     */
    public static RecordBatch at(ByteBuffer buf, int start) {
        return new RecordBatch(buf, start);
    }

    /**
     * Total size of the batch starting at {@code pos} as its header claims, or -1 if fewer than
     * {@link #LOG_OVERHEAD} bytes remain before {@code limit}. A claim below the header size is
     * returned as is; callers treat it as corrupt.
     */
    public static int sizeAt(ByteBuffer buf, int pos, int limit) {
        if (limit - pos < LOG_OVERHEAD) {
            return -1;
        }
        return LOG_OVERHEAD + buf.getInt(pos + LENGTH);
    }

    public ByteBuffer buffer() {
        return buf;
    }

    public int start() {
        return start;
    }

    public int sizeInBytes() {
        return LOG_OVERHEAD + buf.getInt(start + LENGTH);
    }

    public long baseOffset() {
        return buf.getLong(start + BASE_OFFSET);
    }

    public long lastOffset() {
        return baseOffset() + lastOffsetDelta();
    }

    public long nextOffset() {
        return lastOffset() + 1;
    }

    public int lastOffsetDelta() {
        return buf.getInt(start + LAST_OFFSET_DELTA);
    }

    public int crc() {
        return buf.getInt(start + CRC);
    }

    public int leaderEpoch() {
        return buf.getInt(start + LEADER_EPOCH);
    }

    public byte magic() {
        return buf.get(start + MAGIC_OFFSET);
    }

    public int attributes() {
        return buf.get(start + ATTRIBUTES) & 0xff;
    }

    public boolean isLogAppendTime() {
        return (attributes() & TIMESTAMP_TYPE_MASK) != 0;
    }

    public long baseTimestamp() {
        return buf.getLong(start + BASE_TIMESTAMP);
    }

    public long maxTimestamp() {
        return buf.getLong(start + MAX_TIMESTAMP);
    }

    public long producerId() {
        return buf.getLong(start + PRODUCER_ID);
    }

    public short producerEpoch() {
        return buf.getShort(start + PRODUCER_EPOCH);
    }

    public int baseSequence() {
        return buf.getInt(start + BASE_SEQUENCE);
    }

    /** Sequence of the last record, or {@link #NO_SEQUENCE}. Sequences wrap like Kafka's. */
    public int lastSequence() {
        int base = baseSequence();
        if (base == NO_SEQUENCE) {
            return NO_SEQUENCE;
        }
        long last = (long) base + lastOffsetDelta();
        return (int) (last > Integer.MAX_VALUE ? last - Integer.MAX_VALUE - 1 : last);
    }

    public boolean hasProducerId() {
        return producerId() >= 0;
    }

    public int recordCount() {
        return buf.getInt(start + RECORD_COUNT);
    }

    /** CRC32C of the covered bytes as they are now. */
    public int computeCrc() {
        CRC32C crc = new CRC32C();
        int end = start + sizeInBytes();
        ByteBuffer dup = buf.duplicate();
        dup.limit(start + CRC).position(start);
        crc.update(dup);
        dup.limit(end).position(start + CRC_START);
        crc.update(dup);
        return (int) crc.getValue();
    }

    /** Whether the batch's claimed size fits its buffer and its CRC matches. */
    public boolean isCrcValid() {
        int size = sizeInBytes();
        if (size < HEADER_SIZE || start + size > buf.limit()) {
            return false;
        }
        return computeCrc() == crc();
    }

    /**
     * Checks the header and the CRC; with {@code deep}, also that the records decode, that their
     * count matches and that their offset deltas grow within {@code lastOffsetDelta}.
     *
     * @throws CorruptRecordException naming what is wrong
     */
    public void validate(boolean deep) {
        int size = sizeInBytes();
        if (size < HEADER_SIZE || start + size > buf.limit()) {
            throw new CorruptRecordException("batch size " + size + " does not fit");
        }
        if (magic() != MAGIC) {
            throw new CorruptRecordException("unknown batch magic " + magic());
        }
        if (!isCrcValid()) {
            throw new CorruptRecordException("batch CRC mismatch at offset " + baseOffset());
        }
        int count = recordCount();
        if (count < 0 || lastOffsetDelta() < 0 || (count > 0 && lastOffsetDelta() < count - 1)) {
            throw new CorruptRecordException("batch record count " + count + " and offset delta "
                    + lastOffsetDelta() + " disagree");
        }
        if (deep) {
            RecordCursor cursor = cursor();
            int seen = 0;
            int lastDelta = -1;
            while (cursor.next()) {
                int delta = (int) (cursor.offset() - baseOffset());
                if (delta <= lastDelta || delta > lastOffsetDelta()) {
                    throw new CorruptRecordException("record offset delta " + delta + " out of order");
                }
                lastDelta = delta;
                seen++;
            }
            if (seen != count || cursor.endPosition() != start + size) {
                throw new CorruptRecordException("batch holds " + seen + " records, header says " + count);
            }
        }
    }

    // ---- mutations used by the log when it appends a batch it owns ----

    public void setBaseOffset(long offset) {
        buf.putLong(start + BASE_OFFSET, offset);
    }

    public void setLeaderEpoch(int epoch) {
        buf.putInt(start + LEADER_EPOCH, epoch);
    }

    /** Turns the batch into LogAppendTime: every record's timestamp becomes {@code timestamp}. */
    public void setLogAppendTime(long timestamp) {
        buf.put(start + ATTRIBUTES, (byte) (attributes() | TIMESTAMP_TYPE_MASK));
        buf.putLong(start + MAX_TIMESTAMP, timestamp);
    }

    public void updateCrc() {
        buf.putInt(start + CRC, computeCrc());
    }

    /** A cursor over this batch's records; it reuses one record view, so copy what you keep. */
    public RecordCursor cursor() {
        return new RecordCursor().reset(this);
    }

    @Override
    public String toString() {
        return "RecordBatch(baseOffset=" + baseOffset() + ", lastOffset=" + lastOffset() + ", records="
                + recordCount() + ", size=" + sizeInBytes() + ", epoch=" + leaderEpoch() + ")";
    }
}

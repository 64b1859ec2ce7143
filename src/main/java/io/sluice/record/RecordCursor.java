package io.sluice.record;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Walks the records of one batch without allocating: after each {@link #next()} the cursor
 * itself describes the current record by absolute positions in the batch's buffer. Consumers
 * copy bytes straight from {@link #buffer()} into their output (JSON frames, replicas).
 */
public final class RecordCursor {
    public static final int ATTR_KEY_JSON = 0x01;
    public static final int ATTR_VALUE_JSON = 0x02;

    private final Varint.Reader in = new Varint.Reader();
    private ByteBuffer buf;
    private long baseOffset;
    private long baseTimestamp;
    private long logAppendTime = -1;
    private int end;
    private int remaining;

    private int recordStart;
    private int recordEnd;
    private int attributes;
    private long timestamp;
    private long offset;
    private int keyPos;
    private int keySize;
    private int valuePos;
    private int valueSize;
    private int headersPos;
    private int headerCount;

    /** Positions the cursor before the first record of {@code batch}. */
    public RecordCursor reset(RecordBatch batch) {
        this.buf = batch.buffer();
        this.baseOffset = batch.baseOffset();
        this.baseTimestamp = batch.baseTimestamp();
        this.logAppendTime = batch.isLogAppendTime() ? batch.maxTimestamp() : -1;
        this.end = batch.start() + batch.sizeInBytes();
        this.remaining = batch.recordCount();
        in.reset(buf, batch.start() + RecordBatch.HEADER_SIZE, end);
        return this;
    }

    /** Advances to the next record; false when the batch has no more. */
    public boolean next() {
        if (remaining <= 0) {
            return false;
        }
        remaining--;
        recordStart = in.pos;
        int length = in.readInt();
        if (length < 0 || in.pos + length > end) {
            throw new CorruptRecordException("record length " + length + " runs past the batch");
        }
        recordEnd = in.pos + length;
        in.reset(buf, in.pos, recordEnd);
        attributes = in.readByte() & 0xff;
        long tsDelta = in.readLong();
        timestamp = logAppendTime >= 0 ? logAppendTime : baseTimestamp + tsDelta;
        offset = baseOffset + in.readInt();
        keySize = in.readInt();
        keyPos = in.pos;
        if (keySize > 0) {
            in.skip(keySize);
        }
        valueSize = in.readInt();
        valuePos = in.pos;
        if (valueSize > 0) {
            in.skip(valueSize);
        }
        headerCount = in.readInt();
        if (headerCount < 0) {
            throw new CorruptRecordException("negative header count");
        }
        headersPos = in.pos;
        for (int i = 0; i < headerCount; i++) {
            in.skip(in.readInt());
            int vs = in.readInt();
            if (vs > 0) {
                in.skip(vs);
            }
        }
        if (in.pos != recordEnd) {
            throw new CorruptRecordException("record fields do not fill its length");
        }
        in.reset(buf, recordEnd, end);
        return true;
    }

    /** Position just after the last record read. */
    public int endPosition() {
        return in.pos;
    }

    public ByteBuffer buffer() {
        return buf;
    }

    public long offset() {
        return offset;
    }

    public long timestamp() {
        return timestamp;
    }

    public int attributes() {
        return attributes;
    }

    public boolean keyIsJson() {
        return (attributes & ATTR_KEY_JSON) != 0;
    }

    public boolean valueIsJson() {
        return (attributes & ATTR_VALUE_JSON) != 0;
    }

    /** Absolute position of the key bytes. */
    public int keyPosition() {
        return keyPos;
    }

    /** Key length, -1 for null. */
    public int keySize() {
        return keySize;
    }

    public int valuePosition() {
        return valuePos;
    }

    /** Value length, -1 for null (a tombstone). */
    public int valueSize() {
        return valueSize;
    }

    public int headerCount() {
        return headerCount;
    }

    /** Start of the whole encoded record, length prefix included. */
    public int recordStart() {
        return recordStart;
    }

    /** End (exclusive) of the whole encoded record. */
    public int recordEnd() {
        return recordEnd;
    }

    public byte[] keyBytes() {
        return copy(keyPos, keySize);
    }

    public byte[] valueBytes() {
        return copy(valuePos, valueSize);
    }

    private byte[] copy(int pos, int size) {
        if (size < 0) {
            return null;
        }
        byte[] out = new byte[size];
        buf.get(pos, out);
        return out;
    }

    /** Calls {@code visitor} for each header of the current record, in order. */
    public void forEachHeader(HeaderVisitor visitor) {
        Varint.Reader h = new Varint.Reader().reset(buf, headersPos, recordEnd);
        for (int i = 0; i < headerCount; i++) {
            int ks = h.readInt();
            int kp = h.pos;
            h.skip(ks);
            int vs = h.readInt();
            int vp = h.pos;
            if (vs > 0) {
                h.skip(vs);
            }
            visitor.header(buf, kp, ks, vp, vs);
        }
    }

    /** The headers of the current record, decoded (for tests and slow paths). */
    public Header[] headers() {
        Header[] out = new Header[headerCount];
        int[] i = {0};
        forEachHeader((b, kp, ks, vp, vs) -> {
            byte[] k = new byte[ks];
            b.get(kp, k);
            byte[] v = null;
            if (vs >= 0) {
                v = new byte[vs];
                b.get(vp, v);
            }
            out[i[0]++] = new Header(new String(k, StandardCharsets.UTF_8), v);
        });
        return out;
    }

    /** Receives one header by absolute positions; value size -1 means a null value. */
    @FunctionalInterface
    public interface HeaderVisitor {
        void header(ByteBuffer buf, int keyPos, int keySize, int valuePos, int valueSize);
    }
}

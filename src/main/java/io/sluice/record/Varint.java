package io.sluice.record;

import java.nio.ByteBuffer;

/**
 * Zig-zag LEB128 variable-length integers, the encoding Kafka's record format (and protobuf's
 * {@code sint32}/{@code sint64}) uses for per-record fields, so that small deltas take one byte.
 *
 * <p>Reads and writes use absolute positions where the caller keeps its own cursor: the record
 * decoder walks a batch without moving the buffer's position or allocating slices.
 */
public final class Varint {
    private Varint() {
    }

    /** Bytes needed for {@code value} as a zig-zag varint. */
    public static int sizeOf(int value) {
        int v = (value << 1) ^ (value >> 31);
        int bytes = 1;
        while ((v & 0xffffff80) != 0) {
            bytes++;
            v >>>= 7;
        }
        return bytes;
    }

    /** Bytes needed for {@code value} as a zig-zag varlong. */
    public static int sizeOf(long value) {
        long v = (value << 1) ^ (value >> 63);
        int bytes = 1;
        while ((v & 0xffffffffffffff80L) != 0L) {
            bytes++;
            v >>>= 7;
        }
        return bytes;
    }

    /** Writes {@code value} at the buffer's position, advancing it. */
    public static void write(ByteBuffer buf, int value) {
        int v = (value << 1) ^ (value >> 31);
        while ((v & 0xffffff80) != 0) {
            buf.put((byte) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        buf.put((byte) v);
    }

    /** Writes {@code value} at the buffer's position, advancing it. */
    public static void write(ByteBuffer buf, long value) {
        long v = (value << 1) ^ (value >> 63);
        while ((v & 0xffffffffffffff80L) != 0L) {
            buf.put((byte) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        buf.put((byte) v);
    }

    /**
     * A cursor over a buffer that decodes varints at absolute positions. One instance is reused
     * for a whole batch; {@link #pos} is the next byte to read.
     */
    public static final class Reader {
        private ByteBuffer buf;
        private int limit;
        /** Next position to read. */
        public int pos;

        public Reader reset(ByteBuffer buf, int pos, int limit) {
            this.buf = buf;
            this.pos = pos;
            this.limit = limit;
            return this;
        }

        public int readInt() {
            int raw = 0;
            int shift = 0;
            while (true) {
                if (pos >= limit) {
                    throw new CorruptRecordException("varint runs past the end of the record");
                }
                byte b = buf.get(pos++);
                raw |= (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    break;
                }
                shift += 7;
                if (shift > 28) {
                    throw new CorruptRecordException("varint longer than 5 bytes");
                }
            }
            return (raw >>> 1) ^ -(raw & 1);
        }

        public long readLong() {
            long raw = 0;
            int shift = 0;
            while (true) {
                if (pos >= limit) {
                    throw new CorruptRecordException("varlong runs past the end of the record");
                }
                byte b = buf.get(pos++);
                raw |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    break;
                }
                shift += 7;
                if (shift > 63) {
                    throw new CorruptRecordException("varlong longer than 10 bytes");
                }
            }
            return (raw >>> 1) ^ -(raw & 1);
        }

        public byte readByte() {
            if (pos >= limit) {
                throw new CorruptRecordException("record ends early");
            }
            return buf.get(pos++);
        }

        /** Skips {@code n} bytes, checking they exist. */
        public void skip(int n) {
            if (n < 0 || pos + n > limit) {
                throw new CorruptRecordException("field of " + n + " bytes runs past the end of the record");
            }
            pos += n;
        }
    }
}

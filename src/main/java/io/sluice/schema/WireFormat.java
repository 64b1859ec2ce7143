package io.sluice.schema;

import java.nio.ByteBuffer;

/**
 * Confluent's wire format for schema-encoded keys and values: one magic byte 0, the schema id as a
 * 4-byte big-endian int, then the payload (for Protobuf beginning with its message indexes):
 * <pre>
 * 0        magic (0)
 * 1..4     schema id
 * 5..      payload
 * </pre>
 */
public final class WireFormat {
    public static final byte MAGIC = 0;
    public static final int HEADER_SIZE = 5;
    /** What {@link #schemaId} answers for bytes that are not in the wire format. */
    public static final int NONE = -1;

    private WireFormat() {
    }

    /**
     * The schema id of {@code length} bytes at {@code offset} of {@code bytes}, or {@link #NONE}
     * when they are too short or do not begin with the magic byte.
     */
    public static int schemaId(byte[] bytes, int offset, int length) {
        if (length < HEADER_SIZE || bytes[offset] != MAGIC) {
            return NONE;
        }
        return ((bytes[offset + 1] & 0xff) << 24) | ((bytes[offset + 2] & 0xff) << 16)
                | ((bytes[offset + 3] & 0xff) << 8) | (bytes[offset + 4] & 0xff);
    }

    /** As {@link #schemaId(byte[], int, int)}, for the remaining bytes of {@code buf} (not moved). */
    public static int schemaId(ByteBuffer buf) {
        int p = buf.position();
        if (buf.remaining() < HEADER_SIZE || buf.get(p) != MAGIC) {
            return NONE;
        }
        return buf.getInt(p + 1);
    }

    /** As {@link #schemaId(byte[], int, int)}, for {@code length} bytes at absolute {@code position} of {@code buf}. */
    public static int schemaId(ByteBuffer buf, int position, int length) {
        if (length < HEADER_SIZE || buf.get(position) != MAGIC) {
            return NONE;
        }
        return buf.getInt(position + 1);
    }

    /** The payload after the header of {@code length} bytes at absolute {@code position} of {@code buf}, as a view. */
    public static ByteBuffer payload(ByteBuffer buf, int position, int length) {
        return buf.duplicate().limit(position + length).position(position + HEADER_SIZE).slice();
    }

    /** The payload after the header, as a view of {@code bytes} (not a copy). */
    public static ByteBuffer payload(byte[] bytes, int offset, int length) {
        return ByteBuffer.wrap(bytes, offset + HEADER_SIZE, length - HEADER_SIZE).slice();
    }

    /** The header for {@code schemaId} followed by {@code payload}. */
    public static byte[] encode(int schemaId, byte[] payload) {
        byte[] out = new byte[HEADER_SIZE + payload.length];
        out[0] = MAGIC;
        out[1] = (byte) (schemaId >>> 24);
        out[2] = (byte) (schemaId >>> 16);
        out[3] = (byte) (schemaId >>> 8);
        out[4] = (byte) schemaId;
        System.arraycopy(payload, 0, out, HEADER_SIZE, payload.length);
        return out;
    }
}

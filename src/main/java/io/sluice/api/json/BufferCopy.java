package io.sluice.api.json;

import io.netty.buffer.ByteBuf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Copies a range of a {@link ByteBuffer} (a batch read from the log, on the heap or mapped) into
 * a Netty {@link ByteBuf} by absolute positions, without moving the source's position and
 * without allocating: {@code ByteBuf.writeBytes(ByteBuffer)} would need a duplicate per call.
 */
final class BufferCopy {
    private BufferCopy() {
    }

    static void copy(ByteBuf out, ByteBuffer src, int pos, int len) {
        if (len <= 0) {
            return;
        }
        if (src.hasArray()) {
            out.writeBytes(src.array(), src.arrayOffset() + pos, len);
            return;
        }
        out.ensureWritable(len);
        int w = out.writerIndex();
        if (out.hasArray()) {
            src.get(pos, out.array(), out.arrayOffset() + w, len);
        } else {
            copyByWords(out, w, src, pos, len);
        }
        out.writerIndex(w + len);
    }

    /** Direct to direct: eight bytes a step; the source's byte order only decides how to set them back. */
    private static void copyByWords(ByteBuf out, int w, ByteBuffer src, int pos, int len) {
        boolean bigEndian = src.order() == ByteOrder.BIG_ENDIAN;
        int i = 0;
        for (; i + 8 <= len; i += 8) {
            long word = src.getLong(pos + i);
            if (bigEndian) {
                out.setLong(w + i, word);
            } else {
                out.setLongLE(w + i, word);
            }
        }
        for (; i < len; i++) {
            out.setByte(w + i, src.get(pos + i));
        }
    }
}

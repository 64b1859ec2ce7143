package io.sluice.api.json;

import io.netty.buffer.ByteBuf;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Encodes bytes as a base64 JSON string (RFC 4648 standard alphabet, with padding) straight into
 * a {@link ByteBuf}: no intermediate {@code String} or array, four output characters set with
 * one {@code setInt} per three input bytes.
 */
final class Base64Writer {
    private static final byte[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".getBytes(StandardCharsets.US_ASCII);

    private Base64Writer() {
    }

    /** Writes {@code src[pos, pos + len)} as {@code "<base64>"}, quotes included. */
    static void writeString(ByteBuf out, ByteBuffer src, int pos, int len) {
        out.ensureWritable(2 + 4 * ((len + 2) / 3));
        int w = out.writerIndex();
        out.setByte(w++, '"');
        int end = pos + len - len % 3;
        int i = pos;
        for (; i < end; i += 3) {
            int bits = (src.get(i) & 0xFF) << 16 | (src.get(i + 1) & 0xFF) << 8 | (src.get(i + 2) & 0xFF);
            out.setInt(w, quad(bits));
            w += 4;
        }
        int rest = len % 3;
        if (rest == 1) {
            int bits = (src.get(i) & 0xFF) << 16;
            out.setInt(w, (quad(bits) & 0xFFFF0000) | ('=' << 8) | '=');
            w += 4;
        } else if (rest == 2) {
            int bits = (src.get(i) & 0xFF) << 16 | (src.get(i + 1) & 0xFF) << 8;
            out.setInt(w, (quad(bits) & 0xFFFFFF00) | '=');
            w += 4;
        }
        out.setByte(w++, '"');
        out.writerIndex(w);
    }

    /** The four alphabet characters of 24 bits, first character in the most significant byte. */
    private static int quad(int bits) {
        return ALPHABET[bits >>> 18] << 24
                | ALPHABET[(bits >>> 12) & 0x3F] << 16
                | ALPHABET[(bits >>> 6) & 0x3F] << 8
                | ALPHABET[bits & 0x3F];
    }
}

package io.sluice.api.json;

import io.netty.buffer.ByteBuf;

import java.nio.ByteBuffer;

/**
 * Writes JSON string literals into a {@link ByteBuf}, from UTF-8 bytes in a buffer or from a
 * Java {@link String}. Owns the escaping rules ({@code \"}, {@code \\}, {@code \b}, {@code \f},
 * {@code \n}, {@code \r}, {@code \t}, {@code \}{@code u00XX} for other control characters;
 * nothing else is escaped) and the repair of malformed UTF-8: each maximal ill-formed
 * subsequence becomes one U+FFFD, the practice Unicode recommends and the JDK's decoder follows,
 * so the output is always valid UTF-8 JSON.
 *
 * <p>Bytes that need neither escaping nor repair are copied in runs, never byte by byte: the
 * common case, a plain string, is one bulk copy after a scan that checks eight bytes a step.
 */
final class JsonStrings {
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] REPLACEMENT = {(byte) 0xEF, (byte) 0xBF, (byte) 0xBD};

    /** The escape sequence of each ASCII byte that needs one, else null. */
    private static final byte[][] ESCAPES = new byte[128][];

    static {
        for (int c = 0; c < 0x20; c++) {
            ESCAPES[c] = new byte[] {'\\', 'u', '0', '0', HEX[c >> 4], HEX[c & 0xF]};
        }
        ESCAPES['\b'] = new byte[] {'\\', 'b'};
        ESCAPES['\f'] = new byte[] {'\\', 'f'};
        ESCAPES['\n'] = new byte[] {'\\', 'n'};
        ESCAPES['\r'] = new byte[] {'\\', 'r'};
        ESCAPES['\t'] = new byte[] {'\\', 't'};
        ESCAPES['"'] = new byte[] {'\\', '"'};
        ESCAPES['\\'] = new byte[] {'\\', '\\'};
    }

    private JsonStrings() {
    }

    /** Writes the UTF-8 bytes {@code src[pos, pos + len)} as a JSON string, quotes included. */
    static void writeUtf8(ByteBuf out, ByteBuffer src, int pos, int len) {
        out.writeByte('"');
        int end = pos + len;
        int run = pos;
        int i = pos;
        while (i < end) {
            if (end - i >= 8 && isPlainAscii(src.getLong(i))) {
                i += 8;
                continue;
            }
            int b = src.get(i) & 0xFF;
            if (b < 0x80) {
                byte[] escape = ESCAPES[b];
                if (escape != null) {
                    BufferCopy.copy(out, src, run, i - run);
                    out.writeBytes(escape);
                    run = i + 1;
                }
                i++;
                continue;
            }
            int n = utf8SequenceLength(src, i, end);
            if (n > 0) {
                i += n;
            } else {
                BufferCopy.copy(out, src, run, i - run);
                out.writeBytes(REPLACEMENT);
                i -= n;
                run = i;
            }
        }
        BufferCopy.copy(out, src, run, end - run);
        out.writeByte('"');
    }

    /** Writes {@code s} as a JSON string in UTF-8; an unpaired surrogate becomes U+FFFD. */
    static void writeString(ByteBuf out, String s) {
        int n = s.length();
        out.ensureWritable(n + 2);
        out.writeByte('"');
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                byte[] escape = ESCAPES[c];
                if (escape == null) {
                    out.writeByte(c);
                } else {
                    out.writeBytes(escape);
                }
            } else if (c < 0x800) {
                out.writeByte(0xC0 | (c >> 6));
                out.writeByte(0x80 | (c & 0x3F));
            } else if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    int cp = Character.toCodePoint(c, s.charAt(++i));
                    out.writeByte(0xF0 | (cp >> 18));
                    out.writeByte(0x80 | ((cp >> 12) & 0x3F));
                    out.writeByte(0x80 | ((cp >> 6) & 0x3F));
                    out.writeByte(0x80 | (cp & 0x3F));
                } else {
                    out.writeBytes(REPLACEMENT);
                }
            } else {
                out.writeByte(0xE0 | (c >> 12));
                out.writeByte(0x80 | ((c >> 6) & 0x3F));
                out.writeByte(0x80 | (c & 0x3F));
            }
        }
        out.writeByte('"');
    }

    /**
     * True when all eight bytes of {@code w} are ASCII that a JSON string holds as is: no byte
     * has its high bit set, is below 0x20, or is a quote or backslash. The below-0x20 and
     * equal-to tests are the classic SWAR "has a byte less than / has a zero byte" tricks, exact
     * as booleans once every byte is known to be below 0x80 (the first term guarantees that).
     */
    static boolean isPlainAscii(long w) {
        long control = (w - 0x2020202020202020L) & ~w;
        long q = w ^ 0x2222222222222222L;
        long quote = (q - ONES) & ~q;
        long s = w ^ 0x5C5C5C5C5C5C5C5CL;
        long backslash = (s - ONES) & ~s;
        return ((w | control | quote | backslash) & HIGHS) == 0;
    }

    /**
     * The length of the well-formed UTF-8 sequence that starts at {@code i} with a byte of 0x80
     * or above, or minus the length of its maximal ill-formed prefix (at least 1), which is
     * replaced by a single U+FFFD. The ranges are those of Unicode's table of well-formed byte
     * sequences, so overlong forms, surrogates and code points past U+10FFFF are ill-formed.
     */
    static int utf8SequenceLength(ByteBuffer src, int i, int end) {
        int b0 = src.get(i) & 0xFF;
        int trailing;
        int lo = 0x80;
        int hi = 0xBF;
        if (b0 >= 0xC2 && b0 <= 0xDF) {
            trailing = 1;
        } else if (b0 >= 0xE0 && b0 <= 0xEF) {
            trailing = 2;
            if (b0 == 0xE0) {
                lo = 0xA0;
            } else if (b0 == 0xED) {
                hi = 0x9F;
            }
        } else if (b0 >= 0xF0 && b0 <= 0xF4) {
            trailing = 3;
            if (b0 == 0xF0) {
                lo = 0x90;
            } else if (b0 == 0xF4) {
                hi = 0x8F;
            }
        } else {
            return -1;
        }
        for (int k = 1; k <= trailing; k++) {
            if (i + k >= end) {
                return -k;
            }
            int b = src.get(i + k) & 0xFF;
            if (b < lo || b > hi) {
                return -k;
            }
            lo = 0x80;
            hi = 0xBF;
        }
        return trailing + 1;
    }
}

package io.sluice.api.json;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static io.sluice.api.json.JsonTestSupport.strictUtf8;
import static io.sluice.api.json.JsonTestSupport.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The string encoders under the writer: the word-at-a-time scan, UTF-8 repair, escaping, base64. */
class JsonStringsTest {
    private final Random random = new Random(42);

    @Test
    void plainAsciiWordScanAgreesWithAByteByByteCheck() {
        byte[] interesting = {0, 0x1F, 0x20, 0x21, '"', 0x23, 0x5B, '\\', 0x5D, 0x7E, 0x7F, (byte) 0x80,
                (byte) 0xA0, (byte) 0xC3, (byte) 0xFF, 'a', 'Z', '0'};
        ByteBuffer word = ByteBuffer.allocate(8);
        for (int n = 0; n < 200_000; n++) {
            for (int i = 0; i < 8; i++) {
                // Mostly plain letters so that single odd bytes in every position are exercised.
                word.put(i, random.nextInt(4) == 0 ? interesting[random.nextInt(interesting.length)]
                        : (byte) ('a' + random.nextInt(26)));
            }
            boolean expected = true;
            for (int i = 0; i < 8; i++) {
                int b = word.get(i) & 0xFF;
                expected &= b >= 0x20 && b < 0x80 && b != '"' && b != '\\';
            }
            assertEquals(expected, JsonStrings.isPlainAscii(word.getLong(0)), () -> Long.toHexString(word.getLong(0)));
        }
    }

    @Test
    void malformedUtf8IsReplacedByMaximalSubparts() {
        // The example of the Unicode Standard, section 3.9 ("U+FFFD Substitution of Maximal Subparts").
        byte[] bytes = hex("61F18080E180C2628063 80BF64".replace(" ", ""));
        assertEquals("a\ufffd\ufffd\ufffdb\ufffdc\ufffd\ufffdd", roundTrip(ByteBuffer.wrap(bytes)));
        // Surrogates, overlongs and code points past U+10FFFF are ill-formed from their first byte.
        assertEquals("\ufffd\ufffd\ufffd", roundTrip(ByteBuffer.wrap(hex("EDA080"))));
        assertEquals("\ufffd\ufffd", roundTrip(ByteBuffer.wrap(hex("C0AF"))));
        assertEquals("\ufffd\ufffd\ufffd\ufffd", roundTrip(ByteBuffer.wrap(hex("F4908080"))));
        assertEquals("x\ufffd", roundTrip(ByteBuffer.wrap(hex("78E282"))), "a truncated sequence is one replacement");
    }

    @Test
    void malformedUtf8DecodesLikeTheJdkUpToRepeatedReplacements() {
        byte[] alphabet = {'a', '"', '\\', '\n', 0x01, (byte) 0x80, (byte) 0xBF, (byte) 0xC0, (byte) 0xC2, (byte) 0xDF,
                (byte) 0xE0, (byte) 0xA0, (byte) 0xED, (byte) 0x9F, (byte) 0xEF, (byte) 0xF0, (byte) 0x90,
                (byte) 0xF4, (byte) 0x8F, (byte) 0xF5, (byte) 0xFF};
        for (int n = 0; n < 20_000; n++) {
            byte[] bytes = new byte[random.nextInt(24)];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = alphabet[random.nextInt(alphabet.length)];
            }
            // The JDK counts a truncated surrogate prefix at the very end (ED BF) as one subpart
            // where Unicode's table makes it two; everything else must agree exactly.
            String expected = collapseReplacements(new String(bytes, StandardCharsets.UTF_8));
            assertEquals(expected, collapseReplacements(roundTrip(ByteBuffer.wrap(bytes))),
                    () -> java.util.HexFormat.of().formatHex(bytes));
        }
    }

    @Test
    void validMultiByteTextIsCopiedUnchanged() {
        String s = "h\u00e9llo \u20ac \u65e5\u672c\u8a9e \ud83d\ude00 \uffff \u0800 \u07ff end";
        ByteBuf out = Unpooled.buffer();
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        JsonStrings.writeUtf8(out, ByteBuffer.wrap(bytes), 0, bytes.length);
        assertEquals("\"" + s + "\"", strictUtf8(out));
    }

    @Test
    void controlCharactersQuotesAndBackslashesAreEscaped() {
        byte[] bytes = new byte[0x20];
        for (int i = 0; i < 0x20; i++) {
            bytes[i] = (byte) i;
        }
        ByteBuf out = Unpooled.buffer();
        JsonStrings.writeUtf8(out, ByteBuffer.wrap(bytes), 0, bytes.length);
        String written = strictUtf8(out);
        assertEquals("\"\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n\\u000b\\f\\r\\u000e\\u000f"
                + "\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018\\u0019\\u001a\\u001b\\u001c\\u001d"
                + "\\u001e\\u001f\"", written);
        assertEquals(new String(bytes, StandardCharsets.UTF_8), tree(written).textValue());

        ByteBuf quoted = Unpooled.buffer();
        byte[] q = "say \"hi\" \\ bye \u007f".getBytes(StandardCharsets.UTF_8);
        JsonStrings.writeUtf8(quoted, ByteBuffer.wrap(q), 0, q.length);
        assertEquals("\"say \\\"hi\\\" \\\\ bye \u007f\"", strictUtf8(quoted));
    }

    @Test
    void randomBytesAlwaysGiveValidJsonThatDecodesLikeTheJdk() {
        for (int n = 0; n < 5_000; n++) {
            byte[] bytes = new byte[random.nextInt(64)];
            random.nextBytes(bytes);
            String expected = collapseReplacements(new String(bytes, StandardCharsets.UTF_8));
            String heap = roundTrip(ByteBuffer.wrap(bytes));
            assertEquals(expected, collapseReplacements(heap));
            ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length);
            direct.put(bytes);
            assertEquals(heap, roundTrip(direct), "heap and direct buffers must give the same output");
        }
    }

    @Test
    void javaStringsAreEscapedAndLoneSurrogatesReplaced() {
        ByteBuf out = Unpooled.buffer();
        JsonStrings.writeString(out, "a\"b\\c\nd\u0001 \u00e9 \u20ac \ud83d\ude00 lone:\ud83d. \ude00");
        String written = strictUtf8(out);
        assertEquals("\"a\\\"b\\\\c\\nd\\u0001 \u00e9 \u20ac \ud83d\ude00 lone:\ufffd. \ufffd\"", written);
    }

    @Test
    void base64MatchesTheJdkEncoderForEveryRemainder() {
        for (int len = 0; len < 40; len++) {
            byte[] bytes = new byte[len];
            random.nextBytes(bytes);
            ByteBuf out = Unpooled.buffer(1);
            ByteBuffer src = ByteBuffer.allocate(len + 3);
            src.position(3);
            src.put(bytes);
            Base64Writer.writeString(out, src, 3, len);
            assertEquals("\"" + java.util.Base64.getEncoder().encodeToString(bytes) + "\"", strictUtf8(out));
        }
    }

    private static String collapseReplacements(String s) {
        return s.replaceAll("\ufffd+", "\ufffd");
    }

    private static byte[] hex(String hex) {
        return java.util.HexFormat.of().parseHex(hex);
    }

    private static String roundTrip(ByteBuffer src) {
        ByteBuf out = Unpooled.buffer(4);
        JsonStrings.writeUtf8(out, src, 0, src.capacity());
        return tree(strictUtf8(out)).textValue();
    }
}

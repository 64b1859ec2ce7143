package io.sluice.api.json;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sluice.record.Header;
import io.sluice.record.RecordBatch;
import io.sluice.record.RecordBatchBuilder;
import io.sluice.record.RecordCursor;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static io.sluice.api.json.JsonTestSupport.direct;
import static io.sluice.api.json.JsonTestSupport.strictUtf8;
import static io.sluice.api.json.JsonTestSupport.tree;
import static io.sluice.api.json.JsonTestSupport.utf8;
import static io.sluice.api.json.JsonTestSupport.writeAll;
import static io.sluice.api.json.JsonTestSupport.writeOne;
import static io.sluice.record.RecordCursor.ATTR_KEY_JSON;
import static io.sluice.record.RecordCursor.ATTR_VALUE_JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The outgoing record shape of {@link RecordJsonWriter} and how each format encodes bytes. */
class RecordJsonWriterTest {
    /** The formats without schemas (the typed ones render through a registry: TypedJsonApiTest). */
    private static final RecordFormat[] UNTYPED = {RecordFormat.JSON, RecordFormat.BINARY, RecordFormat.TEXT};

    private static RecordBatch oneRecord(int attributes, String key, String value, List<Header> headers) {
        byte[] k = key == null ? null : utf8(key);
        byte[] v = value == null ? null : utf8(value);
        RecordBatch batch = new RecordBatchBuilder(256)
                .append(attributes, 1700000000000L, k, 0, k == null ? -1 : k.length, v, 0, v == null ? -1 : v.length, headers)
                .build();
        batch.setBaseOffset(5);
        batch.updateCrc();
        return batch;
    }

    private static String write(RecordBatch batch, RecordJsonWriter writer) {
        String array = writeAll(batch, writer, Unpooled.buffer(16));
        return array.substring(1, array.length() - 1);
    }

    @Test
    void writesTheApiRecordShapeCopyingJsonTextVerbatim() {
        RecordBatch batch = oneRecord(ATTR_KEY_JSON | ATTR_VALUE_JSON, "\"user-42\"", "{ \"page\" : \"/home\" }",
                List.of(Header.of("src", "web")));
        assertEquals("{\"topic\":\"clicks\",\"partition\":3,\"offset\":5,\"timestamp\":1700000000000,"
                        + "\"key\":\"user-42\",\"value\":{ \"page\" : \"/home\" },\"headers\":{\"src\":\"web\"}}",
                write(batch, new RecordJsonWriter("clicks", 3, RecordFormat.JSON)));
    }

    @Test
    void nullsAndNoHeaders() {
        RecordBatch batch = oneRecord(0, null, null, List.of());
        for (RecordFormat format : UNTYPED) {
            assertEquals("{\"topic\":\"t\",\"partition\":0,\"offset\":5,\"timestamp\":1700000000000,"
                    + "\"key\":null,\"value\":null,\"headers\":{}}", write(batch, new RecordJsonWriter("t", 0, format)));
        }
    }

    @Test
    void topicNamesAreEscaped() {
        String topic = "we\"ird\\na\u0001me-\u00e9t\u00e9";
        RecordJsonWriter writer = new RecordJsonWriter(topic, 2147483647, RecordFormat.JSON);
        JsonNode record = tree(write(oneRecord(0, null, "1", List.of()), writer));
        assertEquals(topic, record.get("topic").textValue());
        assertEquals(2147483647, record.get("partition").intValue());
        assertEquals(topic, writer.topic());
    }

    @Test
    void jsonFormatWritesBytesThatAreNotJsonAsAString() {
        int none = 0;
        assertEquals("hello", writeOne(RecordFormat.JSON, none, null, utf8("hello")).get("value").textValue());
        assertEquals("{\"a\":", writeOne(RecordFormat.JSON, none, null, utf8("{\"a\":")).get("value").textValue());
        assertEquals("1 2", writeOne(RecordFormat.JSON, none, null, utf8("1 2")).get("value").textValue());
        assertEquals("01", writeOne(RecordFormat.JSON, none, null, utf8("01")).get("value").textValue());
        assertEquals("", writeOne(RecordFormat.JSON, none, null, new byte[0]).get("value").textValue());
        assertEquals("\ufeff{}", writeOne(RecordFormat.JSON, none, null, utf8("\ufeff{}")).get("value").textValue(),
                "a byte order mark inside a response would break it; the bytes become a string");
        assertEquals("say \"hi\"\n", writeOne(RecordFormat.JSON, none, utf8("say \"hi\"\n"), null).get("key").textValue());
        assertEquals("a\ufffdb", writeOne(RecordFormat.JSON, none, null, new byte[] {'a', (byte) 0xFF, 'b'})
                .get("value").textValue());
        // Bytes that Jackson would read as UTF-16 are not UTF-8 JSON.
        assertEquals("{\u0000}", writeOne(RecordFormat.JSON, none, null, new byte[] {'{', 0, '}'}).get("value").textValue());
    }

    @Test
    void jsonFormatCopiesBytesThatAreValidJsonEvenWithoutTheAttribute() {
        JsonNode record = writeOne(RecordFormat.JSON, 0, utf8("123"), utf8(" {\"a\":[1,\"\u00e9\"]} "));
        assertTrue(record.get("key").isInt(), "text-format bytes 123 are a JSON number");
        assertEquals(123, record.get("key").intValue());
        assertEquals(tree("{\"a\":[1,\"\u00e9\"]}"), record.get("value"));
        assertTrue(writeOne(RecordFormat.JSON, 0, null, utf8("null")).get("value").isNull());
        assertTrue(writeOne(RecordFormat.JSON, 0, null, utf8("true")).get("value").booleanValue());
    }

    @Test
    void textFormatWritesStringsEscapedAndRepaired() {
        byte[] value = {'"', 'q', '"', '\\', '\n', '\t', 0x01, 0x1F, (byte) 0xC3, (byte) 0xA9, (byte) 0xC3, ' ', (byte) 0xF0,
                (byte) 0x9F, (byte) 0x98, (byte) 0x80};
        JsonNode record = writeOne(RecordFormat.TEXT, 0, utf8("{\"a\":1}"), value);
        assertEquals("{\"a\":1}", record.get("key").textValue(), "JSON text is just a string in the text format");
        assertEquals("\"q\"\\\n\t\u0001\u001f\u00e9\ufffd \ud83d\ude00", record.get("value").textValue());
    }

    @Test
    void textFormatOfJsonProducedBytesIsTheirText() {
        JsonNode record = writeOne(RecordFormat.TEXT, ATTR_KEY_JSON | ATTR_VALUE_JSON, utf8("\"user-42\""), utf8("{\"p\":1}"));
        assertEquals("\"user-42\"", record.get("key").textValue());
        assertEquals("{\"p\":1}", record.get("value").textValue());
    }

    @Test
    void binaryFormatWritesBase64() {
        byte[] key = {0, 1, 2, 3};
        byte[] value = {(byte) 0xFF, (byte) 0xFE, 0x7F, 0, 10};
        JsonNode record = writeOne(RecordFormat.BINARY, ATTR_VALUE_JSON, key, value);
        assertEquals(Base64.getEncoder().encodeToString(key), record.get("key").textValue());
        assertEquals(Base64.getEncoder().encodeToString(value), record.get("value").textValue());
        assertEquals("", writeOne(RecordFormat.BINARY, 0, new byte[0], null).get("key").textValue());
    }

    @Test
    void headersByFormat() {
        List<Header> headers = List.of(Header.of("src", "web"), new Header("n\"ame\n", null), new Header("bin", new byte[] {(byte) 0xFF, 'x'}),
                Header.of("src", "dup"), Header.of("", ""));
        RecordBatch batch = oneRecord(0, null, null, headers);
        assertEquals("{\"src\":\"web\",\"n\\\"ame\\n\":null,\"bin\":\"\ufffdx\",\"src\":\"dup\",\"\":\"\"}",
                headersText(write(batch, new RecordJsonWriter("t", 0, RecordFormat.JSON))));
        assertEquals("{\"src\":\"web\",\"n\\\"ame\\n\":null,\"bin\":\"\ufffdx\",\"src\":\"dup\",\"\":\"\"}",
                headersText(write(batch, new RecordJsonWriter("t", 0, RecordFormat.TEXT))));
        assertEquals("{\"src\":\"d2Vi\",\"n\\\"ame\\n\":null,\"bin\":\"/3g=\",\"src\":\"ZHVw\",\"\":\"\"}",
                headersText(write(batch, new RecordJsonWriter("t", 0, RecordFormat.BINARY))));
    }

    private static String headersText(String record) {
        String marker = ",\"headers\":";
        return record.substring(record.indexOf(marker) + marker.length(), record.length() - 1);
    }

    @Test
    void directBatchesAndDirectOutputGiveTheSameBytes() {
        RecordBatch heap = oneRecord(ATTR_KEY_JSON, "\"k\"", "text value \u00e9 with a \"quote\" that is long enough",
                List.of(Header.of("h", "v"), new Header("b", new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11})));
        RecordBatch mapped = direct(heap);
        for (RecordFormat format : UNTYPED) {
            RecordJsonWriter writer = new RecordJsonWriter("t", 1, format);
            String expected = writeAll(heap, writer, Unpooled.buffer());
            assertEquals(expected, writeAll(mapped, writer, Unpooled.buffer()), format + " from a direct batch");
            assertEquals(expected, writeAll(mapped, writer, Unpooled.directBuffer(8)), format + " direct to direct");
            assertEquals(expected, writeAll(heap, writer, Unpooled.directBuffer(8)), format + " heap to direct");
        }
    }

    @Test
    void writeLongMatchesLongToString() {
        long[] values = {0, 1, 9, 10, 99, 100, 101, 999, 1000, -1, -9, -10, -99, -100, 1700000000000L,
                Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1, Integer.MAX_VALUE, Integer.MIN_VALUE};
        for (long v : values) {
            assertWritesLong(v);
        }
        for (long p = 1; p > 0 && p <= Long.MAX_VALUE / 10; p *= 10) {
            assertWritesLong(p - 1);
            assertWritesLong(p);
            assertWritesLong(p + 1);
            assertWritesLong(-p);
        }
    }

    private static void assertWritesLong(long v) {
        ByteBuf out = Unpooled.buffer(1);
        out.writeByte('[');
        RecordJsonWriter.writeLong(out, v);
        out.writeByte(']');
        assertEquals("[" + v + "]", out.toString(StandardCharsets.US_ASCII));
    }

    @Test
    void envelopesCanBeWrittenWithTheStaticHelpers() {
        ByteBuf out = Unpooled.buffer();
        out.writeCharSequence("{\"message\":", StandardCharsets.UTF_8);
        RecordJsonWriter.writeJsonString(out, "bad \"input\"\n\u00e9");
        out.writeCharSequence(",\"next_offset\":", StandardCharsets.UTF_8);
        RecordJsonWriter.writeLong(out, 500);
        out.writeByte('}');
        JsonNode envelope = tree(strictUtf8(out));
        assertEquals("bad \"input\"\n\u00e9", envelope.get("message").textValue());
        assertEquals(500, envelope.get("next_offset").longValue());
    }

    @Test
    void writingRecordsAllocatesNothing() {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());

        RecordBatchBuilder builder = new RecordBatchBuilder(64 * 1024);
        for (int i = 0; i < 200; i++) {
            byte[] key = utf8("\"key-" + i + "\"");
            byte[] value = utf8("{\"n\":" + i + ",\"s\":\"some text \u00e9\"}");
            builder.append(ATTR_KEY_JSON | ATTR_VALUE_JSON, 1700000000000L + i, key, 0, key.length, value, 0, value.length,
                    List.of(Header.of("src", "web")));
        }
        RecordBatch batch = builder.build();
        RecordCursor cursor = new RecordCursor();
        ByteBuf out = Unpooled.buffer(1 << 20);
        for (RecordFormat format : UNTYPED) {
            RecordJsonWriter writer = new RecordJsonWriter("clicks", 7, format);
            writeBatch(batch, cursor, writer, out, 20);  // load and link every class on the path first
            long id = Thread.currentThread().getId();
            long before = threads.getThreadAllocatedBytes(id);
            writeBatch(batch, cursor, writer, out, 50);
            long allocated = threads.getThreadAllocatedBytes(id) - before;
            // 10,000 records: a single allocation per record would show as 160,000 bytes or more.
            assertTrue(allocated < 4096, format + ": writing 10,000 records allocated " + allocated + " bytes");
        }
    }

    private static void writeBatch(RecordBatch batch, RecordCursor cursor, RecordJsonWriter writer, ByteBuf out, int rounds) {
        for (int r = 0; r < rounds; r++) {
            out.clear();
            cursor.reset(batch);
            while (cursor.next()) {
                writer.write(out, cursor);
            }
        }
    }
}

package io.sluice.api.json;

import io.sluice.produce.ProducerRecord;
import io.sluice.record.Header;
import io.sluice.record.RecordCursor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static io.sluice.api.json.JsonTestSupport.keyText;
import static io.sluice.api.json.JsonTestSupport.padded;
import static io.sluice.api.json.JsonTestSupport.utf8;
import static io.sluice.api.json.JsonTestSupport.valueText;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Accepted inputs of {@link ProduceParser}: shapes, formats, slicing and record fields. */
class ProduceParserTest {
    private final ProduceParser parser = new ProduceParser();

    private List<ProducerRecord> batch(String body, RecordFormat format) {
        byte[] bytes = padded(body);
        return parser.parseBatch(bytes, 7, bytes.length - 12, format);
    }

    @Test
    void apiExampleInJsonFormatSlicesRawJsonTextOutOfTheBody() {
        byte[] body = padded("{\"records\":[{\"key\":\"user-42\",\"value\":{\"page\":\"/home\"},\"headers\":{\"src\":\"web\"}},{\"value\":\"x\"}]}");
        List<ProducerRecord> records = parser.parseBatch(body, 7, body.length - 12, RecordFormat.JSON);

        assertEquals(2, records.size());
        ProducerRecord first = records.get(0);
        assertEquals(9, first.keyLength(), "the key \"user-42\" is stored with its quotes");
        assertEquals("\"user-42\"", keyText(first));
        assertSame(body, first.keyArray(), "json-format keys are slices of the body, not copies");
        assertSame(body, first.valueArray());
        assertEquals("{\"page\":\"/home\"}", valueText(first));
        assertEquals(List.of(Header.of("src", "web")), first.headers());
        assertEquals(RecordCursor.ATTR_KEY_JSON | RecordCursor.ATTR_VALUE_JSON, first.attributes());

        ProducerRecord second = records.get(1);
        assertEquals(-1, second.keyLength());
        assertNull(second.keyArray());
        assertNull(second.keyBytes());
        assertEquals("\"x\"", valueText(second));
        assertEquals(RecordCursor.ATTR_VALUE_JSON, second.attributes(), "a null key is not JSON text");
        assertEquals(List.of(), second.headers());
        assertEquals(-1, second.timestamp());
        assertEquals(-1, second.partition());
        assertEquals(-1, second.producerId());
        assertEquals(0, second.producerEpoch());
        assertEquals(-1, second.sequence());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"a\":{\"b\":[1,2,{\"c\":null}]},\"d\":[]}",
            "{ \"sp aced\" : [ 1 , 2 ,\n\t3 ] }",
            "\"quote \\\" backslash \\\\ newline \\n unicode \\u00e9 \\ud83d\\ude00\"",
            "\"raw multi-byte: h\u00e9llo \u20ac \u65e5\u672c \ud83d\ude00\"",
            "-0.5e-10",
            "0",
            "123456789012345678901234567890",
            "1.7976931348623157E308",
            "true",
            "false",
            "{}",
            "[]",
            "[[[[\"deep\"]]]]",
            "\"\"",
            "[null,true,\"}\",\"]\",\"\\\"\"]",
    })
    void jsonValuesAreSlicedExactly(String value) {
        String body = "{\"records\":[ {\"key\" :  " + value + "  , \"value\":" + value + "\n} ]}";
        ProducerRecord r = batch(body, RecordFormat.JSON).get(0);
        assertEquals(value, keyText(r));
        assertEquals(value, valueText(r));
        assertEquals(utf8(value).length, r.valueLength());

        byte[] line = padded("  {\"value\":\t" + value + "}\r\n");
        ProducerRecord fromLine = parser.parseRecord(line, 7, line.length - 12, RecordFormat.JSON);
        assertEquals(value, valueText(fromLine));

        byte[] frame = padded("{\"context\":" + value + ",\"key\":" + value + "}");
        ProduceFrame f = parser.parseFrame(frame, 7, frame.length - 12, RecordFormat.JSON);
        assertEquals(value, new String(f.context(), StandardCharsets.UTF_8));
        assertEquals(value, keyText(f.records().get(0)));
    }

    @Test
    void jsonNullIsANullKeyOrValue() {
        ProducerRecord r = batch("{\"records\":[{\"key\":null,\"value\":null}]}", RecordFormat.JSON).get(0);
        assertEquals(-1, r.keyLength());
        assertEquals(-1, r.valueLength());
        assertEquals(0, r.attributes());
    }

    @Test
    void aByteOrderMarkIsSkippedAndSlicesStayExact() {
        byte[] body = utf8("\uFEFF{\"records\":[{\"value\":[1, 2]}]}");
        ProducerRecord r = parser.parseBatch(body, 0, body.length, RecordFormat.JSON).get(0);
        assertEquals("[1, 2]", valueText(r));
    }

    @Test
    void textFormatStoresStringsAsRawUtf8() {
        byte[] body = padded("{\"records\":[{\"key\":\"u1\",\"value\":\"h\u00e9llo \ud83d\ude00\"}]}");
        ProducerRecord r = parser.parseBatch(body, 7, body.length - 12, RecordFormat.TEXT).get(0);
        assertEquals(2, r.keyLength(), "the text key \"u1\" is 2 bytes");
        assertArrayEquals(utf8("u1"), r.keyBytes());
        assertArrayEquals(utf8("h\u00e9llo \ud83d\ude00"), r.valueBytes());
        assertSame(body, r.valueArray(), "a string without escapes is sliced, not copied");
        assertEquals(0, r.attributes(), "text bytes are not JSON text");
    }

    @Test
    void textFormatDecodesEscapes() {
        ProducerRecord r = batch("{\"records\":[{\"value\":\"a\\\"b\\\\c\\n\\u00e9\\ud83d\\ude00\"}]}", RecordFormat.TEXT).get(0);
        assertArrayEquals(utf8("a\"b\\c\n\u00e9\ud83d\ude00"), r.valueBytes());
    }

    @Test
    void textFormatAcceptsNullAndEmptyStrings() {
        ProducerRecord r = batch("{\"records\":[{\"key\":null,\"value\":\"\"}]}", RecordFormat.TEXT).get(0);
        assertEquals(-1, r.keyLength());
        assertEquals(0, r.valueLength());
    }

    @Test
    void binaryFormatDecodesBase64WithOrWithoutPadding() {
        byte[] raw = {0, 1, 2, (byte) 0xFF, (byte) 0xFE};
        String padded = Base64.getEncoder().encodeToString(raw);
        String unpadded = Base64.getEncoder().withoutPadding().encodeToString(raw);
        List<ProducerRecord> records = batch("{\"records\":[{\"key\":\"" + padded + "\",\"value\":\"" + unpadded
                + "\"},{\"key\":\"\",\"value\":null}]}", RecordFormat.BINARY);
        assertArrayEquals(raw, records.get(0).keyBytes());
        assertArrayEquals(raw, records.get(0).valueBytes());
        assertEquals(0, records.get(0).attributes());
        assertEquals(0, records.get(1).keyLength(), "an empty base64 string is an empty key, not a null one");
        assertEquals(-1, records.get(1).valueLength());
    }

    @Test
    void recordFieldsAreRead() {
        ProducerRecord r = batch("{\"records\":[{\"value\":1,\"timestamp\":1700000000000,\"partition\":3,"
                + "\"producer_id\":4611686018427387903,\"producer_epoch\":32767,\"sequence\":2147483647}]}",
                RecordFormat.JSON).get(0);
        assertEquals(1700000000000L, r.timestamp());
        assertEquals(3, r.partition());
        assertEquals((1L << 62) - 1, r.producerId());
        assertEquals(Short.MAX_VALUE, r.producerEpoch());
        assertEquals(Integer.MAX_VALUE, r.sequence());
    }

    @Test
    void nullRecordFieldsMeanAbsent() {
        ProducerRecord r = batch("{\"records\":[{\"value\":1,\"timestamp\":null,\"partition\":null,\"headers\":null,"
                + "\"producer_id\":null,\"producer_epoch\":null,\"sequence\":null}]}", RecordFormat.JSON).get(0);
        assertEquals(-1, r.timestamp());
        assertEquals(-1, r.partition());
        assertEquals(List.of(), r.headers());
        assertEquals(-1, r.producerId());
        assertEquals(0, r.producerEpoch());
        assertEquals(-1, r.sequence());
    }

    @Test
    void headersObjectKeepsOrderDuplicatesNullsAndUtf8() {
        ProducerRecord r = batch("{\"records\":[{\"headers\":{\"a\":\"1\",\"b\":null,\"a\":\"h\u00e9\\n\",\"\u00e9t\u00e9\":\"\"}}]}",
                RecordFormat.BINARY).get(0);
        assertEquals(List.of(Header.of("a", "1"), new Header("b", null), Header.of("a", "h\u00e9\n"),
                Header.of("\u00e9t\u00e9", "")), r.headers());
    }

    @Test
    void headersArrayCarriesBase64Values() {
        String web = Base64.getEncoder().encodeToString(utf8("web"));
        ProducerRecord r = batch("{\"records\":[{\"value\":\"v\",\"headers\":[{\"key\":\"src\",\"value\":\"" + web
                + "\"},{\"value\":null,\"key\":\"n\"},{\"key\":\"absent\"}]}]}", RecordFormat.TEXT).get(0);
        assertEquals(List.of(Header.of("src", "web"), new Header("n", null), new Header("absent", null)), r.headers());
    }

    @Test
    void emptyHeadersAreNone() {
        assertEquals(List.of(), batch("{\"records\":[{\"headers\":{}}]}", RecordFormat.JSON).get(0).headers());
        assertEquals(List.of(), batch("{\"records\":[{\"headers\":[]}]}", RecordFormat.JSON).get(0).headers());
    }

    @Test
    void anEmptyRecordObjectHasNullKeyAndValue() {
        ProducerRecord r = batch("{\"records\":[{}]}", RecordFormat.JSON).get(0);
        assertEquals(-1, r.keyLength());
        assertEquals(-1, r.valueLength());
    }

    @Test
    void recordsKeepTheirOrderAndParseRecordReadsAnNdjsonLine() {
        StringBuilder body = new StringBuilder("{\"records\":[");
        for (int i = 0; i < 100; i++) {
            body.append(i == 0 ? "" : ",").append("{\"value\":").append(i).append('}');
        }
        List<ProducerRecord> records = batch(body.append("]}").toString(), RecordFormat.JSON);
        assertEquals(100, records.size());
        for (int i = 0; i < 100; i++) {
            assertEquals(Integer.toString(i), valueText(records.get(i)));
        }

        String text = "{\"key\":\"a\",\"value\":1}\n{\"key\":\"b\",\"partition\":2}\n";
        int start = text.indexOf('\n') + 1;
        ProducerRecord second = parser.parseRecord(utf8(text), start, text.length() - start, RecordFormat.TEXT);
        assertArrayEquals(utf8("b"), second.keyBytes());
        assertEquals(2, second.partition());
    }

    @Test
    void frameWithOneRecordAndContext() {
        byte[] data = utf8("{\"key\":\"k\",\"context\": {\"id\": 7, \"tags\":[\"a\"]} ,\"value\":\"v\"}");
        ProduceFrame frame = parser.parseFrame(data, 0, data.length, RecordFormat.TEXT);
        assertEquals("{\"id\": 7, \"tags\":[\"a\"]}", new String(frame.context(), StandardCharsets.UTF_8));
        assertEquals(1, frame.records().size());
        assertArrayEquals(utf8("k"), frame.records().get(0).keyBytes());
        assertArrayEquals(utf8("v"), frame.records().get(0).valueBytes());
    }

    @Test
    void frameWithRecordsAndContextInAnyOrder() {
        byte[] data = utf8("{\"context\":\"c-1\",\"records\":[{\"value\":1},{\"value\":2}]}");
        ProduceFrame frame = parser.parseFrame(data, 0, data.length, RecordFormat.JSON);
        assertEquals("\"c-1\"", new String(frame.context(), StandardCharsets.UTF_8));
        assertEquals(2, frame.records().size());
        assertEquals("2", valueText(frame.records().get(1)));

        byte[] after = utf8("{\"records\":[{\"value\":1}],\"context\":42}");
        assertEquals("42", new String(parser.parseFrame(after, 0, after.length, RecordFormat.JSON).context(),
                StandardCharsets.UTF_8));
    }

    @Test
    void frameContextIsNullOnlyWhenAbsent() {
        byte[] none = utf8("{\"value\":1}");
        assertNull(parser.parseFrame(none, 0, none.length, RecordFormat.JSON).context());
        byte[] explicit = utf8("{\"value\":1,\"context\":null}");
        assertArrayEquals(utf8("null"), parser.parseFrame(explicit, 0, explicit.length, RecordFormat.JSON).context());
    }

    @Test
    void frameContextIsACopy() {
        byte[] data = utf8("{\"value\":1,\"context\":[1]}");
        ProduceFrame frame = parser.parseFrame(data, 0, data.length, RecordFormat.JSON);
        data[data.length - 3] = '9';
        assertArrayEquals(utf8("[1]"), frame.context(), "the context must survive reuse of the frame buffer");
    }

    @Test
    void estimatedSizeBoundsTheEncodedRecord() {
        ProducerRecord r = batch("{\"records\":[{\"key\":\"k\",\"value\":\"0123456789\",\"headers\":{\"h\u00e9\":\"v\"}}]}",
                RecordFormat.JSON).get(0);
        assertTrue(r.estimatedSize() >= 3 + 12 + 3 + 1 + 1, "must count key, value and header bytes");
        // JsonTestSupport.batch asserts the bound against the real encoding.
        JsonTestSupport.batch(List.of(r), 1L, 0L);
    }

    @Test
    void withProducerStampsIdentityAndKeepsTheRest() {
        ProducerRecord r = batch("{\"records\":[{\"key\":\"k\",\"value\":1,\"partition\":2}]}", RecordFormat.JSON).get(0);
        ProducerRecord stamped = r.withProducer(1L << 62, (short) 3, 9);
        assertEquals(1L << 62, stamped.producerId());
        assertEquals(3, stamped.producerEpoch());
        assertEquals(9, stamped.sequence());
        assertEquals(2, stamped.partition());
        assertEquals(keyText(r), keyText(stamped));
        assertEquals(r.attributes(), stamped.attributes());
    }

    @Test
    void parserIsThreadSafe() throws Exception {
        byte[] body = utf8("{\"records\":[{\"key\":\"k\",\"value\":{\"n\":[1,2,3]}},{\"value\":\"x\"}]}");
        Thread[] threads = new Thread[4];
        Throwable[] failure = new Throwable[1];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                try {
                    for (int i = 0; i < 2000; i++) {
                        List<ProducerRecord> records = parser.parseBatch(body, 0, body.length, RecordFormat.JSON);
                        assertEquals("{\"n\":[1,2,3]}", valueText(records.get(0)));
                    }
                } catch (Throwable e) {
                    failure[0] = e;
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertNull(failure[0]);
    }
}

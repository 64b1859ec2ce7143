package io.sluice.api.json;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import static io.sluice.api.json.JsonTestSupport.padded;
import static io.sluice.api.json.JsonTestSupport.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Inputs {@link ProduceParser} must refuse, and the field each message must name. */
class ProduceParserRejectionTest {
    private final ProduceParser parser = new ProduceParser();

    private ProduceParseException rejectBatch(String body, RecordFormat format) {
        byte[] bytes = padded(body);
        return assertThrows(ProduceParseException.class,
                () -> parser.parseBatch(bytes, 7, bytes.length - 12, format), body);
    }

    static Stream<Arguments> badBodies() {
        RecordFormat json = RecordFormat.JSON;
        RecordFormat text = RecordFormat.TEXT;
        RecordFormat binary = RecordFormat.BINARY;
        return Stream.of(
                arguments(json, "not json", "body is not valid JSON: Unrecognized token 'not'"),
                arguments(json, "", "body: expected a JSON object"),
                arguments(json, "[{\"value\":1}]", "body: expected a JSON object"),
                arguments(json, "\"records\"", "body: expected a JSON object"),
                arguments(json, "{}", "body: missing \"records\""),
                arguments(json, "{\"records\":{}}", "records: expected an array of record objects"),
                arguments(json, "{\"records\":null}", "records: expected an array of record objects"),
                arguments(json, "{\"records\":\"x\"}", "records: expected an array of record objects"),
                arguments(json, "{\"records\":[]}", "records: expected at least one record"),
                arguments(json, "{\"records\":[1]}", "records[0]: expected a record object"),
                arguments(json, "{\"records\":[{\"value\":1},[]]}", "records[1]: expected a record object"),
                arguments(json, "{\"records\":[{}],\"extra\":1}", "body: unknown field \"extra\""),
                arguments(json, "{\"extra\":1,\"records\":[{}]}", "body: unknown field \"extra\""),
                arguments(json, "{\"records\":[{}],\"records\":[{}]}", "body: duplicate field \"records\""),
                arguments(json, "{\"records\":[{\"valu\":1}]}", "records[0]: unknown field \"valu\""),
                arguments(json, "{\"records\":[{\"value\":1,\"value\":2}]}", "records[0]: duplicate field \"value\""),
                arguments(json, "{\"records\":[{\"value\":1}]} x", "body is not valid JSON: Unrecognized token 'x'"),
                arguments(json, "{\"records\":[{\"value\":1}]} {}", "body: unexpected data after the JSON object at byte 26"),
                arguments(json, "{\"records\":[{\"value\":1}]", "body is not valid JSON: Unexpected end-of-input"),
                arguments(json, "{\"records\":[{\"value\":tru}]}", "body is not valid JSON: Unrecognized token 'tru'"),
                arguments(json, "{\"records\":[{\"value\":\"a\u0001\"}]}", "body is not valid JSON: Illegal unquoted character"),
                arguments(json, "{\"records\":[{\"value\":01}]}", "body is not valid JSON"),
                arguments(json, "{\"records\":[{\"value\":NaN}]}", "body is not valid JSON"),
                arguments(json, "{\"records\":[{\"value\":1,}]}", "body is not valid JSON"),
                arguments(json, "{\"records\":[{\"value\":1},{\"timestamp\":\"x\"}]}", "records[1].timestamp: expected a non-negative integer"),
                arguments(json, "{\"records\":[{\"timestamp\":-1}]}", "records[0].timestamp: expected a non-negative integer"),
                arguments(json, "{\"records\":[{\"timestamp\":1.5}]}", "records[0].timestamp: expected a non-negative integer"),
                arguments(json, "{\"records\":[{\"timestamp\":1e3}]}", "records[0].timestamp: expected a non-negative integer"),
                arguments(json, "{\"records\":[{\"timestamp\":{}}]}", "records[0].timestamp: expected a non-negative integer"),
                arguments(json, "{\"records\":[{\"timestamp\":99999999999999999999}]}", "records[0].timestamp: expected a non-negative integer"),
                arguments(json, "{\"records\":[{\"partition\":-1}]}", "records[0].partition: expected a non-negative integer"),
                arguments(json, "{\"records\":[{\"partition\":2147483648}]}", "records[0].partition: expected a non-negative integer"),
                arguments(json, "{\"records\":[{\"partition\":\"0\"}]}", "records[0].partition: expected a non-negative integer"),
                arguments(json, "{\"records\":[{\"partition\":true}]}", "records[0].partition: expected a non-negative integer"),
                arguments(json, "{\"records\":[{\"producer_id\":4611686018427387904,\"sequence\":0}]}", "records[0].producer_id: expected an integer from 0 to 4611686018427387903"),
                arguments(json, "{\"records\":[{\"producer_id\":-5,\"sequence\":0}]}", "records[0].producer_id"),
                arguments(json, "{\"records\":[{\"producer_id\":1,\"sequence\":0,\"producer_epoch\":32768}]}", "records[0].producer_epoch: expected an integer from 0 to 32767"),
                arguments(json, "{\"records\":[{\"producer_id\":1,\"sequence\":0,\"producer_epoch\":-1}]}", "records[0].producer_epoch"),
                arguments(json, "{\"records\":[{\"producer_id\":1,\"sequence\":-1}]}", "records[0].sequence: expected a non-negative integer"),
                arguments(json, "{\"records\":[{\"producer_id\":1,\"sequence\":2147483648}]}", "records[0].sequence"),
                arguments(json, "{\"records\":[{\"producer_id\":1}]}", "records[0]: producer_id and sequence must be given together"),
                arguments(json, "{\"records\":[{\"sequence\":1}]}", "records[0]: producer_id and sequence must be given together"),
                arguments(json, "{\"records\":[{\"producer_epoch\":1}]}", "records[0]: producer_epoch needs producer_id and sequence"),
                arguments(json, "{\"records\":[{\"headers\":\"x\"}]}", "records[0].headers: expected an object of string values or an array"),
                arguments(json, "{\"records\":[{\"headers\":1}]}", "records[0].headers: expected"),
                arguments(json, "{\"records\":[{\"headers\":{\"a\":1}}]}", "records[0].headers.a: expected a string or null"),
                arguments(json, "{\"records\":[{\"headers\":{\"a\":[\"x\"]}}]}", "records[0].headers.a: expected a string or null"),
                arguments(json, "{\"records\":[{\"headers\":[1]}]}", "records[0].headers[0]: expected an object"),
                arguments(json, "{\"records\":[{\"headers\":[{\"key\":\"a\"},\"b\"]}]}", "records[0].headers[1]: expected an object"),
                arguments(json, "{\"records\":[{\"headers\":[{\"value\":\"AA==\"}]}]}", "records[0].headers[0]: missing \"key\""),
                arguments(json, "{\"records\":[{\"headers\":[{\"key\":1}]}]}", "records[0].headers[0].key: expected a string"),
                arguments(json, "{\"records\":[{\"headers\":[{\"key\":null}]}]}", "records[0].headers[0].key: expected a string"),
                arguments(json, "{\"records\":[{\"headers\":[{\"key\":\"a\",\"value\":\"!!\"}]}]}", "records[0].headers[0].value: expected a base64 string"),
                arguments(json, "{\"records\":[{\"headers\":[{\"key\":\"a\",\"value\":5}]}]}", "records[0].headers[0].value: expected a base64 string or null"),
                arguments(json, "{\"records\":[{\"headers\":[{\"key\":\"a\",\"x\":1}]}]}", "records[0].headers[0]: unknown field \"x\""),
                arguments(json, "{\"records\":[{\"headers\":[{\"key\":\"a\",\"key\":\"b\"}]}]}", "records[0].headers[0]: duplicate field \"key\""),
                arguments(json, "{\"records\":[{\"headers\":{},\"headers\":{}}]}", "records[0]: duplicate field \"headers\""),
                arguments(text, "{\"records\":[{\"value\":1}]}", "records[0].value: expected a string or null"),
                arguments(text, "{\"records\":[{\"key\":{\"a\":1}}]}", "records[0].key: expected a string or null"),
                arguments(text, "{\"records\":[{\"value\":\"ok\"},{\"value\":[\"x\"]}]}", "records[1].value: expected a string or null"),
                arguments(binary, "{\"records\":[{\"value\":\"not base64!\"}]}", "records[0].value: expected a base64 string"),
                arguments(binary, "{\"records\":[{\"key\":5}]}", "records[0].key: expected a base64 string or null"),
                arguments(binary, "{\"records\":[{\"key\":\"AA==\",\"value\":{}}]}", "records[0].value: expected a base64 string or null"));
    }

    @ParameterizedTest
    @MethodSource("badBodies")
    void badBodiesAreRefusedNamingTheField(RecordFormat format, String body, String expected) {
        ProduceParseException e = rejectBatch(body, format);
        assertTrue(e.getMessage().startsWith(expected), () -> "expected \"" + expected + "...\" but got: " + e.getMessage());
    }

    @Test
    void invalidJsonNamesTheByteCountedFromTheStartOfTheBody() {
        // The body sits at offset 7 of its array; the position must not include that offset.
        ProduceParseException e = rejectBatch("{\"records\" }", RecordFormat.JSON);
        assertTrue(e.getMessage().startsWith("body is not valid JSON: Unexpected character ('}'"), e.getMessage());
        assertTrue(e.getMessage().endsWith(" at byte 11"), e.getMessage());
        assertFalse(e.getMessage().contains("Source"), e.getMessage());
    }

    @Test
    void invalidUtf8InsideAStringIsInvalidJson() {
        byte[] body = utf8("{\"records\":[{\"value\":\"ab\"}]}");
        byte[] bad = new byte[body.length + 1];
        int at = new String(body, StandardCharsets.US_ASCII).indexOf("ab");
        System.arraycopy(body, 0, bad, 0, at);
        bad[at] = (byte) 0xC3;
        bad[at + 1] = (byte) 0x28;
        System.arraycopy(body, at + 2, bad, at + 2, body.length - at - 2);
        byte[] trimmed = java.util.Arrays.copyOf(bad, body.length);
        ProduceParseException e = assertThrows(ProduceParseException.class,
                () -> parser.parseBatch(trimmed, 0, trimmed.length, RecordFormat.JSON));
        assertTrue(e.getMessage().startsWith("body is not valid JSON: Invalid UTF-8"), e.getMessage());
    }

    @Test
    void utf16BodiesAreRefused() {
        byte[] body = "{\"records\":[{\"value\":1}]}".getBytes(StandardCharsets.UTF_16LE);
        ProduceParseException e = assertThrows(ProduceParseException.class,
                () -> parser.parseBatch(body, 0, body.length, RecordFormat.JSON));
        assertEquals("body is not valid JSON: it must be encoded in UTF-8", e.getMessage());
    }

    @Test
    void recordErrorsNameFieldsWithoutARecordsPrefix() {
        assertRecordRejected("{\"timestamp\":-1}", "timestamp: expected a non-negative integer");
        assertRecordRejected("{\"value\":1,\"x\":1}", "record: unknown field \"x\"");
        assertRecordRejected("[1]", "record: expected a JSON object");
        assertRecordRejected("{\"records\":[{}]}", "record: unknown field \"records\"");
        assertRecordRejected("{\"value\":1}{\"value\":2}", "record: unexpected data after the JSON object at byte 11");
        assertRecordRejected("{\"value\":", "record is not valid JSON: Unexpected end-of-input");
        assertRecordRejected("{\"producer_id\":3}", "record: producer_id and sequence must be given together");
    }

    private void assertRecordRejected(String line, String expected) {
        byte[] bytes = padded(line);
        ProduceParseException e = assertThrows(ProduceParseException.class,
                () -> parser.parseRecord(bytes, 7, bytes.length - 12, RecordFormat.JSON), line);
        assertTrue(e.getMessage().startsWith(expected), () -> "expected \"" + expected + "...\" but got: " + e.getMessage());
    }

    @Test
    void frameErrors() {
        assertFrameRejected("{\"records\":[{}],\"key\":\"a\"}", "frame: has both \"records\" and record fields");
        assertFrameRejected("{\"key\":\"a\",\"records\":[{}]}", "frame: has both \"records\" and record fields");
        assertFrameRejected("{\"foo\":1}", "frame: unknown field \"foo\"");
        assertFrameRejected("{\"value\":1,\"context\":1,\"context\":2}", "frame: duplicate field \"context\"");
        assertFrameRejected("{\"records\":[{\"context\":1}]}", "records[0]: unknown field \"context\"");
        assertFrameRejected("{\"records\":[]}", "records: expected at least one record");
        assertFrameRejected("{\"records\":[{\"timestamp\":\"x\"}]}", "records[0].timestamp: expected a non-negative integer");
        assertFrameRejected("{\"timestamp\":\"x\"}", "timestamp: expected a non-negative integer");
        assertFrameRejected("7", "frame: expected a JSON object");
        assertFrameRejected("{\"value\":1", "frame is not valid JSON");
    }

    private void assertFrameRejected(String frame, String expected) {
        byte[] bytes = padded(frame);
        ProduceParseException e = assertThrows(ProduceParseException.class,
                () -> parser.parseFrame(bytes, 7, bytes.length - 12, RecordFormat.JSON), frame);
        assertTrue(e.getMessage().startsWith(expected), () -> "expected \"" + expected + "...\" but got: " + e.getMessage());
    }
}

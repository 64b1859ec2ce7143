package io.sluice.api.json;

import io.sluice.produce.ProducerRecord;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.record.RecordBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.sluice.api.json.JsonTestSupport.batch;
import static io.sluice.api.json.JsonTestSupport.direct;
import static io.sluice.api.json.JsonTestSupport.tree;
import static io.sluice.api.json.JsonTestSupport.utf8;
import static io.sluice.api.json.JsonTestSupport.writeAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Produce to consume in one format: parse a body, build a batch from the parsed slices as the
 * produce path does, stamp offset and CRC as the log does, walk it with a cursor, write it out,
 * and compare what a consumer reads with what the producer sent.
 */
class RoundTripTest {
    private static final long BROKER_TIMESTAMP = 1_699_999_999_999L;
    private static final long BASE_OFFSET = 1041;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ProduceParser parser = new ProduceParser();

    private static final String JSON_BODY = "{\"records\":["
            + "{\"key\":\"user-42\",\"value\":{\"page\":\"/home\"},\"headers\":{\"src\":\"web\"}},"
            + "{\"value\":\"x\"},"
            + "{\"key\":{\"id\":[1,2.5,true,null,{\"deep\":[[]]}]},\"value\":\"tab\\t \\\"q\\\" \\\\ \\u00e9 \u65e5 \ud83d\ude00\","
            + " \"timestamp\":1700000000000,\"partition\":1,\"headers\":[{\"key\":\"b\",\"value\":\"d2Vi\"},{\"key\":\"n\",\"value\":null}]},"
            + "{\"key\" : -0.5e-10 , \"value\" : [ ] , \"headers\":{\"e\":null,\"\u00e9\":\"\u00e9\"}},"
            + "{\"key\":123456789012345678901234567890,\"value\":false,\"producer_id\":7,\"sequence\":0},"
            + "{\"key\":null,\"value\":null}"
            + "]}";

    private static final String TEXT_BODY = "{\"records\":["
            + "{\"key\":\"u1\",\"value\":\"plain\",\"headers\":{\"src\":\"web\"}},"
            + "{\"value\":\"quote \\\" backslash \\\\ controls \\n\\t\\u0001 unicode \u00e9\u65e5\ud83d\ude00\"},"
            + "{\"key\":\"\",\"value\":\"{\\\"looks\\\":\\\"like json\\\"}\",\"timestamp\":5},"
            + "{\"key\":null,\"value\":null,\"headers\":[{\"key\":\"h\",\"value\":\"aGk=\"}]}"
            + "]}";

    private static final String BINARY_BODY = "{\"records\":["
            + "{\"key\":\"AAECAw==\",\"value\":\"/+7dzLuqmYh3ZlVEMyIRAA==\",\"headers\":{\"src\":\"web\"}},"
            + "{\"key\":\"AAECAw\",\"value\":\"\"},"
            + "{\"value\":null,\"headers\":[{\"key\":\"raw\",\"value\":\"gP8=\"}]}"
            + "]}";

    @ParameterizedTest
    @EnumSource(value = RecordFormat.class, names = {"JSON", "BINARY", "TEXT"})
    void consumersReadWhatProducersSent(RecordFormat format) {
        String body = body(format);
        List<ProducerRecord> records = parser.parseBatch(utf8(body), 0, utf8(body).length, format);
        RecordBatch batch = batch(records, BROKER_TIMESTAMP, BASE_OFFSET);
        RecordJsonWriter writer = new RecordJsonWriter("clicks", 3, format);

        List<JsonNode> out = writeAll(batch, writer);
        JsonNode sent = tree(body).get("records");
        assertEquals(sent.size(), out.size());
        for (int i = 0; i < out.size(); i++) {
            assertEquals(expected(sent.get(i), format, "clicks", 3, BASE_OFFSET + i), out.get(i), "record " + i);
        }
        assertEquals(out, writeAll(direct(batch), writer), "a batch in a direct buffer reads the same");
    }

    @Test
    void jsonKeysAreStoredAsTheirJsonText() {
        byte[] body = utf8(JSON_BODY);
        RecordBatch batch = batch(parser.parseBatch(body, 0, body.length, RecordFormat.JSON), BROKER_TIMESTAMP, 0);
        io.sluice.record.RecordCursor cursor = batch.cursor();
        cursor.next();
        assertEquals("\"user-42\"", new String(cursor.keyBytes(), StandardCharsets.UTF_8));
        assertEquals("{\"page\":\"/home\"}", new String(cursor.valueBytes(), StandardCharsets.UTF_8));
        cursor.next();
        cursor.next();
        cursor.next();
        assertEquals("-0.5e-10", new String(cursor.keyBytes(), StandardCharsets.UTF_8), "numbers keep their spelling");
        assertEquals("[ ]", new String(cursor.valueBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void producedAsJsonConsumedAsTextOrBinary() {
        byte[] body = utf8("{\"records\":[{\"key\":\"user-42\",\"value\":{\"page\":\"/home\"}}]}");
        RecordBatch batch = batch(parser.parseBatch(body, 0, body.length, RecordFormat.JSON), BROKER_TIMESTAMP, 0);

        JsonNode asText = writeAll(batch, new RecordJsonWriter("t", 0, RecordFormat.TEXT)).get(0);
        assertEquals("\"user-42\"", asText.get("key").textValue());
        assertEquals("{\"page\":\"/home\"}", asText.get("value").textValue());

        JsonNode asBinary = writeAll(batch, new RecordJsonWriter("t", 0, RecordFormat.BINARY)).get(0);
        assertEquals("\"user-42\"", new String(Base64.getDecoder().decode(asBinary.get("key").textValue()), StandardCharsets.UTF_8));
    }

    @Test
    void producedAsTextConsumedAsJson() {
        byte[] body = utf8("{\"records\":[{\"key\":\"u1\",\"value\":\"{\\\"a\\\":[1,2]}\"},{\"value\":\"42\"},{\"value\":\"not json\"}]}");
        RecordBatch batch = batch(parser.parseBatch(body, 0, body.length, RecordFormat.TEXT), BROKER_TIMESTAMP, 0);
        List<JsonNode> out = writeAll(batch, new RecordJsonWriter("t", 0, RecordFormat.JSON));
        assertEquals("u1", out.get(0).get("key").textValue(), "u1 is not JSON, so it comes back as a string");
        assertEquals(tree("{\"a\":[1,2]}"), out.get(0).get("value"), "valid JSON text is written as JSON");
        assertEquals(42, out.get(1).get("value").intValue());
        assertEquals("not json", out.get(2).get("value").textValue());
    }

    @Test
    void producedAsBinaryConsumedAsJson() {
        String invalidUtf8 = Base64.getEncoder().encodeToString(new byte[] {'a', (byte) 0xC3, 'b'});
        String json = Base64.getEncoder().encodeToString(utf8("[true]"));
        byte[] body = utf8("{\"records\":[{\"key\":\"" + invalidUtf8 + "\",\"value\":\"" + json + "\"}]}");
        RecordBatch batch = batch(parser.parseBatch(body, 0, body.length, RecordFormat.BINARY), BROKER_TIMESTAMP, 0);
        JsonNode out = writeAll(batch, new RecordJsonWriter("t", 0, RecordFormat.JSON)).get(0);
        assertEquals("a\ufffdb", out.get("key").textValue());
        assertEquals(tree("[true]"), out.get("value"));
    }

    @Test
    void manyGeneratedJsonRecordsSurviveTheRoundTrip() {
        Random random = new Random(7);
        StringBuilder body = new StringBuilder("{\"records\":[");
        for (int i = 0; i < 5000; i++) {
            ObjectNode record = NODES.objectNode();
            record.set("key", randomJson(random, 0));
            record.set("value", randomJson(random, 0));
            if (random.nextBoolean()) {
                record.putObject("headers").put(randomString(random), randomString(random));
            }
            body.append(i == 0 ? "" : ",").append(record);
        }
        String json = body.append("]}").toString();
        byte[] bytes = utf8(json);
        List<ProducerRecord> records = parser.parseBatch(bytes, 0, bytes.length, RecordFormat.JSON);
        List<JsonNode> out = writeAll(batch(records, BROKER_TIMESTAMP, 0), new RecordJsonWriter("t", 0, RecordFormat.JSON));
        JsonNode sent = tree(json).get("records");
        for (int i = 0; i < out.size(); i++) {
            assertEquals(expected(sent.get(i), RecordFormat.JSON, "t", 0, i), out.get(i), "record " + i);
        }
        assertEquals(sent.size(), out.size());
    }

    private static JsonNode randomJson(Random random, int depth) {
        switch (random.nextInt(depth > 2 ? 5 : 7)) {
            case 0:
                return NODES.nullNode();
            case 1:
                return NODES.numberNode(random.nextLong());
            case 2:
                return NODES.numberNode(random.nextDouble() * 1e6);
            case 3:
                return NODES.booleanNode(random.nextBoolean());
            case 4:
                return NODES.textNode(randomString(random));
            case 5: {
                ObjectNode object = NODES.objectNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    object.set(randomString(random) + i, randomJson(random, depth + 1));
                }
                return object;
            }
            default: {
                com.fasterxml.jackson.databind.node.ArrayNode array = NODES.arrayNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    array.add(randomJson(random, depth + 1));
                }
                return array;
            }
        }
    }

    private static String randomString(Random random) {
        String alphabet = "abc XYZ019\"\\/\n\t\u0001\u001f\u007f\u00e9\u20ac\u65e5\ud83d\ude00";
        StringBuilder s = new StringBuilder();
        for (int i = random.nextInt(12); i > 0; i--) {
            int at = random.nextInt(alphabet.length());
            char c = alphabet.charAt(at);
            s.append(c);
            if (Character.isHighSurrogate(c)) {
                s.append(alphabet.charAt(at + 1));
            } else if (Character.isLowSurrogate(c)) {
                s.setLength(s.length() - 1);
            }
        }
        return s.toString();
    }

    private static String body(RecordFormat format) {
        switch (format) {
            case JSON:
                return JSON_BODY;
            case TEXT:
                return TEXT_BODY;
            default:
                return BINARY_BODY;
        }
    }

    /** The record a consumer of {@code topic}-{@code partition} reads in {@code format} for what a producer sent in it. */
    private static JsonNode expected(JsonNode sent, RecordFormat format, String topic, int partition, long offset) {
        ObjectNode record = NODES.objectNode();
        record.put("topic", topic);
        record.put("partition", partition);
        record.put("offset", offset);
        JsonNode ts = sent.get("timestamp");
        record.put("timestamp", ts == null || ts.isNull() ? BROKER_TIMESTAMP : ts.longValue());
        record.set("key", bytesAsSent(sent.get("key"), format));
        record.set("value", bytesAsSent(sent.get("value"), format));
        ObjectNode headers = record.putObject("headers");
        JsonNode sentHeaders = sent.get("headers");
        if (sentHeaders != null && sentHeaders.isObject()) {
            for (Map.Entry<String, JsonNode> h : sentHeaders.properties()) {
                headers.set(h.getKey(), headerValue(h.getValue().isNull() ? null : utf8(h.getValue().textValue()), format));
            }
        } else if (sentHeaders != null && sentHeaders.isArray()) {
            for (JsonNode h : sentHeaders) {
                JsonNode v = h.get("value");
                headers.set(h.get("key").textValue(),
                        headerValue(v == null || v.isNull() ? null : Base64.getDecoder().decode(v.textValue()), format));
            }
        }
        // Through text, so that numbers get the node types a parser gives them (1041 is an int node).
        return tree(record.toString());
    }

    private static JsonNode bytesAsSent(JsonNode sent, RecordFormat format) {
        if (sent == null || sent.isNull()) {
            return NODES.nullNode();
        }
        if (format == RecordFormat.BINARY) {
            // Clients may leave out the padding; the broker answers in canonical padded base64.
            return NODES.textNode(Base64.getEncoder().encodeToString(Base64.getDecoder().decode(sent.textValue())));
        }
        return sent;
    }

    private static JsonNode headerValue(byte[] value, RecordFormat format) {
        if (value == null) {
            return NODES.nullNode();
        }
        return NODES.textNode(format == RecordFormat.BINARY ? Base64.getEncoder().encodeToString(value)
                : new String(value, StandardCharsets.UTF_8));
    }
}

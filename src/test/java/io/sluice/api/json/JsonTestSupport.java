package io.sluice.api.json;

import io.sluice.produce.ProducerRecord;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sluice.record.RecordBatch;
import io.sluice.record.RecordBatchBuilder;
import io.sluice.record.RecordCursor;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Builds batches from parsed records and reads writer output back, for the JSON tests. */
final class JsonTestSupport {
    /** Strict: fails on trailing tokens and duplicate keys, so malformed writer output cannot pass. */
    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private JsonTestSupport() {
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code s} placed at offset 7 of a larger array padded with bytes that are not JSON. */
    static byte[] padded(String s) {
        byte[] body = utf8(s);
        byte[] out = new byte[body.length + 12];
        java.util.Arrays.fill(out, (byte) '#');
        System.arraycopy(body, 0, out, 7, body.length);
        return out;
    }

    static String keyText(ProducerRecord r) {
        return r.keyLength() < 0 ? null : new String(r.keyArray(), r.keyOffset(), r.keyLength(), StandardCharsets.UTF_8);
    }

    static String valueText(ProducerRecord r) {
        return r.valueLength() < 0 ? null
                : new String(r.valueArray(), r.valueOffset(), r.valueLength(), StandardCharsets.UTF_8);
    }

    /** Appends the records as the produce path would, then stamps offset and CRC as the log does. */
    static RecordBatch batch(List<ProducerRecord> records, long brokerTimestamp, long baseOffset) {
        int size = RecordBatch.HEADER_SIZE;
        for (ProducerRecord r : records) {
            size += r.estimatedSize();
        }
        RecordBatchBuilder builder = new RecordBatchBuilder(size);
        for (ProducerRecord r : records) {
            r.appendTo(builder, brokerTimestamp);
        }
        assertTrue(builder.sizeInBytes() <= size, "estimatedSize() must bound the encoded size");
        RecordBatch batch = builder.build();
        batch.setBaseOffset(baseOffset);
        batch.updateCrc();
        assertTrue(batch.isCrcValid());
        return batch;
    }

    /** The same batch copied into a direct buffer, as a mapped segment would hold it. */
    static RecordBatch direct(RecordBatch batch) {
        ByteBuffer direct = ByteBuffer.allocateDirect(batch.sizeInBytes() + 5);
        direct.position(5);
        direct.put(batch.buffer().duplicate().position(batch.start()).limit(batch.start() + batch.sizeInBytes()));
        return RecordBatch.at(direct, 5);
    }

    /** Writes every record of the batch, as a JSON array, into {@code out}; returns the text. */
    static String writeAll(RecordBatch batch, RecordJsonWriter writer, ByteBuf out) {
        RecordCursor cursor = batch.cursor();
        out.writeByte('[');
        boolean first = true;
        while (cursor.next()) {
            if (!first) {
                out.writeByte(',');
            }
            writer.write(out, cursor);
            first = false;
        }
        out.writeByte(']');
        return strictUtf8(out);
    }

    static List<JsonNode> writeAll(RecordBatch batch, RecordJsonWriter writer) {
        return readArray(writeAll(batch, writer, Unpooled.buffer(64)));
    }

    static List<JsonNode> readArray(String json) {
        try {
            JsonNode array = MAPPER.readTree(json);
            List<JsonNode> out = new ArrayList<>();
            array.forEach(out::add);
            return out;
        } catch (Exception e) {
            return fail("writer output is not valid JSON: " + json, e);
        }
    }

    static JsonNode tree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (Exception e) {
            return fail("not valid JSON: " + json, e);
        }
    }

    /** Decodes the readable bytes as UTF-8, failing on any malformed sequence. */
    static String strictUtf8(ByteBuf out) {
        byte[] bytes = new byte[out.readableBytes()];
        out.getBytes(out.readerIndex(), bytes);
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return chars.toString();
        } catch (CharacterCodingException e) {
            return fail("output is not valid UTF-8", e);
        }
    }

    /** Writes one record with {@code key}/{@code value} bytes (null allowed) and no headers; returns what a consumer reads. */
    static JsonNode writeOne(RecordFormat format, int attributes, byte[] key, byte[] value) {
        RecordBatchBuilder builder = new RecordBatchBuilder(256);
        builder.append(attributes, 5L, key, 0, key == null ? -1 : key.length,
                value, 0, value == null ? -1 : value.length, List.of());
        RecordBatch batch = builder.build();
        List<JsonNode> out = writeAll(batch, new RecordJsonWriter("t", 0, format));
        assertEquals(1, out.size());
        return out.get(0);
    }
}

package io.sluice.api.json;

import io.sluice.produce.ProducerRecord;
import com.fasterxml.jackson.core.Base64Variant;
import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.sluice.record.Header;
import io.sluice.record.RecordCursor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the members of one record object into a {@link ProducerRecord}, one member at a time, so
 * that the caller decides which other members the enclosing object may carry (a WebSocket
 * frame's {@code context}). Owns the record fields' rules: types, ranges, the format's mapping
 * of key and value to bytes, and error messages that name the record and field.
 *
 * <p>Reused for every record of one input; not thread-safe.
 */
final class RecordReader {
    /** Producer ids at or above 2^62 are reserved for ids the broker derives from an Idempotency-Key. */
    static final long MAX_PRODUCER_ID = (1L << 62) - 1;

    private static final String PRODUCER_ID_RANGE =
            "an integer from 0 to " + MAX_PRODUCER_ID + " (larger ids are reserved)";

    static final String FIELDS = "key, value, headers, timestamp, partition, producer_id, producer_epoch, sequence";

    /** Standard base64 alphabet; padding accepted but not required, as clients differ on it. */
    static final Base64Variant BASE64 = Base64Variants.MIME_NO_LINEFEEDS.withPaddingAllowed();

    private static final int KEY = 1;
    private static final int VALUE = 1 << 1;
    private static final int HEADERS = 1 << 2;
    private static final int TIMESTAMP = 1 << 3;
    private static final int PARTITION = 1 << 4;
    private static final int PRODUCER_ID = 1 << 5;
    private static final int PRODUCER_EPOCH = 1 << 6;
    private static final int SEQUENCE = 1 << 7;

    private final JsonInput in;
    private final RecordFormat format;

    /** Position in {@code records}, or -1 for a record that is the root object. */
    private int index;
    private int seen;

    private byte[] keyArray;
    private int keyOffset;
    private int keyLength;
    private byte[] valueArray;
    private int valueOffset;
    private int valueLength;
    private List<Header> headers;
    private long timestamp;
    private int partition;
    private long producerId;
    private short producerEpoch;
    private boolean epochGiven;
    private int sequence;

    /** Where the last key, value or header value read lies: {@code data[dataOffset, dataOffset + dataLength)}. */
    private byte[] data;
    private int dataOffset;
    private int dataLength;

    RecordReader(JsonInput in, RecordFormat format) {
        this.in = in;
        this.format = format;
    }

    /** Starts a new record at position {@code index} of {@code records} (-1 when it is the root object). */
    void start(int index) {
        this.index = index;
        seen = 0;
        keyArray = null;
        keyOffset = 0;
        keyLength = -1;
        valueArray = null;
        valueOffset = 0;
        valueLength = -1;
        headers = List.of();
        timestamp = ProducerRecord.ABSENT;
        partition = ProducerRecord.ABSENT;
        producerId = ProducerRecord.ABSENT;
        producerEpoch = 0;
        epochGiven = false;
        sequence = ProducerRecord.ABSENT;
    }

    /** True once any record member was read since {@link #start}. */
    boolean hasFields() {
        return seen != 0;
    }

    /**
     * Reads the value of member {@code name}, the parser standing on its field name.
     *
     * @return false, consuming nothing, when {@code name} is not a record field
     */
    boolean readField(String name) throws IOException {
        switch (name) {
            case "key":
                mark(KEY, name);
                readBytes(name);
                keyArray = data;
                keyOffset = dataOffset;
                keyLength = dataLength;
                return true;
            case "value":
                mark(VALUE, name);
                readBytes(name);
                valueArray = data;
                valueOffset = dataOffset;
                valueLength = dataLength;
                return true;
            case "headers":
                mark(HEADERS, name);
                in.next();
                headers = HeadersReader.read(in, this);
                return true;
            case "timestamp":
                mark(TIMESTAMP, name);
                timestamp = readInteger(name, Long.MAX_VALUE, ProducerRecord.ABSENT, "a non-negative integer");
                return true;
            case "partition":
                mark(PARTITION, name);
                partition = (int) readInteger(name, Integer.MAX_VALUE, ProducerRecord.ABSENT, "a non-negative integer");
                return true;
            case "producer_id":
                mark(PRODUCER_ID, name);
                producerId = readInteger(name, MAX_PRODUCER_ID, ProducerRecord.ABSENT, PRODUCER_ID_RANGE);
                return true;
            case "producer_epoch":
                mark(PRODUCER_EPOCH, name);
                readProducerEpoch(name);
                return true;
            case "sequence":
                mark(SEQUENCE, name);
                sequence = (int) readInteger(name, Integer.MAX_VALUE, ProducerRecord.ABSENT, "a non-negative integer");
                return true;
            default:
                return false;
        }
    }

    /** The record read since {@link #start}, once its object has ended. */
    ProducerRecord finish() {
        if ((producerId >= 0) != (sequence >= 0)) {
            throw new ProduceParseException(where() + ": producer_id and sequence must be given together");
        }
        if (epochGiven && producerId < 0) {
            throw new ProduceParseException(where() + ": producer_epoch needs producer_id and sequence");
        }
        int attributes = 0;
        if (format == RecordFormat.JSON) {
            attributes = (keyLength >= 0 ? RecordCursor.ATTR_KEY_JSON : 0)
                    | (valueLength >= 0 ? RecordCursor.ATTR_VALUE_JSON : 0);
        }
        return new ProducerRecord(keyArray, keyOffset, keyLength, valueArray, valueOffset, valueLength,
                headers, timestamp, partition, producerId, producerEpoch, sequence, attributes);
    }

    ProduceParseException unknownField(String name) {
        return new ProduceParseException(where() + ": unknown field \"" + name + "\" (a record has " + FIELDS + ")");
    }

    /** An error about member {@code field} of this record, e.g. {@code records[3].timestamp: <problem>}. */
    ProduceParseException fail(String field, String problem) {
        return new ProduceParseException(path(field) + ": " + problem);
    }

    /** The record's name in messages: {@code records[3]}, or the input's name for a root record. */
    String where() {
        return index < 0 ? in.subject() : "records[" + index + "]";
    }

    String path(String field) {
        return index < 0 ? field : "records[" + index + "]." + field;
    }

    private void mark(int bit, String name) {
        if ((seen & bit) != 0) {
            throw new ProduceParseException(where() + ": duplicate field \"" + name + "\"");
        }
        seen |= bit;
    }

    private void readProducerEpoch(String field) throws IOException {
        long epoch = readInteger(field, Short.MAX_VALUE, ProducerRecord.ABSENT, "an integer from 0 to 32767");
        epochGiven = epoch >= 0;
        producerEpoch = epochGiven ? (short) epoch : 0;
    }

    /** Reads a key or value in the record's format into {@link #data}. */
    private void readBytes(String field) throws IOException {
        JsonToken token = in.next();
        if (token == JsonToken.VALUE_NULL) {
            data = null;
            dataOffset = 0;
            dataLength = -1;
            return;
        }
        switch (format) {
            case JSON:
            case AVRO:
            case JSONSCHEMA:
            case PROTOBUF:
                // Any JSON value; the log keeps its raw text, sliced from the input without a copy.
                // (A typed format's text is encoded with its schema afterwards: TypedRecords.)
                in.sliceValue();
                data = in.data();
                dataOffset = in.sliceStart;
                dataLength = in.sliceEnd - in.sliceStart;
                return;
            case TEXT:
                if (token != JsonToken.VALUE_STRING) {
                    throw fail(field, "expected a string or null (the text format)");
                }
                readUtf8String();
                return;
            case BINARY:
                if (token != JsonToken.VALUE_STRING) {
                    throw fail(field, "expected a base64 string or null (the binary format)");
                }
                data = decodeBase64(field);
                dataOffset = 0;
                dataLength = data.length;
                return;
            default:
                throw new IllegalStateException("unknown format " + format);
        }
    }

    /**
     * The UTF-8 bytes of the current string token into {@link #data}: a slice of the input
     * between the quotes when the string has no escape (Jackson has checked its UTF-8 while
     * finishing the token), else its decoded text encoded again.
     */
    private void readUtf8String() throws IOException {
        in.sliceValue();
        byte[] bytes = in.data();
        int start = in.sliceStart + 1;
        int end = in.sliceEnd - 1;
        for (int i = start; i < end; i++) {
            if (bytes[i] == '\\') {
                data = in.parser().getText().getBytes(StandardCharsets.UTF_8);
                dataOffset = 0;
                dataLength = data.length;
                return;
            }
        }
        data = bytes;
        dataOffset = start;
        dataLength = end - start;
    }

    /** The current string token's UTF-8 bytes in an array of their own, as a header value needs. */
    byte[] utf8StringCopy() throws IOException {
        readUtf8String();
        if (data != in.data()) {
            return data;
        }
        return Arrays.copyOfRange(data, dataOffset, dataOffset + dataLength);
    }

    /** Decodes the current string token as base64; {@code field} names it in the error. */
    private byte[] decodeBase64(String field) throws IOException {
        try {
            return in.parser().getBinaryValue(BASE64);
        } catch (JsonProcessingException e) {
            throw fail(field, notBase64(e));
        }
    }

    /** The problem to report for a string Jackson could not decode as base64. */
    static String notBase64(JsonProcessingException e) {
        return "expected a base64 string (" + e.getOriginalMessage() + ")";
    }

    /**
     * Reads an integer in {@code [0, max]}; JSON null means absent and yields {@code absent}.
     * Fractions, exponents and integers beyond a long are refused rather than rounded.
     */
    private long readInteger(String field, long max, long absent, String expected) throws IOException {
        JsonToken token = in.next();
        if (token == JsonToken.VALUE_NULL) {
            return absent;
        }
        JsonParser parser = in.parser();
        if (token == JsonToken.VALUE_NUMBER_INT) {
            JsonParser.NumberType type = parser.getNumberType();
            if (type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG) {
                long v = parser.getLongValue();
                if (v >= 0 && v <= max) {
                    return v;
                }
            }
        }
        throw fail(field, "expected " + expected);
    }
}

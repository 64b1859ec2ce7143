package io.sluice.api.json;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sluice.record.RecordCursor;
import io.sluice.schema.SchemaLookup;
import io.sluice.schema.WireFormat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Writes records of one partition as the API's outgoing record shape,
 * {@code {"topic":"t","partition":0,"offset":5,"timestamp":1700000000000,"key":...,"value":...,"headers":{...}}},
 * into a Netty {@link ByteBuf}, for fetch responses and WebSocket {@code records} frames.
 *
 * <p>One writer serves one (topic, partition, format); the constant start of every record, up
 * to the offset, is encoded once when the writer is made. Writing a record in the json, text and
 * binary formats allocates nothing: bytes go from the batch's buffer to the output by absolute
 * positions (the typed formats decode each payload into a JSON tree).
 *
 * <p>How key and value bytes become JSON depends on the format:
 * <ul>
 *   <li>json: bytes produced in the json format (the record's attribute bit says so) are copied
 *       verbatim, the fast path. Other bytes are copied if they are one valid JSON value, else
 *       written as a JSON string of their UTF-8 decoding.
 *   <li>text: a JSON string of the bytes decoded as UTF-8; bytes that need no escaping are
 *       copied in bulk.
 *   <li>binary: a base64 string (standard alphabet, padded).
 * </ul>
 * In a typed format (avro, jsonschema, protobuf) keys and values in Confluent's wire format become
 * the JSON form of their payload, and the record also says {@code key_schema_id} and
 * {@code value_schema_id}; see {@link #writeTyped}.
 * Null is {@code null}. Header values are strings of their UTF-8 decoding in the json and text
 * formats and base64 in the binary format; header names are always UTF-8 strings.
 *
 * <p>Immutable and thread-safe.
 */
public final class RecordJsonWriter {
    private static final byte[] TIMESTAMP = ascii(",\"timestamp\":");
    private static final byte[] KEY = ascii(",\"key\":");
    private static final byte[] VALUE = ascii(",\"value\":");
    private static final byte[] HEADERS = ascii(",\"headers\":");
    private static final byte[] NULL = ascii("null");
    private static final byte[] EMPTY_HEADERS = ascii("{}");
    private static final byte[] MIN_LONG = ascii(Long.toString(Long.MIN_VALUE));
    private static final byte[] DIGIT_PAIRS = ascii(digitPairs());

    private static final byte[] KEY_SCHEMA_ID = ascii(",\"key_schema_id\":");
    private static final byte[] VALUE_SCHEMA_ID = ascii(",\"value_schema_id\":");
    private static final byte[] KEY_ERROR = ascii(",\"key_error\":");
    private static final byte[] VALUE_ERROR = ascii(",\"value_error\":");

    private final String topic;
    private final int partition;
    private final RecordFormat format;
    /** Where a typed format finds the schemas of the records it writes; null for the other formats. */
    private final SchemaLookup schemas;
    /** {@code {"topic":"<escaped topic>","partition":<n>,"offset":}, the start of every record. */
    private final byte[] prefix;

    /** A writer of a format without schemas (json, binary, text). */
    public RecordJsonWriter(String topic, int partition, RecordFormat format) {
        this(topic, partition, format, null);
    }

    /**
     * A writer of any format; a typed one (avro, jsonschema, protobuf) reads schemas from
     * {@code schemas}, which must then have parsed every schema id the records name that is to be
     * rendered as JSON ({@link io.sluice.schema.SchemaIds#load}).
     */
    public RecordJsonWriter(String topic, int partition, RecordFormat format, SchemaLookup schemas) {
        this.topic = Objects.requireNonNull(topic, "topic");
        this.partition = partition;
        this.format = Objects.requireNonNull(format, "format");
        if (format.typed() && schemas == null) {
            throw new IllegalArgumentException("the " + format.queryValue() + " format needs the schema registry");
        }
        this.schemas = schemas;
        ByteBuf p = Unpooled.buffer(32 + topic.length() * 3);
        p.writeBytes(ascii("{\"topic\":"));
        writeJsonString(p, topic);
        p.writeBytes(ascii(",\"partition\":"));
        writeLong(p, partition);
        p.writeBytes(ascii(",\"offset\":"));
        byte[] bytes = new byte[p.readableBytes()];
        p.readBytes(bytes);
        this.prefix = bytes;
    }

    public String topic() {
        return topic;
    }

    public int partition() {
        return partition;
    }

    public RecordFormat format() {
        return format;
    }

    /** Writes the cursor's current record as one JSON object, nothing before or after it. */
    public void write(ByteBuf out, RecordCursor record) {
        ByteBuffer buf = record.buffer();
        out.writeBytes(prefix);
        writeLong(out, record.offset());
        out.writeBytes(TIMESTAMP);
        writeLong(out, record.timestamp());
        out.writeBytes(KEY);
        if (schemas != null) {
            writeTyped(out, record, buf);
            return;
        }
        writeData(out, buf, record.keyPosition(), record.keySize(), record.keyIsJson());
        out.writeBytes(VALUE);
        writeData(out, buf, record.valuePosition(), record.valueSize(), record.valueIsJson());
        writeHeaders(out, record, buf);
        out.writeByte('}');
    }

    /**
     * The rest of a record in a typed format, from the key on: key and value as typed JSON
     * ({@link TypedValues}), headers as text, then {@code key_schema_id} and {@code value_schema_id}
     * (the id in the stored bytes' header, null for a null or non-wire-format key/value), and for a
     * key or value that could not be rendered, {@code key_error}/{@code value_error} saying why (its
     * bytes are then a base64 string).
     */
    private void writeTyped(ByteBuf out, RecordCursor record, ByteBuffer buf) {
        String keyError = writeTypedData(out, buf, record.keyPosition(), record.keySize());
        out.writeBytes(VALUE);
        String valueError = writeTypedData(out, buf, record.valuePosition(), record.valueSize());
        writeHeaders(out, record, buf);
        out.writeBytes(KEY_SCHEMA_ID);
        writeSchemaId(out, buf, record.keyPosition(), record.keySize());
        out.writeBytes(VALUE_SCHEMA_ID);
        writeSchemaId(out, buf, record.valuePosition(), record.valueSize());
        if (keyError != null) {
            out.writeBytes(KEY_ERROR);
            writeJsonString(out, keyError);
        }
        if (valueError != null) {
            out.writeBytes(VALUE_ERROR);
            writeJsonString(out, valueError);
        }
        out.writeByte('}');
    }

    private String writeTypedData(ByteBuf out, ByteBuffer buf, int pos, int size) {
        if (size < 0) {
            out.writeBytes(NULL);
            return null;
        }
        return TypedValues.write(out, buf, pos, size, schemas);
    }

    private static void writeSchemaId(ByteBuf out, ByteBuffer buf, int pos, int size) {
        int id = WireFormat.schemaId(buf, pos, size);
        if (id == WireFormat.NONE) {
            out.writeBytes(NULL);
        } else {
            writeLong(out, id);
        }
    }

    private void writeHeaders(ByteBuf out, RecordCursor record, ByteBuffer buf) {
        out.writeBytes(HEADERS);
        if (record.headerCount() == 0) {
            out.writeBytes(EMPTY_HEADERS);
        } else {
            // The header count varint sits right after the value bytes (see RecordBatch's layout).
            writeHeaders(out, buf, record.valuePosition() + Math.max(0, record.valueSize()), record.headerCount());
        }
    }

    /** Writes a key or value in this writer's format; {@code size} -1 is null. */
    private void writeData(ByteBuf out, ByteBuffer buf, int pos, int size, boolean producedAsJson) {
        if (size < 0) {
            out.writeBytes(NULL);
            return;
        }
        switch (format) {
            case JSON:
                if (producedAsJson || JsonValues.isJsonValue(buf, pos, size)) {
                    BufferCopy.copy(out, buf, pos, size);
                } else {
                    JsonStrings.writeUtf8(out, buf, pos, size);
                }
                return;
            case TEXT:
                JsonStrings.writeUtf8(out, buf, pos, size);
                return;
            case BINARY:
                Base64Writer.writeString(out, buf, pos, size);
                return;
            default:
                // (Typed formats take writeTyped.)
                throw new IllegalStateException("unknown format " + format);
        }
    }

    /**
     * Writes {@code {"name":"value",...}} from the encoded headers whose count varint starts at
     * {@code pos}. Walks them here rather than through {@link RecordCursor#forEachHeader}, which
     * allocates a reader and would need a capturing visitor on every record.
     */
    private void writeHeaders(ByteBuf out, ByteBuffer buf, int pos, int count) {
        int p = nextPosition(readVarint(buf, pos));
        out.writeByte('{');
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                out.writeByte(',');
            }
            long name = readVarint(buf, p);
            p = nextPosition(name);
            JsonStrings.writeUtf8(out, buf, p, (int) name);
            p += (int) name;
            out.writeByte(':');
            long value = readVarint(buf, p);
            p = nextPosition(value);
            int valueSize = (int) value;
            if (valueSize < 0) {
                out.writeBytes(NULL);
            } else {
                if (format == RecordFormat.BINARY) {
                    Base64Writer.writeString(out, buf, p, valueSize);
                } else {
                    JsonStrings.writeUtf8(out, buf, p, valueSize);
                }
                p += valueSize;
            }
        }
        out.writeByte('}');
    }

    /**
     * Decodes the zig-zag varint at {@code pos} (as {@code Varint.Reader} does), returning the
     * value in the low 32 bits and the position after it in the high 32, so that the header walk
     * keeps its cursor in a local. The cursor has already checked the record's structure.
     */
    private static long readVarint(ByteBuffer buf, int pos) {
        int raw = 0;
        int shift = 0;
        byte b;
        do {
            b = buf.get(pos++);
            raw |= (b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0 && shift < 35);
        int value = (raw >>> 1) ^ -(raw & 1);
        return (long) pos << 32 | (value & 0xFFFFFFFFL);
    }

    private static int nextPosition(long varint) {
        return (int) (varint >>> 32);
    }

    /**
     * Writes {@code s} as a JSON string literal in UTF-8, quotes included, escaping what JSON
     * requires; for envelopes such as error messages and topic names.
     */
    public static void writeJsonString(ByteBuf out, String s) {
        JsonStrings.writeString(out, s);
    }

    /** Writes {@code v} in decimal without creating a String; for offsets, timestamps and counts. */
    public static void writeLong(ByteBuf out, long v) {
        if (v == Long.MIN_VALUE) {
            out.writeBytes(MIN_LONG);
            return;
        }
        long a = Math.abs(v);
        int digits = digitCount(a);
        int size = v < 0 ? digits + 1 : digits;
        out.ensureWritable(size);
        int start = out.writerIndex();
        int i = start + size;
        // Two digits a step, from the right, through a table of "00".."99".
        while (a >= 100) {
            int pair = (int) (a % 100) << 1;
            a /= 100;
            out.setByte(--i, DIGIT_PAIRS[pair + 1]);
            out.setByte(--i, DIGIT_PAIRS[pair]);
        }
        if (a >= 10) {
            int pair = (int) a << 1;
            out.setByte(--i, DIGIT_PAIRS[pair + 1]);
            out.setByte(--i, DIGIT_PAIRS[pair]);
        } else {
            out.setByte(--i, (int) ('0' + a));
        }
        if (v < 0) {
            out.setByte(--i, '-');
        }
        out.writerIndex(start + size);
    }

    private static int digitCount(long a) {
        long limit = 10;
        for (int d = 1; d < 19; d++) {
            if (a < limit) {
                return d;
            }
            limit *= 10;
        }
        return 19;
    }

    private static String digitPairs() {
        StringBuilder sb = new StringBuilder(200);
        for (int i = 0; i < 100; i++) {
            sb.append((char) ('0' + i / 10)).append((char) ('0' + i % 10));
        }
        return sb.toString();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}

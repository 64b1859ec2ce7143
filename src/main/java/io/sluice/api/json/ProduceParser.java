package io.sluice.api.json;

import io.sluice.produce.ProducerRecord;
import io.sluice.schema.RequestSchema;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Turns what producers send into {@link ProducerRecord}s: an HTTP body
 * ({@code {"records":[...]}}, the Confluent REST v2 shape), one NDJSON line (a record object), or
 * a WebSocket produce frame (a record object or a {@code records} array, either with an optional
 * {@code context}).
 *
 * <p>A record object has the members {@code key}, {@code value}, {@code headers},
 * {@code timestamp}, {@code partition}, {@code producer_id}, {@code producer_epoch} and
 * {@code sequence}, all optional; JSON null stands for an absent member, and an absent key or
 * value is null. The {@link RecordFormat} decides how key and value become bytes: in the json
 * format the raw JSON text of the value is sliced out of the input (the returned records point
 * into the caller's array), in the text format a string's UTF-8 bytes, in the binary format a
 * base64 string's decoded bytes. Anything else (unknown or repeated members, wrong types, values
 * out of range, an empty {@code records}, trailing data) is refused with a
 * {@link ProduceParseException} whose message names the record and field.
 *
 * <p>In a typed format (avro, jsonschema, protobuf) a body or frame may also name the schemas of
 * its keys and values ({@link SchemaFields}); keys and values are then read as in the json format,
 * their JSON text kept for the schema to encode ({@link #parseSchemaBatch}).
 *
 * <p>Thread-safe: each call has its own Jackson parser from one shared {@link JsonFactory}.
 */
public final class ProduceParser {
    private final JsonFactory factory;

    public ProduceParser() {
        this.factory = JsonFactories.SHARED;
    }

    /**
     * Parses a produce body {@code {"records":[{...}, ...]}}.
     *
     * @return the records in order; never empty, unmodifiable
     * @throws ProduceParseException if the body is not such an object
     */
    public List<ProducerRecord> parseBatch(byte[] body, int offset, int length, RecordFormat format) {
        Objects.requireNonNull(format, "format");
        Objects.checkFromIndexSize(offset, length, body.length);
        // The common shape without a Jackson parser; anything else (and every error) takes Jackson's path.
        List<ProducerRecord> simple = SimpleBatchParser.tryParse(body, offset, length, format);
        if (simple != null) {
            return simple;
        }
        return parseBatchWithJackson(body, offset, length, format);
    }

    /** {@link #parseBatch} through Jackson, for any valid body; package-private for the tests that compare both. */
    List<ProducerRecord> parseBatchWithJackson(byte[] body, int offset, int length, RecordFormat format) {
        return parseBody(body, offset, length, format).records();
    }

    /**
     * Parses a typed produce body (REST Proxy v2's avro, jsonschema and protobuf formats):
     * {@code {"records":[...]}} with the optional members {@code key_schema}, {@code key_schema_id},
     * {@code value_schema} and {@code value_schema_id}. The records' keys and values keep their JSON
     * text, to be encoded with the schemas afterwards.
     *
     * @throws ProduceParseException if the body is not such an object
     * @throws IllegalArgumentException if {@code format} is not typed
     */
    public SchemaBatch parseSchemaBatch(byte[] body, int offset, int length, RecordFormat format) {
        if (!format.typed()) {
            throw new IllegalArgumentException(format + " is not a typed format");
        }
        Objects.checkFromIndexSize(offset, length, body.length);
        return parseBody(body, offset, length, format);
    }

    private SchemaBatch parseBody(byte[] body, int offset, int length, RecordFormat format) {
        JsonInput in = JsonInput.open(factory, body, offset, length, "body");
        try (in) {
            if (in.next() != JsonToken.START_OBJECT) {
                throw new ProduceParseException("body: expected a JSON object {\"records\":[...]}");
            }
            SchemaFields schemas = format.typed() ? new SchemaFields(in, "body") : null;
            List<ProducerRecord> records = null;
            while (in.next() == JsonToken.FIELD_NAME) {
                String name = in.name();
                if (!"records".equals(name)) {
                    if (schemas != null && schemas.readField(name)) {
                        continue;
                    }
                    throw new ProduceParseException("body: unknown field \"" + name + "\" (expected \"records\""
                            + (schemas != null ? " and " + SchemaFields.NAMES : "") + ")");
                }
                if (records != null) {
                    throw new ProduceParseException("body: duplicate field \"records\"");
                }
                in.next();
                records = readRecords(in, new RecordReader(in, format));
            }
            if (records == null) {
                throw new ProduceParseException("body: missing \"records\"");
            }
            in.expectEnd();
            return schemas == null ? new SchemaBatch(records, null, null) : new SchemaBatch(records, schemas.key(), schemas.value());
        } catch (IOException e) {
            throw in.invalidJson(e);
        }
    }

    /**
     * Parses one record object, such as a line of an {@code application/x-ndjson} body. Messages
     * call the input "record" and name fields without a prefix; a caller streaming lines adds
     * the line number to them.
     *
     * @throws ProduceParseException if the input is not one record object
     */
    public ProducerRecord parseRecord(byte[] data, int offset, int length, RecordFormat format) {
        Objects.requireNonNull(format, "format");
        JsonInput in = JsonInput.open(factory, data, offset, length, "record");
        try (in) {
            if (in.next() != JsonToken.START_OBJECT) {
                throw new ProduceParseException("record: expected a JSON object");
            }
            ProducerRecord record = readRecord(in, new RecordReader(in, format), -1);
            in.expectEnd();
            return record;
        } catch (IOException e) {
            throw in.invalidJson(e);
        }
    }

    /**
     * Parses a produce WebSocket frame: a record object with an optional {@code context} member,
     * or {@code {"records":[...],"context":...}}. The context may be any JSON value; its raw text
     * is kept for the answer.
     *
     * @throws ProduceParseException if the frame is neither, or mixes {@code records} with record fields
     */
    public ProduceFrame parseFrame(byte[] data, int offset, int length, RecordFormat format) {
        Objects.requireNonNull(format, "format");
        JsonInput in = JsonInput.open(factory, data, offset, length, "frame");
        try (in) {
            if (in.next() != JsonToken.START_OBJECT) {
                throw new ProduceParseException("frame: expected a JSON object");
            }
            // The root may be the record itself; a second reader walks a records array, so that
            // the root's own fields survive until they can be checked against it.
            RecordReader root = new RecordReader(in, format);
            root.start(-1);
            SchemaFields schemas = format.typed() ? new SchemaFields(in, "frame") : null;
            List<ProducerRecord> records = null;
            byte[] context = null;
            while (in.next() == JsonToken.FIELD_NAME) {
                String name = in.name();
                if ("records".equals(name)) {
                    if (records != null) {
                        throw new ProduceParseException("frame: duplicate field \"records\"");
                    }
                    in.next();
                    records = readRecords(in, new RecordReader(in, format));
                } else if ("context".equals(name)) {
                    if (context != null) {
                        throw new ProduceParseException("frame: duplicate field \"context\"");
                    }
                    in.next();
                    in.sliceValue();
                    context = Arrays.copyOfRange(in.data(), in.sliceStart, in.sliceEnd);
                } else if (!root.readField(name) && (schemas == null || !schemas.readField(name))) {
                    throw new ProduceParseException("frame: unknown field \"" + name
                            + "\" (a frame has records and context, or a record's " + RecordReader.FIELDS
                            + (schemas != null ? "; and " + SchemaFields.NAMES : "") + ")");
                }
            }
            in.expectEnd();
            RequestSchema keySchema = schemas == null ? null : schemas.key();
            RequestSchema valueSchema = schemas == null ? null : schemas.value();
            if (records == null) {
                return new ProduceFrame(List.of(root.finish()), context, keySchema, valueSchema);
            }
            if (root.hasFields()) {
                throw new ProduceParseException(
                        "frame: has both \"records\" and record fields; send either one record or a records array");
            }
            return new ProduceFrame(records, context, keySchema, valueSchema);
        } catch (IOException e) {
            throw in.invalidJson(e);
        }
    }

    /** Reads the array of record objects whose first token is current. */
    private static List<ProducerRecord> readRecords(JsonInput in, RecordReader reader) throws IOException {
        if (in.currentToken() != JsonToken.START_ARRAY) {
            throw new ProduceParseException("records: expected an array of record objects");
        }
        List<ProducerRecord> records = new ArrayList<>();
        JsonToken token;
        while ((token = in.next()) != JsonToken.END_ARRAY) {
            if (token != JsonToken.START_OBJECT) {
                throw new ProduceParseException("records[" + records.size() + "]: expected a record object");
            }
            records.add(readRecord(in, reader, records.size()));
        }
        if (records.isEmpty()) {
            throw new ProduceParseException("records: expected at least one record");
        }
        return Collections.unmodifiableList(records);
    }

    /** Reads the members of the record object whose START_OBJECT is current. */
    private static ProducerRecord readRecord(JsonInput in, RecordReader reader, int index) throws IOException {
        reader.start(index);
        while (in.next() == JsonToken.FIELD_NAME) {
            String name = in.name();
            if (!reader.readField(name)) {
                throw reader.unknownField(name);
            }
        }
        return reader.finish();
    }
}

package io.sluice.schema.avro;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.io.JsonDecoder;
import org.apache.avro.io.JsonEncoder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * One thread's Avro reader, writer, decoders and encoders for one schema. Building them per record
 * (a JSON decoder compiles the schema into a grammar; a datum reader resolves it) cost more than
 * the record itself on the typed produce path, so each event loop keeps its own and reconfigures
 * them for the next input. Not thread-safe: {@link AvroSchema} hands each thread its own.
 */
final class AvroCodecs {
    private final Schema schema;
    final GenericDatumReader<Object> reader;
    final GenericDatumWriter<Object> writer;
    private BinaryDecoder binaryDecoder;
    private JsonDecoder jsonDecoder;
    private JsonEncoder jsonEncoder;
    private BinaryEncoder binaryEncoder;
    /** Grows to the largest value written; reset before each. */
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

    AvroCodecs(Schema schema) {
        this.schema = schema;
        this.reader = new GenericDatumReader<>(schema);
        this.writer = new GenericDatumWriter<>(schema);
    }

    BinaryDecoder binary(byte[] bytes, int offset, int length) {
        binaryDecoder = DecoderFactory.get().binaryDecoder(bytes, offset, length, binaryDecoder);
        return binaryDecoder;
    }

    JsonDecoder json(String text) throws IOException {
        if (jsonDecoder == null) {
            jsonDecoder = DecoderFactory.get().jsonDecoder(schema, text);
        } else {
            jsonDecoder.configure(text);
        }
        return jsonDecoder;
    }

    JsonDecoder json(java.io.InputStream in) throws IOException {
        if (jsonDecoder == null) {
            jsonDecoder = DecoderFactory.get().jsonDecoder(schema, in);
        } else {
            jsonDecoder.configure(in);
        }
        return jsonDecoder;
    }

    /** The binary encoding of {@code datum}. */
    byte[] toBinary(Object datum) throws IOException {
        out.reset();
        binaryEncoder = EncoderFactory.get().binaryEncoder(out, binaryEncoder);
        writer.write(datum, binaryEncoder);
        binaryEncoder.flush();
        return out.toByteArray();
    }

    /** Avro's JSON encoding of {@code datum}, as UTF-8. */
    byte[] toJson(Object datum) throws IOException {
        out.reset();
        if (jsonEncoder == null) {
            jsonEncoder = EncoderFactory.get().jsonEncoder(schema, out);
        } else {
            jsonEncoder.configure(out);
        }
        writer.write(datum, jsonEncoder);
        jsonEncoder.flush();
        return out.toByteArray();
    }
}

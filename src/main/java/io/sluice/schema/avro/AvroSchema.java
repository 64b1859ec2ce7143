package io.sluice.schema.avro;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.schema.InvalidPayloadException;
import io.sluice.schema.ParsedSchema;
import io.sluice.schema.SchemaReference;
import io.sluice.schema.SchemaType;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.io.BinaryDecoder;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * One Avro schema, parsed, with the named types it references. Its canonical string is Avro's
 * {@code toString()} of the schema with referenced types named, not inlined (what Confluent compares);
 * payloads are Avro's binary encoding, and the JSON form is Avro's JSON encoding (unions as
 * {@code {"type": value}}), as Confluent REST Proxy v2 takes and gives it.
 */
public final class AvroSchema implements ParsedSchema {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Schema schema;
    private final String original;
    private final List<SchemaReference> references;
    /** The referenced named types, parsed before this schema. */
    private final List<Schema> referenced;
    private final String canonical;
    private final ThreadLocal<AvroCodecs> codecs;

    AvroSchema(Schema schema, String original, List<SchemaReference> references, List<Schema> referenced) {
        this(schema, original, references, referenced, referenced.isEmpty() ? schema.toString() : schema.toString(referenced, false));
    }

    private AvroSchema(Schema schema, String original, List<SchemaReference> references, List<Schema> referenced,
                       String canonical) {
        this.schema = schema;
        this.original = original;
        this.references = List.copyOf(references);
        this.referenced = List.copyOf(referenced);
        this.canonical = canonical;
        this.codecs = ThreadLocal.withInitial(() -> new AvroCodecs(schema));
    }

    /** Avro's own form of this schema. */
    public Schema avro() {
        return schema;
    }

    @Override
    public SchemaType type() {
        return SchemaType.AVRO;
    }

    @Override
    public String originalString() {
        return original;
    }

    @Override
    public String canonicalString() {
        return canonical;
    }

    /**
     * Avro's Parsing Canonical Form (full names, a fixed attribute order, no docs), keeping what
     * Confluent's normalisation keeps beyond it: defaults, aliases, field order, logical types and
     * custom properties, each object's further attributes in name order.
     */
    @Override
    public ParsedSchema normalize() {
        String normalized = AvroNormalForm.of(canonical);
        return new AvroSchema(schema, normalized, references, referenced, normalized);
    }

    @Override
    public List<SchemaReference> references() {
        return references;
    }

    @Override
    public String recordName() {
        return switch (schema.getType()) {
            case RECORD, ENUM, FIXED -> schema.getFullName();
            default -> null;
        };
    }

    @Override
    public List<String> readerIncompatibilities(ParsedSchema writer) {
        if (!(writer instanceof AvroSchema w)) {
            return List.of("Incompatible because of different schema type: " + writer.type() + " to AVRO");
        }
        SchemaCompatibility.SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(schema, w.schema);
        List<String> messages = new ArrayList<>();
        for (SchemaCompatibility.Incompatibility i : result.getResult().getIncompatibilities()) {
            messages.add("{errorType:'" + i.getType() + "', description:'" + i.getMessage() + "', location:'"
                    + i.getLocation() + "'}");
        }
        return messages;
    }

    @Override
    public void validate(ByteBuffer payload) throws InvalidPayloadException {
        decode(payload);
    }

    private Object decode(ByteBuffer payload) throws InvalidPayloadException {
        ByteBuffer bytes = payload.slice();
        byte[] array;
        int offset;
        if (bytes.hasArray()) {
            array = bytes.array();
            offset = bytes.arrayOffset() + bytes.position();
        } else {
            array = new byte[bytes.remaining()];
            bytes.get(array);
            bytes.rewind();
            offset = 0;
        }
        AvroCodecs c = codecs.get();
        BinaryDecoder decoder = c.binary(array, offset, bytes.remaining());
        try {
            Object datum = c.reader.read(null, decoder);
            if (!decoder.isEnd()) {
                throw new InvalidPayloadException("the payload has bytes after the Avro value of schema " + describe());
            }
            return datum;
        } catch (EOFException e) {
            throw new InvalidPayloadException("the payload ends inside the Avro value of schema " + describe(), e);
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | NegativeArraySizeException
                 | ClassCastException | UnsupportedOperationException e) {
            throw new InvalidPayloadException("the payload is not an Avro value of schema " + describe() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] fromJson(JsonNode value) throws InvalidPayloadException {
        try {
            AvroCodecs c = codecs.get();
            Object datum = c.reader.read(null, c.json(JSON.writeValueAsString(value)));
            return c.toBinary(datum);
        } catch (IOException | AvroRuntimeException | ClassCastException | NullPointerException e) {
            throw new InvalidPayloadException("the JSON value does not match Avro schema " + describe() + ": " + e.getMessage(), e);
        }
    }

    /**
     * All of {@code texts} through one JSON decoder: Avro's builds a JSON factory and parser for every
     * input it is given, which cost several times a small value's decoding, so the values of a
     * request are read as one input of whitespace-separated values. The texts come from a JSON
     * parser (each exactly one value), and Avro's decoder reads values by their structure, so a
     * value never runs into the next.
     */
    @Override
    public List<byte[]> fromJsonTexts(List<ByteBuffer> texts) throws InvalidPayloadException {
        int total = 0;
        for (ByteBuffer t : texts) {
            total += t.remaining() + 1;
        }
        byte[] all = new byte[total];
        int p = 0;
        for (ByteBuffer t : texts) {
            int n = t.remaining();
            t.duplicate().get(all, p, n);
            all[p + n] = '\n';
            p += n + 1;
        }
        AvroCodecs c = codecs.get();
        List<byte[]> out = new ArrayList<>(texts.size());
        org.apache.avro.io.JsonDecoder decoder;
        try {
            decoder = c.json(new java.io.ByteArrayInputStream(all));
        } catch (IOException e) {
            throw new InvalidPayloadException("not one JSON value: " + e.getMessage(), e).at(0);
        }
        for (int i = 0; i < texts.size(); i++) {
            try {
                out.add(c.toBinary(c.reader.read(null, decoder)));
            } catch (IOException | AvroRuntimeException | ClassCastException | NullPointerException e) {
                throw new InvalidPayloadException("the JSON value does not match Avro schema " + describe() + ": "
                        + e.getMessage(), e).at(i);
            }
        }
        return out;
    }

    @Override
    public JsonNode toJson(ByteBuffer payload) throws InvalidPayloadException {
        Object datum = decode(payload);
        try {
            return JSON.readTree(codecs.get().toJson(datum));
        } catch (IOException | AvroRuntimeException e) {
            throw new InvalidPayloadException("the payload could not be written as JSON of schema " + describe() + ": "
                    + e.getMessage(), e);
        }
    }

    private String describe() {
        String name = recordName();
        return name != null ? name : schema.getType().getName();
    }

    @Override
    public String toString() {
        return canonical;
    }
}

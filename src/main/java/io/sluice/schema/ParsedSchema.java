package io.sluice.schema;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * One schema parsed in its language, with its references resolved: what the registry needs to
 * identify it, check compatibility, and what validation and typed JSON need to read and write
 * payloads. Implementations are immutable and thread-safe, so one instance is cached per schema id
 * and shared by every event loop.
 *
 * <p>A payload here is what follows Confluent's wire-format header (magic byte 0 and the 4-byte
 * schema id): for Protobuf that begins with the message indexes, which only the Protobuf schema can
 * interpret.
 */
public interface ParsedSchema {

    SchemaType type();

    /** The schema text as the client registered it (Confluent returns it unchanged). */
    String originalString();

    /**
     * The form two registrations are compared by: identical canonical strings share one schema id.
     * Formatting and (for Avro) doc-free canonical forms as Confluent's canonicalisation does.
     */
    String canonicalString();

    /**
     * This schema rewritten to Confluent's normalized form ({@code normalize=true}): semantically
     * equal schemas written differently (field order of JSON objects, Protobuf option order, ...)
     * get the same canonical string.
     */
    ParsedSchema normalize();

    List<SchemaReference> references();

    /**
     * The name RecordNameStrategy and TopicRecordNameStrategy use: Avro's record full name, the
     * first Protobuf message's full name, a JSON Schema's {@code title}; null when there is none.
     */
    String recordName();

    /**
     * Why data written with {@code writer} cannot be read with this schema (as reader), one message
     * per incompatibility, saying what broke and where; empty when it can. BACKWARD asks the new
     * schema this about the old one, FORWARD the old one about the new one.
     */
    List<String> readerIncompatibilities(ParsedSchema writer);

    /**
     * This schema in one of Confluent's alternative forms, asked for with {@code ?format=} on the
     * registry's schema reads ({@code serialized}: a Protobuf schema as a base64
     * {@code FileDescriptorProto}, which Confluent's serializers in other languages read); null for a
     * format this type does not have, which the registry answers with the schema as registered.
     */
    default String formatted(String format) {
        return null;
    }

    /** Decodes a payload fully, so that nothing the schema refuses is stored. */
    void validate(ByteBuffer payload) throws InvalidPayloadException;

    /** Encodes a JSON value (Confluent REST Proxy v2's JSON form for this type) into a payload. */
    byte[] fromJson(JsonNode value) throws InvalidPayloadException;

    /**
     * Encodes JSON texts (UTF-8, one value each, as a request carries them) into payloads, in order.
     * The default reads each into a tree for {@link #fromJson}; a language whose JSON decoder costs
     * more to set up than a small value costs to decode (Avro's) reads a request's values with one.
     *
     * @throws InvalidPayloadException for the first text that is not one JSON value or that the
     *                                 schema refuses, with its {@link InvalidPayloadException#index() index}
     */
    default List<byte[]> fromJsonTexts(List<ByteBuffer> texts) throws InvalidPayloadException {
        List<byte[]> out = new java.util.ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            try {
                out.add(fromJson(JsonTexts.read(texts.get(i))));
            } catch (InvalidPayloadException e) {
                throw e.at(i);
            }
        }
        return out;
    }

    /** Decodes a payload into the JSON form {@link #fromJson} takes. */
    JsonNode toJson(ByteBuffer payload) throws InvalidPayloadException;
}

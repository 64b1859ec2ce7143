package io.sluice.api.json;

import io.sluice.schema.SchemaType;

import java.util.Locale;
import java.util.Optional;

/**
 * How record keys, values and header values map to JSON on the wire, as in Confluent REST v2 and
 * Strimzi: {@code json} stores any JSON value as its UTF-8 JSON text, {@code binary} carries base64
 * strings of raw bytes, {@code text} carries strings stored as raw UTF-8. The typed formats
 * ({@code avro}, {@code jsonschema}, {@code protobuf}, REST Proxy v2's embedded formats) carry JSON
 * values that the node encodes with a registered schema and stores in Confluent's wire format, and
 * turns back into JSON on the way out; their {@link #schemaType()} is the schema language.
 *
 * <p>Owns the mapping from HTTP content types and from the sockets' {@code format=} query
 * parameter to a format; nothing else in the API parses those names.
 */
public enum RecordFormat {
    JSON(null),
    BINARY(null),
    TEXT(null),
    AVRO(SchemaType.AVRO),
    JSONSCHEMA(SchemaType.JSON),
    PROTOBUF(SchemaType.PROTOBUF);

    private final SchemaType schemaType;

    RecordFormat(SchemaType schemaType) {
        this.schemaType = schemaType;
    }

    /** The schema language of a typed format, or null for json, binary and text. */
    public SchemaType schemaType() {
        return schemaType;
    }

    /** Whether keys and values are schema-encoded (avro, jsonschema, protobuf). */
    public boolean typed() {
        return schemaType != null;
    }

    private static final Optional<RecordFormat> SOME_JSON = Optional.of(JSON);
    private static final Optional<RecordFormat> SOME_BINARY = Optional.of(BINARY);
    private static final Optional<RecordFormat> SOME_TEXT = Optional.of(TEXT);

    /**
     * The format of a produce body with this {@code Content-Type}. Parameters ({@code ; charset=utf-8})
     * are ignored and media types compare case-insensitively; a missing or blank type means JSON.
     * {@code application/x-ndjson} also maps to JSON: its lines are JSON-format record objects, and
     * the framing is the HTTP layer's concern.
     *
     * @return the format, or empty for a media type that carries no records, which the HTTP layer
     *         answers with 415 Unsupported Media Type
     */
    public static Optional<RecordFormat> fromContentType(String contentType) {
        // (The type nearly every producer sends, matched before any parsing: this runs per request.)
        if (contentType == null || contentType.equals("application/json") || contentType.isBlank()) {
            return SOME_JSON;
        }
        int semicolon = contentType.indexOf(';');
        String mediaType = (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
                .trim().toLowerCase(Locale.ROOT);
        switch (mediaType) {
            case "application/json":
            case "application/vnd.kafka.json.v2+json":
            case "application/x-ndjson":
                return SOME_JSON;
            case "application/vnd.kafka.binary.v2+json":
                return SOME_BINARY;
            case "application/vnd.kafka.text.v2+json":
                return SOME_TEXT;
            case "application/vnd.kafka.avro.v2+json":
                return Optional.of(AVRO);
            case "application/vnd.kafka.jsonschema.v2+json":
                return Optional.of(JSONSCHEMA);
            case "application/vnd.kafka.protobuf.v2+json":
                return Optional.of(PROTOBUF);
            default:
                return Optional.empty();
        }
    }

    /**
     * The format named by a {@code format=} query parameter ({@code json}, {@code binary},
     * {@code text}, {@code avro}, {@code jsonschema} or {@code protobuf}, any case); an absent
     * parameter means JSON.
     *
     * @throws IllegalArgumentException for any other value, with a message fit for a 400 answer
     */
    public static RecordFormat fromQuery(String value) {
        if (value == null) {
            return JSON;
        }
        switch (value.toLowerCase(Locale.ROOT)) {
            case "json":
                return JSON;
            case "binary":
                return BINARY;
            case "text":
                return TEXT;
            case "avro":
                return AVRO;
            case "jsonschema":
                return JSONSCHEMA;
            case "protobuf":
                return PROTOBUF;
            default:
                throw new IllegalArgumentException(
                        "format must be one of json, binary, text, avro, jsonschema, protobuf (got \"" + value + "\")");
        }
    }

    /** The name used in the {@code format=} query parameter. */
    public String queryValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}

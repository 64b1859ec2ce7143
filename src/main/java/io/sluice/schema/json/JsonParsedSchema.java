package io.sluice.schema.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import io.sluice.schema.InvalidPayloadException;
import io.sluice.schema.InvalidSchemaException;
import io.sluice.schema.ParsedSchema;
import io.sluice.schema.SchemaReference;
import io.sluice.schema.SchemaType;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A JSON Schema with its references, compiled once by the validator. A payload is UTF-8 JSON that
 * the schema accepts; the canonical form is the document written compactly (Confluent's), the
 * normalized one the same with every object's keys sorted.
 */
public final class JsonParsedSchema implements ParsedSchema {

    private static final JsonMapper SORTED = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private final String original;
    private final JsonSchemaDocuments documents;
    private final Schema compiled;
    private final List<SchemaReference> references;
    private final String canonical;

    JsonParsedSchema(String original, JsonSchemaDocuments documents, Schema compiled, List<SchemaReference> references) {
        this.original = original;
        this.documents = documents;
        this.compiled = compiled;
        this.references = references;
        this.canonical = documents.root().toString();
    }

    @Override
    public SchemaType type() {
        return SchemaType.JSON;
    }

    @Override
    public String originalString() {
        return original;
    }

    @Override
    public String canonicalString() {
        return canonical;
    }

    @Override
    public ParsedSchema normalize() {
        String sorted = sortedKeys(documents.root());
        if (sorted.equals(canonical)) {
            return this;
        }
        try {
            JsonSchemaDocuments normalized = JsonSchemaDocuments.parse(sorted, documents.texts());
            return new JsonParsedSchema(sorted, normalized, JsonSchemaProvider.compile(normalized), references);
        } catch (InvalidSchemaException e) {
            // Sorting keys changes no meaning, so a schema that compiled compiles again.
            throw new IllegalStateException("normalized JSON Schema no longer compiles", e);
        }
    }

    private static String sortedKeys(JsonNode node) {
        try {
            Object plain = SORTED.treeToValue(node, Object.class);
            return SORTED.writeValueAsString(plain);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public List<SchemaReference> references() {
        return references;
    }

    @Override
    public String recordName() {
        JsonNode title = documents.root().path("title");
        return title.isTextual() ? title.asText() : null;
    }

    @Override
    public List<String> readerIncompatibilities(ParsedSchema writer) {
        if (!(writer instanceof JsonParsedSchema w)) {
            return List.of("Incompatible because of different schema type: " + writer.type() + " to " + type());
        }
        List<String> messages = new ArrayList<>();
        List<JsonSchemaDifference> differences;
        try {
            differences = JsonSchemaDiff.compare(w.documents, documents);
        } catch (StackOverflowError e) {
            return List.of("the schemas are nested too deeply to compare");
        }
        for (JsonSchemaDifference d : differences) {
            if (!d.change().compatible()) {
                messages.add(d.toString());
            }
        }
        return messages;
    }

    JsonSchemaDocuments documents() {
        return documents;
    }

    @Override
    public void validate(ByteBuffer payload) throws InvalidPayloadException {
        check(parse(payload));
    }

    @Override
    public byte[] fromJson(JsonNode value) throws InvalidPayloadException {
        if (value == null) {
            throw new InvalidPayloadException("no JSON value to encode");
        }
        check(value);
        try {
            return JsonSchemaDocuments.JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new InvalidPayloadException("the JSON value cannot be written: " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public JsonNode toJson(ByteBuffer payload) throws InvalidPayloadException {
        return parse(payload);
    }

    private void check(JsonNode value) throws InvalidPayloadException {
        if (depth(value) > JsonSchemaDocuments.MAX_DEPTH) {
            throw new InvalidPayloadException("the JSON nests deeper than " + JsonSchemaDocuments.MAX_DEPTH + " levels");
        }
        List<Error> errors;
        try {
            errors = compiled.validate(value);
        } catch (StackOverflowError e) {
            throw new InvalidPayloadException("the JSON nests too deeply for its recursive JSON Schema");
        }
        if (!errors.isEmpty()) {
            throw new InvalidPayloadException("the JSON does not match its JSON Schema"
                    + (recordName() == null ? "" : " '" + recordName() + "'") + ": "
                    + JsonSchemaProvider.describe(errors));
        }
    }

    /** Nesting depth, counted without recursion (a value handed to fromJson was parsed by someone else's limits). */
    private static int depth(JsonNode root) {
        int max = 0;
        java.util.ArrayDeque<JsonNode> nodes = new java.util.ArrayDeque<>();
        java.util.ArrayDeque<Integer> depths = new java.util.ArrayDeque<>();
        nodes.push(root);
        depths.push(0);
        while (!nodes.isEmpty()) {
            JsonNode n = nodes.pop();
            int d = depths.pop();
            if (!n.isContainerNode()) {
                continue;
            }
            max = Math.max(max, d + 1);
            if (max > JsonSchemaDocuments.MAX_DEPTH) {
                return max;
            }
            for (JsonNode child : n) {
                nodes.push(child);
                depths.push(d + 1);
            }
        }
        return max;
    }

    private static JsonNode parse(ByteBuffer payload) throws InvalidPayloadException {
        ByteBuffer view = payload.duplicate();
        try {
            JsonNode node;
            if (view.hasArray()) {
                node = JsonSchemaDocuments.JSON.readTree(view.array(), view.arrayOffset() + view.position(), view.remaining());
            } else {
                byte[] bytes = new byte[view.remaining()];
                view.get(bytes);
                node = JsonSchemaDocuments.JSON.readTree(bytes);
            }
            if (node == null || node.isMissingNode()) {
                throw new InvalidPayloadException("the payload is empty, not JSON");
            }
            return node;
        } catch (StreamConstraintsException e) {
            throw new InvalidPayloadException("the JSON nests deeper than " + JsonSchemaDocuments.MAX_DEPTH + " levels", e);
        } catch (JsonProcessingException e) {
            // The parser's own message quotes the offending text: keep only where it failed.
            String at = e.getLocation() == null ? "" : " (at byte " + e.getLocation().getByteOffset() + ")";
            throw new InvalidPayloadException("the payload is not UTF-8 JSON" + at, e);
        } catch (IOException e) {
            throw new InvalidPayloadException("the payload is not UTF-8 JSON", e);
        }
    }
}

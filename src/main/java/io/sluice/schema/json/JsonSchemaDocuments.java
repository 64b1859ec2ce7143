package io.sluice.schema.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.schema.InvalidSchemaException;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A JSON Schema and the documents its {@code $ref}s name, parsed once: the one place that decides
 * which text an absolute {@code $ref} IRI stands for, used both by the validator's loader and by the
 * compatibility walker. The registry keys referenced schemas by the reference name, which is the
 * {@code $ref} as written (an absolute URL, or a relative one such as {@code address.json}); a
 * relative one is found by the tail of the IRI it resolves to against the root's base.
 */
final class JsonSchemaDocuments {

    /** Base of a root without {@code $id}: relative references resolve against it, and nothing is fetched. */
    static final String DEFAULT_BASE = "https://sluice.invalid/schema.json";

    /**
     * How deep schemas and payloads may nest. The validator and the compatibility walker recurse
     * once per level (more for recursive schemas), so the parser refuses what would overflow a stack.
     */
    static final int MAX_DEPTH = 200;

    static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
            .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private final JsonNode root;
    private final String baseIri;
    private final Map<String, String> texts;
    private final Map<String, JsonNode> nodes;

    private JsonSchemaDocuments(JsonNode root, Map<String, String> texts, Map<String, JsonNode> nodes) {
        this.root = root;
        this.texts = texts;
        this.nodes = nodes;
        JsonNode id = root.path("$id");
        if (!id.isTextual()) {
            id = root.path("id"); // draft 4 spells it without the dollar
        }
        this.baseIri = id.isTextual() && id.asText().contains(":") ? id.asText() : DEFAULT_BASE;
    }

    static JsonSchemaDocuments parse(String schema, Map<String, String> resolved) throws InvalidSchemaException {
        JsonNode root = readSchema(schema, "the schema");
        Map<String, JsonNode> nodes = new LinkedHashMap<>();
        for (Map.Entry<String, String> ref : resolved.entrySet()) {
            nodes.put(ref.getKey(), readSchema(ref.getValue(), "the referenced schema '" + ref.getKey() + "'"));
        }
        return new JsonSchemaDocuments(root, Collections.unmodifiableMap(new LinkedHashMap<>(resolved)),
                Collections.unmodifiableMap(nodes));
    }

    private static JsonNode readSchema(String text, String what) throws InvalidSchemaException {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new InvalidSchemaException("Invalid JSON Schema: " + what + " is not JSON: "
                    + e.getOriginalMessage(), e);
        }
        if (node == null || !(node.isObject() || node.isBoolean())) {
            throw new InvalidSchemaException("Invalid JSON Schema: " + what + " must be a JSON object or a boolean");
        }
        return node;
    }

    JsonNode root() {
        return root;
    }

    String baseIri() {
        return baseIri;
    }

    Map<String, String> texts() {
        return texts;
    }

    /** The text of the referenced document an absolute IRI (without fragment) names, or null. */
    String textFor(String iri) {
        String key = keyFor(iri);
        return key == null ? null : texts.get(key);
    }

    /** The parsed referenced document an absolute IRI (without fragment) names, or null. */
    JsonNode nodeFor(String iri) {
        String key = keyFor(iri);
        return key == null ? null : nodes.get(key);
    }

    private String keyFor(String iri) {
        if (texts.containsKey(iri)) {
            return iri;
        }
        String best = null;
        for (String name : texts.keySet()) {
            // A relative name matches the tail of the IRI it resolved to ("address.json" ~ ".../address.json").
            if (iri.endsWith("/" + name) && (best == null || name.length() > best.length())) {
                best = name;
            }
        }
        return best;
    }
}

package io.sluice.schema.avro;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeMap;

/**
 * The normalized text of an Avro schema ({@code normalize=true}): Avro's Parsing Canonical Form
 * rules (names made full, the attributes {@code name, type, fields, symbols, items, values, size}
 * first in that order, {@code doc} dropped, a primitive written as its bare name) applied to the
 * schema's JSON, while keeping what changes what a schema means to a reader (defaults, aliases,
 * {@code order}, logical types and other properties), those in name order after the others.
 * Two schemas written differently but meaning the same get the same text.
 */
final class AvroNormalForm {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Primitive type names, and the complex types' keywords a {@code type} attribute holds: never namespaced. */
    private static final List<String> PRIMITIVES = List.of("null", "boolean", "int", "long", "float", "double", "bytes",
            "string", "record", "error", "enum", "array", "map", "fixed");
    private static final List<String> FIRST = List.of("name", "type", "fields", "symbols", "items", "values", "size");

    private AvroNormalForm() {
    }

    static String of(String schemaJson) {
        try {
            return JSON.writeValueAsString(normalize(JSON.readTree(schemaJson), null));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("an Avro schema that Avro printed does not read back: " + e.getMessage(), e);
        }
    }

    private static JsonNode normalize(JsonNode node, String namespace) {
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            node.forEach(n -> out.add(normalize(n, namespace)));
            return out;
        }
        if (node.isTextual()) {
            String name = node.asText();
            return PRIMITIVES.contains(name) || name.contains(".") || namespace == null || namespace.isEmpty()
                    ? node : new TextNode(namespace + "." + name);
        }
        if (!node.isObject()) {
            return node;
        }
        ObjectNode in = (ObjectNode) node;
        if (in.size() == 1 && in.has("type") && in.get("type").isTextual()) {
            return in.get("type");
        }
        String ns = in.has("namespace") ? in.get("namespace").asText() : namespace;
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        boolean named = in.has("type") && in.get("type").isTextual()
                && List.of("record", "error", "enum", "fixed").contains(in.get("type").asText());
        for (String key : FIRST) {
            JsonNode v = in.get(key);
            if (v == null) {
                continue;
            }
            if (key.equals("name") && named) {
                String name = v.asText();
                out.set("name", new TextNode(name.contains(".") || ns == null || ns.isEmpty() ? name : ns + "." + name));
            } else if (key.equals("fields")) {
                String inner = named ? fullNamespace(out.get("name").asText()) : ns;
                ArrayNode fields = JsonNodeFactory.instance.arrayNode();
                for (JsonNode f : v) {
                    fields.add(field(f, inner));
                }
                out.set("fields", fields);
            } else if (key.equals("type") || key.equals("items") || key.equals("values")) {
                String inner = named && out.has("name") ? fullNamespace(out.get("name").asText()) : ns;
                out.set(key, normalize(v, inner));
            } else {
                out.set(key, v);
            }
        }
        rest(in, out);
        return out;
    }

    private static JsonNode field(JsonNode f, String namespace) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.set("name", f.get("name"));
        out.set("type", normalize(f.get("type"), namespace));
        rest((ObjectNode) f, out);
        return out;
    }

    /** The attributes not written yet, in name order, without docs and namespaces (names are full now). */
    private static void rest(ObjectNode in, ObjectNode out) {
        TreeMap<String, JsonNode> others = new TreeMap<>();
        Iterator<String> names = in.fieldNames();
        while (names.hasNext()) {
            String k = names.next();
            if (!out.has(k) && !FIRST.contains(k) && !k.equals("doc") && !k.equals("namespace")) {
                JsonNode v = in.get(k);
                if (k.equals("aliases") && v.isArray()) {
                    List<String> sorted = new ArrayList<>();
                    v.forEach(a -> sorted.add(a.asText()));
                    sorted.sort(null);
                    ArrayNode a = JsonNodeFactory.instance.arrayNode();
                    sorted.forEach(a::add);
                    v = a;
                }
                others.put(k, v);
            }
        }
        others.forEach(out::set);
    }

    private static String fullNamespace(String fullName) {
        int dot = fullName.lastIndexOf('.');
        return dot < 0 ? "" : fullName.substring(0, dot);
    }
}

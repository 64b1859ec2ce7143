package io.sluice.schema.json;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * What one (sub)schema says a value is, seen the way Confluent's JSON Schema rules see it: a single
 * kind (string, number, object, ...), an enum or const, a negation, or a combination (allOf, anyOf,
 * oneOf) of such shapes. A {@code type} array is an anyOf of its types; several independent keyword
 * groups in one schema ({@code type} with {@code enum}, {@code properties} with {@code oneOf}) are an
 * allOf of them. {@code $ref}s are followed, locally and into the referenced documents.
 */
final class JsonSchemaShape {

    enum Kind { FALSE, EMPTY, COMBINED, NOT, ENUM, CONST, STRING, NUMBER, BOOLEAN, NULL, OBJECT, ARRAY }

    /** A schema node and the document it sits in (for the $refs inside it). */
    record Located(JsonNode node, Doc doc) {
    }

    /** A schema document: its root, and the base IRI its relative $refs resolve against. */
    record Doc(JsonNode root, String base, JsonSchemaDocuments documents) {
    }

    private static final int MAX_REF_CHAIN = 64;

    final Kind kind;
    final Located at;
    /** For NUMBER: whether {@code type} says integer. */
    final boolean integer;
    /** For COMBINED: allOf, anyOf or oneOf. */
    final String criterion;
    /** For COMBINED: the branches. */
    final List<JsonSchemaShape> branches;
    /**
     * For COMBINED: what made it (the keyword, "type" for a type array, "inferred", or "keywords" for
     * several keyword groups of one schema), since one node can yield several combinations.
     */
    final String source;

    private JsonSchemaShape(Kind kind, Located at, boolean integer, String criterion, List<JsonSchemaShape> branches,
                            String source) {
        this.kind = kind;
        this.at = at;
        this.integer = integer;
        this.criterion = criterion;
        this.branches = branches;
        this.source = source;
    }

    private static JsonSchemaShape of(Kind kind, Located at) {
        return new JsonSchemaShape(kind, at, false, null, List.of(), null);
    }

    private static JsonSchemaShape combined(String criterion, List<JsonSchemaShape> branches, Located at, String source) {
        return new JsonSchemaShape(Kind.COMBINED, at, false, criterion, List.copyOf(branches), source);
    }

    /** Identifies this shape of this very node (not an equal one), for cycle detection and memoization. */
    List<Object> identity() {
        return List.of(new Identity(at.node()), kind, integer, source == null ? "" : source);
    }

    private record Identity(Object node) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Identity other && other.node == node;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(node);
        }
    }

    /** The shape of a schema node; null for null (no schema at all). */
    static JsonSchemaShape of(Located located) {
        if (located == null) {
            return null;
        }
        Located s = deref(located);
        JsonNode n = s.node();
        if (n.isBoolean()) {
            return of(n.asBoolean() ? Kind.EMPTY : Kind.FALSE, s);
        }
        if (!n.isObject()) {
            return of(Kind.EMPTY, s);
        }
        List<JsonSchemaShape> parts = new ArrayList<>();
        JsonNode type = n.get("type");
        if (type != null && type.isTextual()) {
            parts.add(typed(type.asText(), s));
        } else if (type != null && type.isArray()) {
            List<JsonSchemaShape> types = new ArrayList<>();
            for (JsonNode t : type) {
                types.add(typed(t.asText(), s));
            }
            parts.add(types.size() == 1 ? types.get(0) : combined("anyOf", types, s, "type"));
        } else {
            List<JsonSchemaShape> inferred = inferredFromKeywords(s);
            if (inferred.size() == 1) {
                parts.add(inferred.get(0));
            } else if (inferred.size() > 1) {
                parts.add(combined("anyOf", inferred, s, "inferred"));
            }
        }
        if (n.has("enum")) {
            parts.add(of(Kind.ENUM, s));
        }
        if (n.has("const")) {
            parts.add(of(Kind.CONST, s));
        }
        for (String criterion : List.of("allOf", "anyOf", "oneOf")) {
            JsonNode list = n.get(criterion);
            if (list != null && list.isArray()) {
                List<JsonSchemaShape> branches = new ArrayList<>();
                for (JsonNode b : list) {
                    branches.add(of(new Located(b, s.doc())));
                }
                parts.add(combined(criterion, branches, s, criterion));
            }
        }
        if (n.has("not")) {
            parts.add(of(Kind.NOT, s));
        }
        if (parts.isEmpty()) {
            return of(Kind.EMPTY, s);
        }
        return parts.size() == 1 ? parts.get(0) : combined("allOf", parts, s, "keywords");
    }

    private static JsonSchemaShape typed(String type, Located s) {
        return switch (type) {
            case "string" -> of(Kind.STRING, s);
            case "integer" -> new JsonSchemaShape(Kind.NUMBER, s, true, null, List.of(), null);
            case "number" -> of(Kind.NUMBER, s);
            case "boolean" -> of(Kind.BOOLEAN, s);
            case "null" -> of(Kind.NULL, s);
            case "object" -> of(Kind.OBJECT, s);
            case "array" -> of(Kind.ARRAY, s);
            default -> of(Kind.EMPTY, s);
        };
    }

    /** Without {@code type}, the keywords say which kinds the schema constrains. */
    private static List<JsonSchemaShape> inferredFromKeywords(Located s) {
        JsonNode n = s.node();
        List<JsonSchemaShape> kinds = new ArrayList<>();
        if (hasAny(n, "properties", "required", "additionalProperties", "patternProperties", "dependencies",
                "dependentRequired", "dependentSchemas", "minProperties", "maxProperties")) {
            kinds.add(of(Kind.OBJECT, s));
        }
        if (hasAny(n, "items", "prefixItems", "additionalItems", "minItems", "maxItems", "uniqueItems")) {
            kinds.add(of(Kind.ARRAY, s));
        }
        if (hasAny(n, "minLength", "maxLength", "pattern")) {
            kinds.add(of(Kind.STRING, s));
        }
        if (hasAny(n, "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")) {
            kinds.add(of(Kind.NUMBER, s));
        }
        return kinds;
    }

    private static boolean hasAny(JsonNode n, String... keywords) {
        for (String k : keywords) {
            if (n.has(k)) {
                return true;
            }
        }
        return false;
    }

    /** Follows {@code $ref} until a schema without one; an unresolvable one counts as no constraint. */
    static Located deref(Located located) {
        Located s = located;
        for (int i = 0; i < MAX_REF_CHAIN; i++) {
            JsonNode ref = s.node().isObject() ? s.node().get("$ref") : null;
            if (ref == null || !ref.isTextual()) {
                return s;
            }
            Located target = resolve(ref.asText(), s.doc());
            if (target == null) {
                return new Located(com.fasterxml.jackson.databind.node.BooleanNode.TRUE, s.doc());
            }
            s = target;
        }
        return s;
    }

    private static Located resolve(String ref, Doc doc) {
        String documentPart;
        String fragment;
        int hash = ref.indexOf('#');
        if (hash >= 0) {
            documentPart = ref.substring(0, hash);
            fragment = ref.substring(hash + 1);
        } else {
            documentPart = ref;
            fragment = "";
        }
        Doc target = doc;
        if (!documentPart.isEmpty()) {
            String iri;
            try {
                iri = URI.create(doc.base()).resolve(documentPart).toString();
            } catch (IllegalArgumentException e) {
                iri = documentPart;
            }
            if (!iri.equals(doc.base())) {
                JsonNode root = doc.documents().nodeFor(iri);
                if (root == null) {
                    root = doc.documents().nodeFor(documentPart);
                }
                if (root == null) {
                    return null;
                }
                target = new Doc(root, iri, doc.documents());
            }
        }
        JsonNode node = pointer(target.root(), fragment);
        return node == null ? null : new Located(node, target);
    }

    private static JsonNode pointer(JsonNode root, String fragment) {
        if (fragment.isEmpty() || fragment.equals("/")) {
            return root;
        }
        if (!fragment.startsWith("/")) {
            return anchor(root, fragment);
        }
        JsonNode n = root;
        for (String token : fragment.substring(1).split("/", -1)) {
            String key = URLDecoder.decode(token, StandardCharsets.UTF_8).replace("~1", "/").replace("~0", "~");
            if (n.isArray()) {
                try {
                    n = n.get(Integer.parseInt(key));
                } catch (NumberFormatException e) {
                    return null;
                }
            } else {
                n = n.get(key);
            }
            if (n == null) {
                return null;
            }
        }
        return n;
    }

    /** A plain-name fragment: {@code $anchor} (2019-09+) or an {@code $id}/{@code id} of "#name" (drafts 4-7). */
    private static JsonNode anchor(JsonNode node, String name) {
        if (node.isObject()) {
            if (name.equals(node.path("$anchor").asText(null))
                    || ("#" + name).equals(node.path("$id").asText(null))
                    || ("#" + name).equals(node.path("id").asText(null))) {
                return node;
            }
        }
        if (node.isContainerNode()) {
            Iterator<JsonNode> children = node.elements();
            while (children.hasNext()) {
                JsonNode found = anchor(children.next(), name);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    /** A child schema of this one's node (a keyword's value), or null when absent. */
    Located child(JsonNode node) {
        return node == null ? null : new Located(node, at.doc());
    }

    JsonNode keyword(String name) {
        return at.node().get(name);
    }

    /** Branch identity for de-duplication: the same kind at structurally the same schema. */
    @Override
    public boolean equals(Object o) {
        return o instanceof JsonSchemaShape other && kind == other.kind && integer == other.integer
                && Objects.equals(criterion, other.criterion) && at.node().equals(other.at.node())
                && branches.equals(other.branches);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, integer, criterion, at.node());
    }
}

package io.sluice.schema.json;

import io.sluice.schema.CompatibilityLevel;
import io.sluice.schema.CompatibilityRow;
import io.sluice.schema.InvalidSchemaException;
import io.sluice.schema.ParsedSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.sluice.schema.CompatibilityLevel.BACKWARD;
import static io.sluice.schema.CompatibilityLevel.BACKWARD_TRANSITIVE;
import static io.sluice.schema.CompatibilityLevel.FORWARD;
import static io.sluice.schema.CompatibilityLevel.FORWARD_TRANSITIVE;
import static io.sluice.schema.CompatibilityLevel.FULL;
import static io.sluice.schema.CompatibilityLevel.FULL_TRANSITIVE;
import static io.sluice.schema.CompatibilityLevel.NONE;
import static io.sluice.schema.CompatibilityRow.ok;
import static io.sluice.schema.CompatibilityRow.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Confluent's JSON Schema compatibility rules (serdes-json "JSON Schema compatibility rules": open,
 * closed and partially open content models, and the keyword rules), each row a real schema pair
 * checked through {@link CompatibilityLevel#check}.
 */
class JsonSchemaCompatibilityTest {

    private static final JsonSchemaProvider PROVIDER = new JsonSchemaProvider();

    private static final String OPEN_PERSON = obj("\"name\":{\"type\":\"string\"}", "");
    private static final String OPEN_PERSON_AGE = obj("\"name\":{\"type\":\"string\"},\"age\":{\"type\":\"integer\"}", "");
    private static final String CLOSED_PERSON = obj("\"name\":{\"type\":\"string\"}", ",\"additionalProperties\":false");
    private static final String CLOSED_PERSON_AGE = obj("\"name\":{\"type\":\"string\"},\"age\":{\"type\":\"integer\"}",
            ",\"additionalProperties\":false");
    private static final String PARTIAL_PERSON = obj("\"name\":{\"type\":\"string\"}", ",\"additionalProperties\":{\"type\":\"string\"}");
    private static final String PARTIAL_PERSON_NICK = obj("\"name\":{\"type\":\"string\"},\"nick\":{\"type\":\"string\"}",
            ",\"additionalProperties\":{\"type\":\"string\"}");
    private static final String PARTIAL_PERSON_AGE = obj("\"name\":{\"type\":\"string\"},\"age\":{\"type\":\"integer\"}",
            ",\"additionalProperties\":{\"type\":\"string\"}");
    private static final String PATTERN_PERSON = obj("\"name\":{\"type\":\"string\"}",
            ",\"patternProperties\":{\"^n_\":{\"type\":\"number\"}},\"additionalProperties\":false");
    private static final String PATTERN_PERSON_N = obj("\"name\":{\"type\":\"string\"},\"n_score\":{\"type\":\"number\"}",
            ",\"patternProperties\":{\"^n_\":{\"type\":\"number\"}},\"additionalProperties\":false");

    private static String obj(String properties, String rest) {
        return "{\"type\":\"object\",\"properties\":{" + properties + "}" + rest + "}";
    }

    private static String prop(String schema) {
        return obj("\"f\":" + schema, ",\"additionalProperties\":false");
    }

    static Stream<CompatibilityRow> rows() {
        String optionalA = obj("\"a\":{\"type\":\"string\"}", ",\"additionalProperties\":false");
        String requiredADefault = obj("\"a\":{\"type\":\"string\",\"default\":\"x\"}", ",\"required\":[\"a\"],\"additionalProperties\":false");
        String requiredA = obj("\"a\":{\"type\":\"string\"}", ",\"required\":[\"a\"],\"additionalProperties\":false");
        return Stream.of(
                // Open content model: adding a typed optional property is refused (old data may hold any "age").
                refused("open model, property added", BACKWARD, "BACKWARD: PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL at #/properties/age",
                        OPEN_PERSON, OPEN_PERSON_AGE),
                ok("open model, property removed", BACKWARD, OPEN_PERSON_AGE, OPEN_PERSON),
                ok("open model, property added, forward", FORWARD, OPEN_PERSON, OPEN_PERSON_AGE),
                refused("open model, property removed, forward", FORWARD,
                        "FORWARD: PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL at #/properties/age", OPEN_PERSON_AGE, OPEN_PERSON),
                refused("open model, property added, full", FULL, "PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL", OPEN_PERSON, OPEN_PERSON_AGE),
                ok("open model, property without constraints added", FULL, OPEN_PERSON,
                        obj("\"name\":{\"type\":\"string\"},\"any\":{\"description\":\"anything\"}", "")),
                // Closed content model: adding an optional property is fine for readers, not for old readers.
                ok("closed model, optional property added", BACKWARD, CLOSED_PERSON, CLOSED_PERSON_AGE),
                refused("closed model, optional property added, forward", FORWARD,
                        "FORWARD: PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL at #/properties/age", CLOSED_PERSON, CLOSED_PERSON_AGE),
                refused("closed model, property removed", BACKWARD,
                        "BACKWARD: PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL at #/properties/age", CLOSED_PERSON_AGE, CLOSED_PERSON),
                refused("closed model, required property added", BACKWARD,
                        "BACKWARD: REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL at #/properties/a", CLOSED_PERSON,
                        obj("\"name\":{\"type\":\"string\"},\"a\":{\"type\":\"string\"}", ",\"required\":[\"a\"],\"additionalProperties\":false")),
                ok("closed model, required property with default added", BACKWARD, CLOSED_PERSON,
                        obj("\"name\":{\"type\":\"string\"},\"a\":{\"type\":\"string\",\"default\":\"\"}",
                                ",\"required\":[\"a\"],\"additionalProperties\":false")),
                refused("content model closed", BACKWARD, "BACKWARD: ADDITIONAL_PROPERTIES_REMOVED at #/additionalProperties",
                        OPEN_PERSON, CLOSED_PERSON),
                ok("content model opened", BACKWARD, CLOSED_PERSON, OPEN_PERSON),
                // Partially open content model: a property the additionalProperties schema covers evolves both ways.
                ok("partially open, covered property added", FULL, PARTIAL_PERSON, PARTIAL_PERSON_NICK),
                ok("partially open, covered property removed", FULL, PARTIAL_PERSON_NICK, PARTIAL_PERSON),
                refused("partially open, uncovered property added", BACKWARD,
                        "BACKWARD: PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL at #/properties/age",
                        PARTIAL_PERSON, PARTIAL_PERSON_AGE),
                ok("pattern properties cover the property added", FULL, PATTERN_PERSON, PATTERN_PERSON_N),
                refused("additionalProperties narrowed", BACKWARD, "ADDITIONAL_PROPERTIES_NARROWED at #/additionalProperties",
                        OPEN_PERSON, PARTIAL_PERSON),
                // Required.
                refused("property made required", BACKWARD, "BACKWARD: REQUIRED_ATTRIBUTE_ADDED at #/required/a", optionalA, requiredA),
                ok("property made required with a default", BACKWARD, optionalA, requiredADefault),
                ok("property no longer required", BACKWARD, requiredA, optionalA),
                refused("property no longer required, forward", FORWARD, "FORWARD: REQUIRED_ATTRIBUTE_ADDED at #/required/a",
                        requiredA, optionalA),
                // Types.
                refused("type changed", BACKWARD, "BACKWARD: TYPE_CHANGED at #/properties/f", prop("{\"type\":\"string\"}"),
                        prop("{\"type\":\"integer\"}")),
                ok("integer widened to number", BACKWARD, prop("{\"type\":\"integer\"}"), prop("{\"type\":\"number\"}")),
                refused("number narrowed to integer", BACKWARD, "BACKWARD: TYPE_NARROWED at #/properties/f",
                        prop("{\"type\":\"number\"}"), prop("{\"type\":\"integer\"}")),
                refused("integer widened to number, full", FULL, "FORWARD: TYPE_NARROWED at #/properties/f",
                        prop("{\"type\":\"integer\"}"), prop("{\"type\":\"number\"}")),
                ok("type made nullable", BACKWARD, prop("{\"type\":\"string\"}"), prop("{\"type\":[\"string\",\"null\"]}")),
                refused("nullable type made required", BACKWARD, "BACKWARD: TYPE_CHANGED at #/properties/f",
                        prop("{\"type\":[\"string\",\"null\"]}"), prop("{\"type\":\"string\"}")),
                ok("type union extended", BACKWARD, prop("{\"type\":[\"string\",\"null\"]}"),
                        prop("{\"type\":[\"string\",\"null\",\"integer\"]}")),
                refused("type union narrowed", BACKWARD, "BACKWARD: SUM_TYPE_NARROWED at #/properties/f",
                        prop("{\"type\":[\"string\",\"null\",\"integer\"]}"), prop("{\"type\":[\"string\",\"null\"]}")),
                // Strings.
                refused("maxLength added", BACKWARD, "BACKWARD: MAX_LENGTH_ADDED at #/properties/f/maxLength",
                        prop("{\"type\":\"string\"}"), prop("{\"type\":\"string\",\"maxLength\":5}")),
                refused("maxLength decreased", BACKWARD, "BACKWARD: MAX_LENGTH_DECREASED at #/properties/f/maxLength",
                        prop("{\"type\":\"string\",\"maxLength\":10}"), prop("{\"type\":\"string\",\"maxLength\":5}")),
                ok("maxLength increased", BACKWARD, prop("{\"type\":\"string\",\"maxLength\":5}"), prop("{\"type\":\"string\",\"maxLength\":10}")),
                refused("minLength increased", BACKWARD, "BACKWARD: MIN_LENGTH_INCREASED at #/properties/f/minLength",
                        prop("{\"type\":\"string\",\"minLength\":1}"), prop("{\"type\":\"string\",\"minLength\":2}")),
                ok("minLength removed", BACKWARD, prop("{\"type\":\"string\",\"minLength\":1}"), prop("{\"type\":\"string\"}")),
                refused("pattern added", BACKWARD, "BACKWARD: PATTERN_ADDED at #/properties/f/pattern",
                        prop("{\"type\":\"string\"}"), prop("{\"type\":\"string\",\"pattern\":\"^a\"}")),
                refused("pattern changed", BACKWARD, "BACKWARD: PATTERN_CHANGED at #/properties/f/pattern",
                        prop("{\"type\":\"string\",\"pattern\":\"^a\"}"), prop("{\"type\":\"string\",\"pattern\":\"^b\"}")),
                ok("pattern removed", BACKWARD, prop("{\"type\":\"string\",\"pattern\":\"^a\"}"), prop("{\"type\":\"string\"}")),
                // Numbers.
                refused("maximum added", BACKWARD, "BACKWARD: MAXIMUM_ADDED at #/properties/f/maximum",
                        prop("{\"type\":\"number\"}"), prop("{\"type\":\"number\",\"maximum\":10}")),
                refused("maximum decreased", BACKWARD, "BACKWARD: MAXIMUM_DECREASED at #/properties/f/maximum",
                        prop("{\"type\":\"number\",\"maximum\":10}"), prop("{\"type\":\"number\",\"maximum\":9.5}")),
                ok("maximum increased, minimum decreased", BACKWARD, prop("{\"type\":\"number\",\"maximum\":10,\"minimum\":0}"),
                        prop("{\"type\":\"number\",\"maximum\":11,\"minimum\":-1}")),
                refused("minimum increased", BACKWARD, "BACKWARD: MINIMUM_INCREASED at #/properties/f/minimum",
                        prop("{\"type\":\"number\",\"minimum\":0}"), prop("{\"type\":\"number\",\"minimum\":1}")),
                refused("exclusiveMaximum decreased", BACKWARD, "BACKWARD: EXCLUSIVE_MAXIMUM_DECREASED at #/properties/f/exclusiveMaximum",
                        prop("{\"type\":\"number\",\"exclusiveMaximum\":10}"), prop("{\"type\":\"number\",\"exclusiveMaximum\":5}")),
                refused("exclusiveMinimum added", BACKWARD, "BACKWARD: EXCLUSIVE_MINIMUM_ADDED at #/properties/f/exclusiveMinimum",
                        prop("{\"type\":\"number\"}"), prop("{\"type\":\"number\",\"exclusiveMinimum\":0}")),
                refused("multipleOf expanded", BACKWARD, "BACKWARD: MULTIPLE_OF_EXPANDED at #/properties/f/multipleOf",
                        prop("{\"type\":\"integer\",\"multipleOf\":2}"), prop("{\"type\":\"integer\",\"multipleOf\":4}")),
                ok("multipleOf reduced", BACKWARD, prop("{\"type\":\"integer\",\"multipleOf\":4}"), prop("{\"type\":\"integer\",\"multipleOf\":2}")),
                refused("multipleOf changed", BACKWARD, "BACKWARD: MULTIPLE_OF_CHANGED at #/properties/f/multipleOf",
                        prop("{\"type\":\"integer\",\"multipleOf\":3}"), prop("{\"type\":\"integer\",\"multipleOf\":2}")),
                // Enums.
                ok("enum extended", BACKWARD, prop("{\"enum\":[\"a\",\"b\"]}"), prop("{\"enum\":[\"a\",\"b\",\"c\"]}")),
                refused("enum extended, forward", FORWARD, "FORWARD: ENUM_ARRAY_NARROWED at #/properties/f/enum",
                        prop("{\"enum\":[\"a\",\"b\"]}"), prop("{\"enum\":[\"a\",\"b\",\"c\"]}")),
                refused("enum changed", BACKWARD, "BACKWARD: ENUM_ARRAY_CHANGED at #/properties/f/enum",
                        prop("{\"enum\":[\"a\",\"b\"]}"), prop("{\"enum\":[\"a\",\"c\"]}")),
                // Arrays.
                refused("items type changed", BACKWARD, "BACKWARD: TYPE_CHANGED at #/properties/f/items",
                        prop("{\"type\":\"array\",\"items\":{\"type\":\"string\"}}"), prop("{\"type\":\"array\",\"items\":{\"type\":\"integer\"}}")),
                refused("items added", BACKWARD, "BACKWARD: SCHEMA_ADDED at #/properties/f/items",
                        prop("{\"type\":\"array\"}"), prop("{\"type\":\"array\",\"items\":{\"type\":\"integer\"}}")),
                ok("items removed", BACKWARD, prop("{\"type\":\"array\",\"items\":{\"type\":\"integer\"}}"), prop("{\"type\":\"array\"}")),
                refused("maxItems decreased", BACKWARD, "BACKWARD: MAX_ITEMS_DECREASED at #/properties/f/maxItems",
                        prop("{\"type\":\"array\",\"maxItems\":3}"), prop("{\"type\":\"array\",\"maxItems\":2}")),
                refused("uniqueItems added", BACKWARD, "BACKWARD: UNIQUE_ITEMS_ADDED at #/properties/f/uniqueItems",
                        prop("{\"type\":\"array\"}"), prop("{\"type\":\"array\",\"uniqueItems\":true}")),
                refused("tuple item added to open tuple", BACKWARD, "BACKWARD: ITEM_ADDED_TO_OPEN_CONTENT_MODEL at #/properties/f/items/1",
                        prop("{\"type\":\"array\",\"items\":[{\"type\":\"string\"}]}"),
                        prop("{\"type\":\"array\",\"items\":[{\"type\":\"string\"},{\"type\":\"integer\"}]}")),
                ok("tuple item added to closed tuple", BACKWARD,
                        prop("{\"type\":\"array\",\"items\":[{\"type\":\"string\"}],\"additionalItems\":false}"),
                        prop("{\"type\":\"array\",\"items\":[{\"type\":\"string\"},{\"type\":\"integer\"}],\"additionalItems\":false}")),
                refused("tuple item removed from closed tuple", BACKWARD,
                        "BACKWARD: ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL at #/properties/f/items/1",
                        prop("{\"type\":\"array\",\"items\":[{\"type\":\"string\"},{\"type\":\"integer\"}],\"additionalItems\":false}"),
                        prop("{\"type\":\"array\",\"items\":[{\"type\":\"string\"}],\"additionalItems\":false}")),
                // Combined types.
                ok("oneOf branch added", BACKWARD, prop("{\"oneOf\":[{\"type\":\"string\"},{\"type\":\"integer\"}]}"),
                        prop("{\"oneOf\":[{\"type\":\"string\"},{\"type\":\"integer\"},{\"type\":\"boolean\"}]}")),
                refused("oneOf branch removed", BACKWARD, "BACKWARD: SUM_TYPE_NARROWED at #/properties/f",
                        prop("{\"oneOf\":[{\"type\":\"string\"},{\"type\":\"integer\"}]}"), prop("{\"oneOf\":[{\"type\":\"string\"}]}")),
                ok("oneOf relaxed to anyOf", BACKWARD, prop("{\"oneOf\":[{\"type\":\"string\"},{\"type\":\"integer\"}]}"),
                        prop("{\"anyOf\":[{\"type\":\"string\"},{\"type\":\"integer\"}]}")),
                refused("anyOf tightened to oneOf", BACKWARD, "BACKWARD: COMBINED_TYPE_CHANGED at #/properties/f",
                        prop("{\"anyOf\":[{\"type\":\"string\"},{\"type\":\"integer\"}]}"),
                        prop("{\"oneOf\":[{\"type\":\"string\"},{\"type\":\"integer\"}]}")),
                refused("allOf constraint added", BACKWARD, "BACKWARD: PRODUCT_TYPE_EXTENDED at #/properties/f",
                        prop("{\"allOf\":[{\"type\":\"string\"}]}"), prop("{\"allOf\":[{\"type\":\"string\"},{\"maxLength\":3}]}")),
                ok("allOf constraint removed", BACKWARD, prop("{\"allOf\":[{\"type\":\"string\"},{\"maxLength\":3}]}"),
                        prop("{\"allOf\":[{\"type\":\"string\"}]}")),
                refused("oneOf branch changed", BACKWARD, "BACKWARD: COMBINED_TYPE_SUBSCHEMAS_CHANGED at #/properties/f",
                        prop("{\"oneOf\":[{\"type\":\"string\"},{\"type\":\"integer\"}]}"),
                        prop("{\"oneOf\":[{\"type\":\"string\"},{\"type\":\"boolean\"}]}")),
                ok("a value kind becomes a union branch", BACKWARD, prop("{\"type\":\"string\"}"),
                        prop("{\"oneOf\":[{\"type\":\"string\"},{\"type\":\"integer\"}]}")),
                refused("not extended", BACKWARD, "BACKWARD: NOT_TYPE_EXTENDED at #/properties/f/not",
                        prop("{\"not\":{\"type\":\"string\",\"maxLength\":3}}"), prop("{\"not\":{\"type\":\"string\"}}")),
                ok("not narrowed", BACKWARD, prop("{\"not\":{\"type\":\"string\"}}"), prop("{\"not\":{\"type\":\"string\",\"maxLength\":3}}")),
                // Dependencies.
                refused("dependency added", BACKWARD, "BACKWARD: DEPENDENCY_ARRAY_ADDED at #/dependencies/a",
                        "{\"type\":\"object\",\"properties\":{\"a\":{},\"b\":{}}}",
                        "{\"type\":\"object\",\"properties\":{\"a\":{},\"b\":{}},\"dependencies\":{\"a\":[\"b\"]}}"),
                ok("dependency removed", BACKWARD, "{\"type\":\"object\",\"properties\":{\"a\":{},\"b\":{}},\"dependencies\":{\"a\":[\"b\"]}}",
                        "{\"type\":\"object\",\"properties\":{\"a\":{},\"b\":{}}}"),
                // NONE accepts anything; transitive levels check every earlier version.
                ok("anything goes under NONE", NONE, prop("{\"type\":\"string\"}"), prop("{\"type\":\"integer\"}")),
                ok("required with default, then without: against the latest", BACKWARD, optionalA, requiredADefault, requiredA),
                refused("required with default, then without: against all", BACKWARD_TRANSITIVE,
                        "BACKWARD: REQUIRED_ATTRIBUTE_ADDED at #/required/a", optionalA, requiredADefault, requiredA),
                ok("required, then with default, then optional: forward against the latest", FORWARD, requiredA, requiredADefault, optionalA),
                refused("required, then with default, then optional: forward against all", FORWARD_TRANSITIVE,
                        "FORWARD: REQUIRED_ATTRIBUTE_ADDED at #/required/a", requiredA, requiredADefault, optionalA),
                ok("full against the latest", FULL, optionalA, requiredADefault, requiredA),
                refused("full against all", FULL_TRANSITIVE, "BACKWARD: REQUIRED_ATTRIBUTE_ADDED at #/required/a",
                        optionalA, requiredADefault, requiredA));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void followsConfluentsRules(CompatibilityRow row) throws InvalidSchemaException {
        row.assertHolds(PROVIDER);
    }

    @Test
    void identicalSchemasAreCompatibleAtEveryLevel() throws InvalidSchemaException {
        ParsedSchema a = PROVIDER.parse(PATTERN_PERSON_N, List.of(), Map.of());
        ParsedSchema b = PROVIDER.parse(PATTERN_PERSON_N, List.of(), Map.of());
        for (CompatibilityLevel level : CompatibilityLevel.values()) {
            assertEquals(List.of(), level.check(b, List.of(a)), level.name());
        }
    }

    @Test
    void seesChangesInsideACombinationBesideOtherKeywords() throws InvalidSchemaException {
        // One node yields several combinations (the keywords' allOf, and the explicit allOf in it).
        String schema = "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}},"
                + "\"allOf\":[{\"properties\":{\"b\":{\"type\":\"%s\"}}}]}";
        ParsedSchema v1 = PROVIDER.parse(schema.formatted("string"), List.of(), Map.of());
        ParsedSchema v2 = PROVIDER.parse(schema.formatted("integer"), List.of(), Map.of());
        // As in Confluent's walker, a branch that changed incompatibly pairs with none: the combination says so.
        assertEquals(List.of("BACKWARD: COMBINED_TYPE_SUBSCHEMAS_CHANGED at #/"), BACKWARD.check(v2, List.of(v1)));
        assertEquals(List.of(), BACKWARD.check(v1, List.of(PROVIDER.parse(schema.formatted("string"), List.of(), Map.of()))));
    }

    @Test
    void nestedCombinationsAreComparedInPolynomialTime() throws InvalidSchemaException {
        // Each level is an anyOf of two branches that both lead to the next level: without memoizing
        // pairs, comparing every old branch with every new one costs 4^levels comparisons.
        int levels = 40;
        StringBuilder definitions = new StringBuilder();
        for (int i = 0; i < levels; i++) {
            String next = "{\"$ref\":\"#/definitions/d" + (i + 1) + "\"}";
            definitions.append("\"d").append(i).append("\":{\"anyOf\":[").append(next)
                    .append(",{\"type\":\"array\",\"items\":").append(next).append("}]},");
        }
        String schema = "{\"definitions\":{" + definitions + "\"d" + levels + "\":{\"type\":\"%s\"}},\"$ref\":\"#/definitions/d0\"}";
        ParsedSchema v1 = PROVIDER.parse(schema.formatted("integer"), List.of(), Map.of());
        ParsedSchema v2 = PROVIDER.parse(schema.formatted("number"), List.of(), Map.of());
        long started = System.nanoTime();
        assertEquals(List.of(), BACKWARD.check(v2, List.of(v1)));
        assertTrue(FORWARD.check(v2, List.of(v1)).stream().anyMatch(m -> m.contains("COMBINED_TYPE_SUBSCHEMAS_CHANGED")));
        assertTrue(System.nanoTime() - started < 10_000_000_000L, "took " + (System.nanoTime() - started) / 1_000_000 + " ms");
    }

    @Test
    void followsReferencesAndRecursionWhenComparing() throws InvalidSchemaException {
        String addressV1 = "{\"type\":\"object\",\"properties\":{\"zip\":{\"type\":\"string\"}},\"additionalProperties\":false}";
        String addressV2 = "{\"type\":\"object\",\"properties\":{\"zip\":{\"type\":\"integer\"}},\"additionalProperties\":false}";
        String customer = "{\"type\":\"object\",\"properties\":{\"home\":{\"$ref\":\"address.json\"}}}";
        ParsedSchema v1 = PROVIDER.parse(customer, List.of(), Map.of("address.json", addressV1));
        ParsedSchema v2 = PROVIDER.parse(customer, List.of(), Map.of("address.json", addressV2));
        assertEquals(List.of("BACKWARD: TYPE_CHANGED at #/properties/home/properties/zip"), BACKWARD.check(v2, List.of(v1)));

        String tree = "{\"definitions\":{\"node\":{\"type\":\"object\",\"properties\":{\"v\":{\"type\":\"%s\"},"
                + "\"children\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/definitions/node\"}}}}},\"$ref\":\"#/definitions/node\"}";
        ParsedSchema t1 = PROVIDER.parse(tree.formatted("integer"), List.of(), Map.of());
        ParsedSchema t2 = PROVIDER.parse(tree.formatted("number"), List.of(), Map.of());
        assertEquals(List.of(), BACKWARD.check(t2, List.of(t1)));
        assertEquals(List.of("FORWARD: TYPE_NARROWED at #/properties/v"), FORWARD.check(t2, List.of(t1)));
    }
}

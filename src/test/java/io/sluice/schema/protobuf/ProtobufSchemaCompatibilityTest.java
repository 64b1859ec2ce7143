package io.sluice.schema.protobuf;

import io.sluice.schema.CompatibilityLevel;
import io.sluice.schema.CompatibilityRow;
import io.sluice.schema.InvalidSchemaException;
import io.sluice.schema.ParsedSchema;
import io.sluice.schema.json.JsonSchemaProvider;
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
 * Confluent's Protobuf compatibility rules (serdes-protobuf "Protobuf compatibility rules", after
 * protobuf's "updating a message type"), each row a real .proto pair checked through
 * {@link CompatibilityLevel#check}.
 */
class ProtobufSchemaCompatibilityTest {

    private static final ProtobufSchemaProvider PROVIDER = new ProtobufSchemaProvider();

    private static String proto3(String body) {
        return "syntax = \"proto3\";\npackage acme;\n" + body + "\n";
    }

    private static String order(String fields) {
        return proto3("message Order {\n" + fields + "\n}\nmessage Customer { string name = 1; }\nenum Status { UNKNOWN = 0; OK = 1; }");
    }

    static Stream<CompatibilityRow> rows() {
        String base = order("string id = 1; int32 qty = 2;");
        return Stream.of(
                ok("field added", FULL, base, order("string id = 1; int32 qty = 2; string note = 3;")),
                ok("field removed", FULL, base, order("string id = 1;")),
                ok("field renamed", FULL, base, order("string id = 1; int32 quantity = 2;")),
                ok("int32 to int64 (one varint group)", FULL, base, order("string id = 1; int64 qty = 2;")),
                ok("int32 to uint64 and bool", FULL, order("string id = 1; uint64 qty = 2;"), order("string id = 1; bool qty = 2;")),
                ok("int32 to an enum", FULL, base, order("string id = 1; Status qty = 2;")),
                ok("string to bytes", FULL, base, order("bytes id = 1; int32 qty = 2;")),
                ok("sint32 to sint64", FULL, order("sint32 n = 1;"), order("sint64 n = 1;")),
                ok("fixed32 to sfixed32", FULL, order("fixed32 n = 1;"), order("sfixed32 n = 1;")),
                ok("fixed64 to sfixed64", FULL, order("fixed64 n = 1;"), order("sfixed64 n = 1;")),
                refused("int32 to string", BACKWARD, "BACKWARD: FIELD_SCALAR_KIND_CHANGED at acme.Order.qty (field 2): int32 to string",
                        base, order("string id = 1; string qty = 2;")),
                refused("int32 to sint32", BACKWARD, "FIELD_SCALAR_KIND_CHANGED at acme.Order.qty (field 2)",
                        base, order("string id = 1; sint32 qty = 2;")),
                refused("fixed32 to fixed64", BACKWARD, "FIELD_SCALAR_KIND_CHANGED", order("fixed32 n = 1;"), order("fixed64 n = 1;")),
                refused("float to double", BACKWARD, "FIELD_SCALAR_KIND_CHANGED", order("float n = 1;"), order("double n = 1;")),
                refused("scalar to message", BACKWARD, "BACKWARD: FIELD_KIND_CHANGED at acme.Order.id (field 1): string to acme.Customer",
                        base, order("Customer id = 1; int32 qty = 2;")),
                refused("message to map", BACKWARD, "FIELD_KIND_CHANGED at acme.Order.c (field 3)",
                        order("Customer c = 3;"), order("map<string, string> c = 3;")),
                refused("message type changed", BACKWARD,
                        "BACKWARD: FIELD_NAMED_TYPE_CHANGED at acme.Order.c (field 3): acme.Customer to acme.Order",
                        order("Customer c = 3;"), order("Order c = 3;")),
                refused("map value type changed", BACKWARD, "FIELD_SCALAR_KIND_CHANGED at acme.Order.m (field 4) map value",
                        order("map<string, int32> m = 4;"), order("map<string, string> m = 4;")),
                ok("map value widened in its group", FULL, order("map<string, int32> m = 4;"), order("map<string, int64> m = 4;")),
                refused("a field of a referenced message changed", BACKWARD,
                        "BACKWARD: FIELD_SCALAR_KIND_CHANGED at acme.Customer.name (field 1): string to int32",
                        order("Customer c = 3;"),
                        proto3("message Order {\nCustomer c = 3;\n}\nmessage Customer { int32 name = 1; }\nenum Status { UNKNOWN = 0; OK = 1; }")),
                ok("singular string to repeated", FULL, base, order("repeated string id = 1; int32 qty = 2;")),
                refused("singular int32 to repeated", BACKWARD, "BACKWARD: FIELD_NUMERIC_LABEL_CHANGED at acme.Order.qty (field 2)",
                        base, order("string id = 1; repeated int32 qty = 2;")),
                refused("top-level message removed", BACKWARD, "BACKWARD: MESSAGE_REMOVED at acme.Customer",
                        base, proto3("message Order {\nstring id = 1; int32 qty = 2;\n}\nenum Status { UNKNOWN = 0; OK = 1; }")),
                ok("top-level message added", BACKWARD, base, base + "message Extra { int32 x = 1; }\n"),
                refused("top-level message added, forward", FORWARD, "FORWARD: MESSAGE_REMOVED at acme.Extra",
                        base, base + "message Extra { int32 x = 1; }\n"),
                ok("messages reordered", FULL, base,
                        proto3("message Customer { string name = 1; }\nmessage Order {\nstring id = 1; int32 qty = 2;\n}\nenum Status { UNKNOWN = 0; OK = 1; }")),
                refused("package changed", BACKWARD, "BACKWARD: PACKAGE_CHANGED at package: 'acme' to 'shop'",
                        base, base.replace("package acme;", "package shop;")),
                ok("enum constant added", FULL, base, base.replace("OK = 1;", "OK = 1; LATE = 2;")),
                ok("enum constant removed", FULL, base, base.replace("OK = 1;", "")),
                ok("one field moved into a new oneof", FULL, base, order("oneof key { string id = 1; }\nint32 qty = 2;")),
                refused("two fields moved into a oneof", BACKWARD, "BACKWARD: MULTIPLE_FIELDS_MOVED_TO_ONEOF at acme.Order.key (oneof)",
                        base, order("oneof key { string id = 1; int32 qty = 2; }")),
                ok("field added to a oneof", BACKWARD, order("oneof pay { string card = 4; }"),
                        order("oneof pay { string card = 4; string iban = 5; }")),
                refused("field removed from a oneof", BACKWARD, "BACKWARD: ONEOF_FIELD_REMOVED at acme.Order.pay (oneof): iban = 5",
                        order("oneof pay { string card = 4; string iban = 5; }"), order("oneof pay { string card = 4; }")),
                refused("field added to a oneof, forward", FORWARD, "FORWARD: ONEOF_FIELD_REMOVED at acme.Order.pay (oneof): iban = 5",
                        order("oneof pay { string card = 4; }"), order("oneof pay { string card = 4; string iban = 5; }")),
                refused("oneof field type changed", BACKWARD, "FIELD_SCALAR_KIND_CHANGED at acme.Order.card (field 4)",
                        order("oneof pay { string card = 4; }"), order("oneof pay { int32 card = 4; }")),
                refused("nested message field changed", BACKWARD, "FIELD_SCALAR_KIND_CHANGED at acme.Order.Line.qty (field 1)",
                        order("message Line { int32 qty = 1; } repeated Line lines = 5;"),
                        order("message Line { string qty = 1; } repeated Line lines = 5;")),
                // proto2 required fields.
                refused("required field added", BACKWARD, "BACKWARD: REQUIRED_FIELD_ADDED at p.R.b (field 2)",
                        "syntax = \"proto2\"; package p; message R { required int32 a = 1; }",
                        "syntax = \"proto2\"; package p; message R { required int32 a = 1; required int32 b = 2; }"),
                refused("required field removed", BACKWARD, "BACKWARD: REQUIRED_FIELD_REMOVED at p.R.b (field 2)",
                        "syntax = \"proto2\"; package p; message R { required int32 a = 1; required int32 b = 2; }",
                        "syntax = \"proto2\"; package p; message R { required int32 a = 1; }"),
                ok("optional field added in proto2", FULL, "syntax = \"proto2\"; package p; message R { required int32 a = 1; }",
                        "syntax = \"proto2\"; package p; message R { required int32 a = 1; optional int32 b = 2; }"),
                // Levels: NONE accepts anything; transitive levels check every earlier version.
                ok("anything goes under NONE", NONE, base, order("string id = 1; string qty = 2;")),
                ok("field removed, then its number reused: against the latest", BACKWARD,
                        base, order("string id = 1;"), order("string id = 1; string qty = 2;")),
                refused("field removed, then its number reused: against all", BACKWARD_TRANSITIVE,
                        "BACKWARD: FIELD_SCALAR_KIND_CHANGED at acme.Order.qty (field 2): int32 to string",
                        base, order("string id = 1;"), order("string id = 1; string qty = 2;")),
                ok("forward against the latest", FORWARD, base, order("string id = 1;"), order("string id = 1; string qty = 2;")),
                refused("forward against all", FORWARD_TRANSITIVE, "FORWARD: FIELD_SCALAR_KIND_CHANGED at acme.Order.qty (field 2): string to int32",
                        base, order("string id = 1;"), order("string id = 1; string qty = 2;")),
                ok("full against the latest", FULL, base, order("string id = 1;"), order("string id = 1; string qty = 2;")),
                refused("full against all", FULL_TRANSITIVE, "FIELD_SCALAR_KIND_CHANGED",
                        base, order("string id = 1;"), order("string id = 1; string qty = 2;")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void followsConfluentsRules(CompatibilityRow row) throws InvalidSchemaException {
        row.assertHolds(PROVIDER);
    }

    @Test
    void comparesTypesImportedFromReferences() throws InvalidSchemaException {
        String root = "syntax = \"proto3\"; package acme; import \"money.proto\"; message Order { common.Money total = 1; }";
        ParsedSchema v1 = PROVIDER.parse(root, List.of(),
                Map.of("money.proto", "syntax = \"proto3\"; package common; message Money { int64 units = 1; }"));
        ParsedSchema v2 = PROVIDER.parse(root, List.of(),
                Map.of("money.proto", "syntax = \"proto3\"; package common; message Money { string units = 1; }"));
        assertEquals(List.of(
                "BACKWARD: FIELD_SCALAR_KIND_CHANGED at common.Money.units (field 1): int64 to string",
                "BACKWARD: FIELD_NAMED_TYPE_CHANGED at acme.Order.total (field 1): common.Money changed incompatibly"),
                BACKWARD.check(v2, List.of(v1)));
    }

    @Test
    void aTypeReachedAlongManyPathsIsComparedOnce() throws InvalidSchemaException {
        // 2^40 field paths lead to L40: comparing per path would never end.
        int levels = 40;
        StringBuilder messages = new StringBuilder("syntax = \"proto3\"; package deep;\n");
        for (int i = 0; i < levels; i++) {
            messages.append("message L").append(i).append(" { L").append(i + 1).append(" a = 1; L").append(i + 1).append(" b = 2; }\n");
        }
        String proto = messages + "message L" + levels + " { %s v = 1; }\n";
        ParsedSchema v1 = PROVIDER.parse(proto.formatted("int32"), List.of(), Map.of());
        ParsedSchema v2 = PROVIDER.parse(proto.formatted("string"), List.of(), Map.of());
        long started = System.nanoTime();
        List<String> refusals = BACKWARD.check(v2, List.of(v1));
        assertTrue(System.nanoTime() - started < 10_000_000_000L, "took " + (System.nanoTime() - started) / 1_000_000 + " ms");
        assertTrue(refusals.contains("BACKWARD: FIELD_SCALAR_KIND_CHANGED at deep.L40.v (field 1): int32 to string"), refusals.toString());
        assertEquals("BACKWARD: FIELD_SCALAR_KIND_CHANGED at deep.L40.v (field 1): int32 to string", refusals.get(0));
        assertTrue(refusals.contains("BACKWARD: FIELD_NAMED_TYPE_CHANGED at deep.L39.a (field 1): deep.L40 changed incompatibly"),
                refusals.toString());
        assertTrue(refusals.size() <= 2 * ProtobufSchemaDiff.MAX_KEPT, "reported " + refusals.size());
    }

    @Test
    void recursiveMessagesAndTypeMismatchesTerminate() throws InvalidSchemaException {
        String tree = "syntax = \"proto3\"; message Node { %s value = 1; repeated Node children = 2; }";
        ParsedSchema a = PROVIDER.parse(tree.formatted("int32"), List.of(), Map.of());
        ParsedSchema b = PROVIDER.parse(tree.formatted("int64"), List.of(), Map.of());
        assertEquals(List.of(), FULL.check(b, List.of(a)));
        ParsedSchema json = new JsonSchemaProvider().parse("{\"type\":\"string\"}", List.of(), Map.of());
        assertEquals(List.of("Incompatible because of different schema type: JSON to PROTOBUF"), BACKWARD.check(a, List.of(json)));
    }
}

package io.sluice.schema.protobuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import io.sluice.schema.InvalidPayloadException;
import io.sluice.schema.InvalidSchemaException;
import io.sluice.schema.ParsedSchema;
import io.sluice.schema.SchemaReference;
import io.sluice.schema.SchemaType;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProtobufSchemaProviderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final ProtobufSchemaProvider provider = new ProtobufSchemaProvider();

    private static final String COMMON = """
            syntax = "proto3";
            package acme.common;
            message Money { string currency = 1; int64 units = 2; }
            """;

    private static final String ORDER = """
            syntax = "proto3";
            package acme;
            import "google/protobuf/timestamp.proto";
            import "acme/common.proto";
            option java_package = "com.acme";
            option go_package = "acme/pb";
            // An order, as the shop writes it.
            message Order {
              string id = 1;
              google.protobuf.Timestamp at = 2;
              map<string, Line> lines = 3;
              oneof payment { string card = 4; string iban = 5; }
              optional int32 priority = 6;
              acme.common.Money total = 7;
              Status status = 8;
              repeated int32 codes = 9;
              message Line { int32 qty = 1; Note note = 2; message Note { string text = 1; } }
            }
            enum Status { UNKNOWN = 0; OK = 1; }
            message Refund { string order_id = 1; int64 cents = 2; }
            """;

    private static final Map<String, String> REFS = Map.of("acme/common.proto", COMMON);

    private ProtobufParsedSchema order() throws InvalidSchemaException {
        return (ProtobufParsedSchema) provider.parse(ORDER, List.of(new SchemaReference("acme/common.proto", "common", 1)), REFS);
    }

    private ParsedSchema parse(String proto) throws InvalidSchemaException {
        return provider.parse(proto, List.of(), Map.of());
    }

    private static ByteBuffer bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return ByteBuffer.wrap(b);
    }

    private static ByteBuffer concat(byte[] header, byte[] body, int... trailer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header);
        out.writeBytes(body);
        for (int t : trailer) {
            out.write(t);
        }
        return ByteBuffer.wrap(out.toByteArray());
    }

    @Test
    void parsesWithReferencesAndWellKnownImports() throws Exception {
        ProtobufParsedSchema s = order();
        assertEquals(SchemaType.PROTOBUF, s.type());
        assertEquals(ORDER, s.originalString());
        assertEquals("acme.Order", s.recordName());
        assertEquals(1, s.references().size());
        ParsedSchema allWellKnown = parse("""
                syntax = "proto3";
                import "google/protobuf/any.proto";
                import "google/protobuf/duration.proto";
                import "google/protobuf/struct.proto";
                import "google/protobuf/wrappers.proto";
                import "google/protobuf/empty.proto";
                import "google/protobuf/field_mask.proto";
                import "google/protobuf/type.proto";
                message W { google.protobuf.Any a = 1; google.protobuf.Duration d = 2; google.protobuf.Struct s = 3;
                  google.protobuf.StringValue v = 4; google.protobuf.FieldMask m = 5; google.protobuf.Type t = 6; }
                """);
        assertEquals("W", allWellKnown.recordName());
        assertNull(parse("syntax = \"proto3\"; package p; enum E { A = 0; }").recordName());
        // proto2, with required fields and a custom option imported from descriptor.proto.
        ParsedSchema proto2 = parse("""
                syntax = "proto2";
                package legacy;
                import "google/protobuf/descriptor.proto";
                extend google.protobuf.FieldOptions { optional string unit = 50001; }
                message Reading { required double value = 1 [(unit) = "C"]; optional string sensor = 2 [default = "x"]; }
                """);
        assertEquals("legacy.Reading", proto2.recordName());
    }

    @Test
    void refusesSchemasThatDoNotParseOrLink() {
        InvalidSchemaException syntax = assertThrows(InvalidSchemaException.class,
                () -> parse("syntax = \"proto3\"; message A { int32 a = 1 }"));
        assertTrue(syntax.getMessage().startsWith("Invalid Protobuf schema: the schema does not parse"), syntax.getMessage());
        assertFalse(syntax.getMessage().contains("__sluice"), syntax.getMessage());
        InvalidSchemaException missingImport = assertThrows(InvalidSchemaException.class,
                () -> parse("syntax = \"proto3\"; import \"acme/common.proto\"; message A { acme.common.Money m = 1; }"));
        assertEquals("Invalid Protobuf schema: import 'acme/common.proto' is not among the schema's references",
                missingImport.getMessage());
        InvalidSchemaException unresolved = assertThrows(InvalidSchemaException.class,
                () -> parse("syntax = \"proto3\"; message A { Missing m = 1; }"));
        assertTrue(unresolved.getMessage().contains("unable to resolve Missing"), unresolved.getMessage());
        assertThrows(InvalidSchemaException.class, () -> parse("syntax = \"proto3\"; message A { int32 a = 1; int32 b = 1; }"));
        assertThrows(InvalidSchemaException.class, () -> parse(""));
        assertThrows(InvalidSchemaException.class, () -> parse("{\"type\":\"record\"}"));
        InvalidSchemaException badReference = assertThrows(InvalidSchemaException.class,
                () -> provider.parse("syntax = \"proto3\"; import \"b.proto\"; message A { B b = 1; }", List.of(),
                        Map.of("b.proto", "message B {")));
        assertTrue(badReference.getMessage().contains("'b.proto'"), badReference.getMessage());
    }

    @Test
    void refusesAbsurdlyNestedDeclarationsWithoutOverflowingTheStack() {
        for (int depth : new int[]{300, 3000}) {
            String proto = "syntax = \"proto3\";\n" + "message M { ".repeat(depth) + "int32 x = 1; " + "}".repeat(depth);
            InvalidSchemaException e = assertThrows(InvalidSchemaException.class, () -> parse(proto));
            assertTrue(e.getMessage().startsWith("Invalid Protobuf schema"), e.getMessage());
        }
    }

    @Test
    void canonicalFormIsWiresRenderingAndNormalizedFormSortsAndQualifies() throws Exception {
        ProtobufParsedSchema s = order();
        String canonical = s.canonicalString();
        assertTrue(canonical.startsWith("syntax = \"proto3\";"), canonical);
        assertTrue(canonical.contains("message Order {\n  string id = 1;\n"), canonical);
        ParsedSchema reformatted = provider.parse(ORDER.replace("\n", "\n\n").replace("  ", "    "), List.of(), REFS);
        assertEquals(canonical, reformatted.canonicalString());

        // Imports and options reordered, fields written out of tag order, type names in other spellings.
        String rewritten = """
                syntax = "proto3";
                package acme;
                import "acme/common.proto";
                import "google/protobuf/timestamp.proto";
                option go_package = "acme/pb";
                option java_package = "com.acme";
                message Order {
                  Status status = 8;
                  string id = 1;
                  .google.protobuf.Timestamp at = 2;
                  map<string, Order.Line> lines = 3;
                  oneof payment { string iban = 5; string card = 4; }
                  optional int32 priority = 6;
                  .acme.common.Money total = 7;
                  repeated int32 codes = 9;
                  message Line { int32 qty = 1; Line.Note note = 2; message Note { string text = 1; } }
                }
                enum Status { UNKNOWN = 0; OK = 1; }
                message Refund { string order_id = 1; int64 cents = 2; }
                """;
        ParsedSchema other = provider.parse(rewritten, List.of(), REFS);
        assertNotEquals(canonical, other.canonicalString());
        assertEquals(s.normalize().canonicalString(), other.normalize().canonicalString());
        assertTrue(s.normalize().canonicalString().contains(".acme.common.Money total = 7;"), s.normalize().canonicalString());
        ParsedSchema normalized = s.normalize();
        assertSame(normalized, normalized.normalize());
        assertEquals("acme.Order", normalized.recordName());
    }

    @Test
    void jsonRoundTripsThroughTheFirstMessageWithTheSingleZeroHeader() throws Exception {
        ProtobufParsedSchema s = order();
        JsonNode value = JSON.readTree("""
                {"id":"o1","at":"2024-01-02T03:04:05Z","lines":{"a":{"qty":2,"note":{"text":"t"}}},"card":"visa",
                 "priority":3,"total":{"currency":"EUR","units":"1200"},"status":"OK","codes":[1,2,3]}""");
        byte[] payload = s.fromJson(value);
        assertEquals(0, payload[0], "the header [0] is the single byte 0");
        s.validate(ByteBuffer.wrap(payload));
        JsonNode back = s.toJson(ByteBuffer.wrap(payload));
        assertEquals("o1", back.get("id").asText());
        assertEquals("2024-01-02T03:04:05Z", back.get("at").asText());
        assertEquals(2, back.get("lines").get("a").get("qty").asInt());
        assertEquals("visa", back.get("card").asText());
        assertEquals("1200", back.get("total").get("units").asText());
        assertEquals("OK", back.get("status").asText());
        assertEquals(3, back.get("codes").size());
        assertEquals(s.fromJson(back).length, payload.length);
    }

    @Test
    void decodesTheMessageTheIndexesName() throws Exception {
        ProtobufParsedSchema s = order();
        Descriptor refund = s.descriptor().findMessageTypeByName("Refund");
        byte[] body = DynamicMessage.newBuilder(refund)
                .setField(refund.findFieldByName("order_id"), "o1")
                .setField(refund.findFieldByName("cents"), 250L)
                .build().toByteArray();
        // [1]: count 1, index 1 (zigzag: 2, 2).
        JsonNode json = s.toJson(concat(new byte[]{2, 2}, body));
        assertEquals("o1", json.get("orderId").asText());
        assertEquals("250", json.get("cents").asText());

        Descriptor note = s.descriptor().findMessageTypeByName("Order").findNestedTypeByName("Line").findNestedTypeByName("Note");
        byte[] noteBody = DynamicMessage.newBuilder(note).setField(note.findFieldByName("text"), "hi").build().toByteArray();
        // [0, 0, 0]: Order, its first nested message Line (the map entry type does not count), Line's Note.
        assertEquals("hi", s.toJson(concat(new byte[]{6, 0, 0, 0}, noteBody)).get("text").asText());
        s.validate(concat(new byte[]{6, 0, 0, 0}, noteBody));
    }

    @Test
    void refusesBadMessageIndexes() throws Exception {
        ProtobufParsedSchema s = order();
        InvalidPayloadException outOfRange = assertThrows(InvalidPayloadException.class, () -> s.validate(bytes(2, 10)));
        assertTrue(outOfRange.getMessage().contains("2 top-level messages"), outOfRange.getMessage());
        assertThrows(InvalidPayloadException.class, () -> s.validate(bytes(4, 0)), "count 2 with one index");
        assertThrows(InvalidPayloadException.class, () -> s.validate(bytes(1)), "negative count");
        assertThrows(InvalidPayloadException.class, () -> s.validate(bytes(2, 1)), "negative index");
        assertThrows(InvalidPayloadException.class, () -> s.validate(bytes(4, 0, 8)), "Order has one nested message");
        assertThrows(InvalidPayloadException.class, () -> s.validate(bytes()), "empty payload");
        assertThrows(InvalidPayloadException.class, () -> s.validate(bytes(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F)), "varint too long");
    }

    @Test
    void refusesPayloadsThatDoNotDecode() throws Exception {
        ProtobufParsedSchema s = order();
        byte[] good = s.fromJson(JSON.readTree("{\"id\":\"o1\"}"));
        s.validate(ByteBuffer.wrap(good));
        byte[] body = java.util.Arrays.copyOfRange(good, 1, good.length);
        assertThrows(InvalidPayloadException.class, () -> s.validate(concat(new byte[]{0}, body, 0x0F)), "wire type 7 after the message");
        assertThrows(InvalidPayloadException.class, () -> s.validate(concat(new byte[]{0}, body, 0x0E, 1)), "wire type 6");
        assertThrows(InvalidPayloadException.class, () -> s.validate(bytes(0, 0x0A, 5, 'a')), "string shorter than its length");
        assertThrows(InvalidPayloadException.class, () -> s.validate(bytes(0, 0x08)), "varint cut off");
        // Field 99 (varint): well-formed protobuf, but not a field of acme.Order.
        InvalidPayloadException unknown = assertThrows(InvalidPayloadException.class,
                () -> s.validate(concat(new byte[]{0}, body, 0x98, 0x06, 1)));
        assertTrue(unknown.getMessage().contains("field number 99"), unknown.getMessage());
        // The same deep inside a nested message: Order.total (7) holding Money with a field 9.
        assertThrows(InvalidPayloadException.class, () -> s.validate(bytes(0, 0x3A, 2, 0x48, 1)));
        assertThrows(InvalidPayloadException.class, () -> s.toJson(bytes(0, 0x0F)));
    }

    @Test
    void refusesPayloadsNestedBeyondProtobufsRecursionLimit() throws Exception {
        ProtobufParsedSchema tree = (ProtobufParsedSchema) parse("syntax = \"proto3\"; message Node { Node child = 1; int32 v = 2; }");
        Descriptor node = tree.descriptor().findMessageTypeByName("Node");
        DynamicMessage m = DynamicMessage.newBuilder(node).setField(node.findFieldByName("v"), 1).build();
        for (int i = 0; i < 150; i++) {
            m = DynamicMessage.newBuilder(node).setField(node.findFieldByName("child"), m).build();
        }
        byte[] deep = m.toByteArray();
        assertThrows(InvalidPayloadException.class, () -> tree.validate(concat(new byte[]{0}, deep)));
        assertThrows(InvalidPayloadException.class, () -> tree.toJson(concat(new byte[]{0}, deep)));
    }

    @Test
    void refusesJsonThatBreaksTheSchema() throws Exception {
        ProtobufParsedSchema s = order();
        assertThrows(InvalidPayloadException.class, () -> s.fromJson(JSON.readTree("{\"nope\":1}")));
        assertThrows(InvalidPayloadException.class, () -> s.fromJson(JSON.readTree("{\"status\":\"MAYBE\"}")));
        assertThrows(InvalidPayloadException.class, () -> s.fromJson(JSON.readTree("{\"priority\":\"high\"}")));
        assertThrows(InvalidPayloadException.class, () -> s.fromJson(JSON.readTree("{\"card\":\"a\",\"iban\":\"b\"}")));
        assertThrows(InvalidPayloadException.class, () -> s.fromJson(JSON.readTree("[1]")));

        ParsedSchema proto2 = parse("syntax = \"proto2\"; message R { required int32 a = 1; optional int32 b = 2; }");
        InvalidPayloadException required = assertThrows(InvalidPayloadException.class, () -> proto2.fromJson(JSON.readTree("{\"b\":1}")));
        assertTrue(required.getMessage().contains("a"), required.getMessage());
        assertThrows(InvalidPayloadException.class, () -> proto2.validate(bytes(0, 0x10, 1)), "required a missing on the wire");
        proto2.validate(bytes(0, 0x08, 1));
    }
}

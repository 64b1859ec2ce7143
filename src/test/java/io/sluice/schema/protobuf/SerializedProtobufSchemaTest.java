package io.sluice.schema.protobuf;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumValueDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Label;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MessageOptions;
import com.google.protobuf.DescriptorProtos.OneofDescriptorProto;
import com.google.protobuf.StructProto;
import io.sluice.schema.InvalidSchemaException;
import io.sluice.schema.ParsedSchema;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Confluent's "serialized" form of Protobuf schemas (a base64 {@code FileDescriptorProto}), which
 * Confluent's JavaScript serializer registers and reads back with {@code ?format=serialized}: it
 * parses to the same canonical schema as the .proto text it describes, and a parsed schema gives
 * its descriptor back.
 */
class SerializedProtobufSchemaTest {
    private final ProtobufSchemaProvider provider = new ProtobufSchemaProvider();

    private static final String TEXT = """
            syntax = "proto3";
            package acme;

            message Order {
              int64 id = 1;
              optional string note = 2;
              map<string, int32> counts = 3;
              repeated Line lines = 4;
              oneof payment {
                string card = 5;
                string iban = 6;
              }
              Status status = 7;
              reserved 9, 12 to 14;
              reserved "legacy";

              message Line {
                string sku = 1;
                int32 qty = 2;
              }
            }
            enum Status {
              NEW = 0;
              PAID = 1;
            }
            """;

    /** The descriptor protoc would write for {@link #TEXT}. */
    private static FileDescriptorProto descriptor() {
        DescriptorProto line = DescriptorProto.newBuilder().setName("Line")
                .addField(field("sku", 1, Type.TYPE_STRING, Label.LABEL_OPTIONAL))
                .addField(field("qty", 2, Type.TYPE_INT32, Label.LABEL_OPTIONAL)).build();
        DescriptorProto countsEntry = DescriptorProto.newBuilder().setName("CountsEntry")
                .addField(field("key", 1, Type.TYPE_STRING, Label.LABEL_OPTIONAL))
                .addField(field("value", 2, Type.TYPE_INT32, Label.LABEL_OPTIONAL))
                .setOptions(MessageOptions.newBuilder().setMapEntry(true)).build();
        DescriptorProto order = DescriptorProto.newBuilder().setName("Order")
                .addField(field("id", 1, Type.TYPE_INT64, Label.LABEL_OPTIONAL))
                .addField(field("note", 2, Type.TYPE_STRING, Label.LABEL_OPTIONAL).toBuilder()
                        .setOneofIndex(1).setProto3Optional(true))
                .addField(field("counts", 3, Type.TYPE_MESSAGE, Label.LABEL_REPEATED).toBuilder()
                        .setTypeName(".acme.Order.CountsEntry"))
                .addField(field("lines", 4, Type.TYPE_MESSAGE, Label.LABEL_REPEATED).toBuilder()
                        .setTypeName(".acme.Order.Line"))
                .addField(field("card", 5, Type.TYPE_STRING, Label.LABEL_OPTIONAL).toBuilder().setOneofIndex(0))
                .addField(field("iban", 6, Type.TYPE_STRING, Label.LABEL_OPTIONAL).toBuilder().setOneofIndex(0))
                .addField(field("status", 7, Type.TYPE_ENUM, Label.LABEL_OPTIONAL).toBuilder().setTypeName(".acme.Status"))
                .addOneofDecl(OneofDescriptorProto.newBuilder().setName("payment"))
                .addOneofDecl(OneofDescriptorProto.newBuilder().setName("_note"))
                .addReservedRange(DescriptorProto.ReservedRange.newBuilder().setStart(9).setEnd(10))
                .addReservedRange(DescriptorProto.ReservedRange.newBuilder().setStart(12).setEnd(15))
                .addReservedName("legacy")
                .addNestedType(line).addNestedType(countsEntry).build();
        EnumDescriptorProto status = EnumDescriptorProto.newBuilder().setName("Status")
                .addValue(EnumValueDescriptorProto.newBuilder().setName("NEW").setNumber(0))
                .addValue(EnumValueDescriptorProto.newBuilder().setName("PAID").setNumber(1)).build();
        return FileDescriptorProto.newBuilder().setName("acme/order.proto").setPackage("acme").setSyntax("proto3")
                .addMessageType(order).addEnumType(status).build();
    }

    private static FieldDescriptorProto field(String name, int number, Type type, Label label) {
        return FieldDescriptorProto.newBuilder().setName(name).setNumber(number).setType(type).setLabel(label).build();
    }

    private static String base64(FileDescriptorProto file) {
        return Base64.getEncoder().encodeToString(file.toByteArray());
    }

    @Test
    void theSerializedFormParsesToTheSameSchemaAsItsText() throws Exception {
        ParsedSchema fromText = provider.parse(TEXT, List.of(), Map.of());
        ParsedSchema fromDescriptor = provider.parse(base64(descriptor()), List.of(), Map.of());
        // Equal after normalization: the registry gives both one id under normalize=true ...
        assertEquals(fromText.normalize().canonicalString(), fromDescriptor.normalize().canonicalString());
        // ... and each reads what the other writes.
        assertEquals(List.of(), fromText.readerIncompatibilities(fromDescriptor));
        assertEquals(List.of(), fromDescriptor.readerIncompatibilities(fromText));
        assertEquals("acme.Order", fromDescriptor.recordName());
        assertTrue(fromDescriptor.originalString().contains("map<string, int32> counts = 3;"),
                fromDescriptor.originalString());
        assertTrue(fromDescriptor.originalString().contains("optional string note = 2;"), fromDescriptor.originalString());
        assertTrue(fromDescriptor.originalString().contains("reserved 9, 12 to 14;"), fromDescriptor.originalString());
    }

    @Test
    void aParsedSchemaGivesItsDescriptorBackWhenAskedForTheSerializedForm() throws Exception {
        ParsedSchema parsed = provider.parse(TEXT, List.of(), Map.of());
        String serialized = parsed.formatted("serialized");
        FileDescriptorProto back = FileDescriptorProto.parseFrom(Base64.getDecoder().decode(serialized));
        assertEquals("acme", back.getPackage());
        assertEquals(List.of("Order"), back.getMessageTypeList().stream().map(DescriptorProto::getName).toList());
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7),
                back.getMessageType(0).getFieldList().stream().map(FieldDescriptorProto::getNumber).toList());
        // Registered again in that form, it describes the same messages (reserved ranges, which the
        // descriptor Wire encodes leaves out, are all it loses).
        ParsedSchema again = provider.parse(serialized, List.of(), Map.of());
        assertEquals(List.of(), again.readerIncompatibilities(parsed));
        assertEquals(List.of(), parsed.readerIncompatibilities(again));
        assertEquals(parsed.recordName(), again.recordName());
        assertNull(parsed.formatted("no-such-format"));
    }

    @Test
    void wellKnownDescriptorsConvertToTextThatParses() throws Exception {
        ParsedSchema struct = provider.parse(base64(StructProto.getDescriptor().toProto()), List.of(), Map.of());
        assertEquals("google.protobuf.Struct", struct.recordName());
        assertTrue(struct.originalString().contains("map<string, .google.protobuf.Value> fields = 1;"),
                struct.originalString());
        assertTrue(struct.originalString().contains("oneof kind {"), struct.originalString());
    }

    @Test
    void base64ThatIsNotADescriptorIsAnInvalidSchema() {
        assertThrows(InvalidSchemaException.class, () -> provider.parse("abcd", List.of(), Map.of()));
        assertThrows(InvalidSchemaException.class,
                () -> provider.parse(Base64.getEncoder().encodeToString(new byte[] {(byte) 0xff, 1, 2}), List.of(), Map.of()));
    }
}

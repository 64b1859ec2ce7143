package io.sluice.api.json;

import io.sluice.schema.RequestSchema;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Typed produce bodies and frames: REST Proxy v2's schema members beside the records, and their rules. */
class SchemaBatchParserTest {
    private final ProduceParser parser = new ProduceParser();

    private SchemaBatch batch(String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        return parser.parseSchemaBatch(b, 0, b.length, RecordFormat.AVRO);
    }

    private String refusal(String body) {
        return assertThrows(ProduceParseException.class, () -> batch(body)).getMessage();
    }

    @Test
    void schemaMembersComeBesideTheRecordsInAnyOrderAndValuesKeepTheirJsonText() {
        SchemaBatch b = batch("{\"value_schema_id\":7,\"records\":[{\"key\":\"k\",\"value\":{\"a\": [1, 2]},\"partition\":1}],"
                + "\"key_schema\":\"\\\"string\\\"\"}");
        assertEquals(RequestSchema.ofId(7), b.valueSchema());
        assertEquals(RequestSchema.ofText("\"string\""), b.keySchema());
        assertEquals("{\"a\": [1, 2]}", JsonTestSupport.valueText(b.records().get(0)));
        assertEquals("\"k\"", JsonTestSupport.keyText(b.records().get(0)));
        assertEquals(1, b.records().get(0).partition());
        // Only the json format marks its bytes as JSON text: typed ones are encoded before they are stored.
        assertEquals(0, b.records().get(0).attributes());
    }

    @Test
    void absentAndNullSchemasAreNull() {
        SchemaBatch b = batch("{\"records\":[{\"value\":1}],\"value_schema\":null}");
        assertNull(b.keySchema());
        assertNull(b.valueSchema());
    }

    @Test
    void aSideNamesItsSchemaOnceAndWithTheRightType() {
        assertTrue(refusal("{\"value_schema_id\":1,\"value_schema\":\"x\",\"records\":[{}]}").contains("given more than once or together"));
        assertTrue(refusal("{\"key_schema_id\":1,\"key_schema_id\":2,\"records\":[{}]}").contains("key_schema and key_schema_id"));
        assertTrue(refusal("{\"value_schema_id\":\"1\",\"records\":[{}]}").contains("body.value_schema_id: expected a schema id"));
        assertTrue(refusal("{\"value_schema_id\":-1,\"records\":[{}]}").contains("expected a schema id"));
        assertTrue(refusal("{\"value_schema_id\":1.5,\"records\":[{}]}").contains("expected a schema id"));
        assertTrue(refusal("{\"value_schema\":{\"type\":\"string\"},\"records\":[{}]}").contains("expected the schema as a JSON string"));
        assertTrue(refusal("{\"schema\":\"x\",\"records\":[{}]}").contains("unknown field \"schema\""));
    }

    @Test
    void plainFormatsKnowNoSchemaMembers() {
        byte[] b = "{\"value_schema_id\":1,\"records\":[{}]}".getBytes(StandardCharsets.UTF_8);
        ProduceParseException e = assertThrows(ProduceParseException.class, () -> parser.parseBatch(b, 0, b.length, RecordFormat.JSON));
        assertTrue(e.getMessage().contains("unknown field \"value_schema_id\""), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> parser.parseSchemaBatch(b, 0, b.length, RecordFormat.BINARY));
    }

    @Test
    void typedFramesMayNameSchemasTooBesideOneRecordOrARecordsArray() {
        byte[] one = "{\"value\":{\"n\":1},\"value_schema_id\":3,\"context\":9}".getBytes(StandardCharsets.UTF_8);
        ProduceFrame f = parser.parseFrame(one, 0, one.length, RecordFormat.PROTOBUF);
        assertEquals(RequestSchema.ofId(3), f.valueSchema());
        assertNull(f.keySchema());
        assertEquals("{\"n\":1}", JsonTestSupport.valueText(f.records().get(0)));
        byte[] many = "{\"records\":[{\"value\":1}],\"key_schema\":\"s\"}".getBytes(StandardCharsets.UTF_8);
        assertEquals(RequestSchema.ofText("s"), parser.parseFrame(many, 0, many.length, RecordFormat.JSONSCHEMA).keySchema());
        ProduceParseException e = assertThrows(ProduceParseException.class,
                () -> parser.parseFrame(one, 0, one.length, RecordFormat.JSON));
        assertTrue(e.getMessage().contains("unknown field \"value_schema_id\""), e.getMessage());
    }
}

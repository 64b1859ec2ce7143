package io.sluice.api.json;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordFormatTest {

    @Test
    void contentTypesMapToFormats() {
        assertEquals(Optional.of(RecordFormat.JSON), RecordFormat.fromContentType("application/json"));
        assertEquals(Optional.of(RecordFormat.JSON), RecordFormat.fromContentType("application/vnd.kafka.json.v2+json"));
        assertEquals(Optional.of(RecordFormat.BINARY), RecordFormat.fromContentType("application/vnd.kafka.binary.v2+json"));
        assertEquals(Optional.of(RecordFormat.TEXT), RecordFormat.fromContentType("application/vnd.kafka.text.v2+json"));
        assertEquals(Optional.of(RecordFormat.JSON), RecordFormat.fromContentType("application/x-ndjson"));
    }

    @Test
    void restProxyEmbeddedSchemaFormatsMapToTypedFormats() {
        assertEquals(Optional.of(RecordFormat.AVRO), RecordFormat.fromContentType("application/vnd.kafka.avro.v2+json"));
        assertEquals(Optional.of(RecordFormat.JSONSCHEMA), RecordFormat.fromContentType("application/vnd.kafka.jsonschema.v2+json"));
        assertEquals(Optional.of(RecordFormat.PROTOBUF),
                RecordFormat.fromContentType("Application/vnd.kafka.protobuf.v2+json; charset=utf-8"));
        assertEquals(io.sluice.schema.SchemaType.AVRO, RecordFormat.AVRO.schemaType());
        assertEquals(io.sluice.schema.SchemaType.JSON, RecordFormat.JSONSCHEMA.schemaType());
        assertEquals(io.sluice.schema.SchemaType.PROTOBUF, RecordFormat.PROTOBUF.schemaType());
        assertTrue(RecordFormat.PROTOBUF.typed());
        assertEquals(null, RecordFormat.JSON.schemaType());
        assertEquals(RecordFormat.AVRO, RecordFormat.fromQuery("avro"));
        assertEquals(RecordFormat.JSONSCHEMA, RecordFormat.fromQuery("JsonSchema"));
    }

    @Test
    void parametersCaseAndBlanksAreIgnored() {
        assertEquals(Optional.of(RecordFormat.JSON), RecordFormat.fromContentType("application/json; charset=utf-8"));
        assertEquals(Optional.of(RecordFormat.BINARY),
                RecordFormat.fromContentType(" Application/VND.kafka.binary.v2+json ;charset=UTF-8"));
        assertEquals(Optional.of(RecordFormat.JSON), RecordFormat.fromContentType(null));
        assertEquals(Optional.of(RecordFormat.JSON), RecordFormat.fromContentType("  "));
    }

    @Test
    void otherContentTypesAreUnsupported() {
        assertEquals(Optional.empty(), RecordFormat.fromContentType("text/plain"));
        assertEquals(Optional.empty(), RecordFormat.fromContentType("application/vnd.kafka.avro.v1+json"));
        assertEquals(Optional.empty(), RecordFormat.fromContentType("application/jsonx"));
        assertEquals(Optional.empty(), RecordFormat.fromContentType(";charset=utf-8"));
    }

    @Test
    void queryValues() {
        assertEquals(RecordFormat.JSON, RecordFormat.fromQuery(null));
        assertEquals(RecordFormat.JSON, RecordFormat.fromQuery("json"));
        assertEquals(RecordFormat.BINARY, RecordFormat.fromQuery("binary"));
        assertEquals(RecordFormat.TEXT, RecordFormat.fromQuery("TEXT"));
        for (RecordFormat format : RecordFormat.values()) {
            assertEquals(format, RecordFormat.fromQuery(format.queryValue()));
        }
    }

    @Test
    void unknownQueryValuesAreRefusedWithAClearMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RecordFormat.fromQuery("xml"));
        assertEquals("format must be one of json, binary, text, avro, jsonschema, protobuf (got \"xml\")", e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RecordFormat.fromQuery("")).getMessage()
                .contains("(got \"\")"));
    }
}

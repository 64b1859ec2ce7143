package io.sluice.schema.registry;

import io.sluice.schema.CompatibilityLevel;
import io.sluice.schema.SchemaProviders;
import io.sluice.schema.SchemaReference;
import io.sluice.schema.SchemaType;
import io.sluice.schema.registry.SchemasTopic.SchemaValue;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code _schemas} records in Confluent's JSON (what a Confluent registry writes reads back here),
 * one encoding per key for compaction, and a copy rebuilt from them.
 */
class SchemasTopicTest {
    private static final String AVRO = "{\"type\":\"record\",\"name\":\"R\",\"fields\":[]}";

    @Test
    void recordsAreConfluentsJsonAndReadBack() {
        assertEquals("{\"keytype\":\"SCHEMA\",\"subject\":\"s\",\"version\":2,\"magic\":1}",
                new String(SchemasTopic.schemaKey("s", 2), StandardCharsets.UTF_8));
        assertEquals("{\"keytype\":\"CONFIG\",\"subject\":null,\"magic\":0}",
                new String(SchemasTopic.configKey(null), StandardCharsets.UTF_8));
        SchemaValue v = new SchemaValue("s", 2, 7, SchemaType.AVRO, AVRO, List.of(new SchemaReference("a.B", "b", 1)), false);
        assertEquals(new SchemasTopic.SchemaEntry("s", 2, v), SchemasTopic.decode(SchemasTopic.schemaKey("s", 2), SchemasTopic.schemaValue(v)));
        assertTrue(!new String(SchemasTopic.schemaValue(v), StandardCharsets.UTF_8).contains("schemaType"), "AVRO is the absent type");
        assertEquals(new SchemasTopic.ConfigEntry("s", CompatibilityLevel.FULL),
                SchemasTopic.decode(SchemasTopic.configKey("s"), SchemasTopic.configValue(CompatibilityLevel.FULL)));
        assertEquals(new SchemasTopic.ModeEntry(null, Mode.IMPORT), SchemasTopic.decode(SchemasTopic.modeKey(null),
                SchemasTopic.modeValue(Mode.IMPORT)));
        assertEquals(new SchemasTopic.SchemaEntry("s", 2, null), SchemasTopic.decode(SchemasTopic.schemaKey("s", 2), null));
        // A record as a Confluent registry writes it (its own field order, a NOOP key) reads too.
        String confluent = "{\"subject\":\"t\",\"version\":1,\"id\":3,\"schemaType\":\"JSON\",\"schema\":\"{}\",\"deleted\":true}";
        SchemasTopic.Entry e = SchemasTopic.decode("{\"keytype\":\"SCHEMA\",\"subject\":\"t\",\"version\":1,\"magic\":1}".getBytes(),
                confluent.getBytes());
        assertEquals(new SchemaValue("t", 1, 3, SchemaType.JSON, "{}", List.of(), true), ((SchemasTopic.SchemaEntry) e).value());
        assertEquals(new SchemasTopic.Other("NOOP"), SchemasTopic.decode("{\"keytype\":\"NOOP\",\"magic\":0}".getBytes(), null));
        assertThrows(IllegalArgumentException.class, () -> SchemasTopic.decode("[1]".getBytes(), null));
        // One encoding per key: compaction keeps the latest of each.
        assertArrayEquals(SchemasTopic.schemaKey("s", 2), SchemasTopic.schemaKey("s", 2));
    }

    @Test
    void aCopyRebuiltFromTheRecordsAnswersLikeTheOriginal() {
        RegistryState state = new RegistryState(SchemaProviders.standard());
        state.apply(SchemasTopic.decode(SchemasTopic.schemaKey("a", 1),
                SchemasTopic.schemaValue(new SchemaValue("a", 1, 4, SchemaType.AVRO, AVRO, List.of(), false))));
        state.apply(SchemasTopic.decode(SchemasTopic.schemaKey("b", 1),
                SchemasTopic.schemaValue(new SchemaValue("b", 1, 4, SchemaType.AVRO, AVRO.replace(",", ", "), List.of(), false))));
        assertEquals(4, state.maxId());
        assertEquals(4, state.idOf(state.parse(SchemaType.AVRO, AVRO, List.of())));
        assertEquals(List.of("a", "b"), state.subjects(false, null));
        state.apply(SchemasTopic.decode(SchemasTopic.deleteSubjectKey("a"), SchemasTopic.deleteSubjectValue("a", 1)));
        assertEquals(List.of("b"), state.subjects(false, null));
        state.apply(SchemasTopic.decode(SchemasTopic.schemaKey("a", 1), null));
        state.apply(SchemasTopic.decode(SchemasTopic.schemaKey("b", 1), null));
        assertNull(state.schema(4), "no version holds it any more");
        assertNull(state.parsedById(4));
        assertEquals(4, state.maxId(), "ids are never handed out again");
    }
}

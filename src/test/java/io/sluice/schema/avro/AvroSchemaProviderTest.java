package io.sluice.schema.avro;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.schema.CompatibilityLevel;
import io.sluice.schema.InvalidPayloadException;
import io.sluice.schema.InvalidSchemaException;
import io.sluice.schema.ParsedSchema;
import io.sluice.schema.SchemaReference;
import io.sluice.schema.SchemaType;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Avro schemas as the registry uses them: parsing (with referenced named types), the canonical and
 * normalized forms, compatibility at every level with the accepted and refused changes of
 * Confluent's Avro documentation, and payloads (binary validation, Avro's JSON encoding both ways).
 */
class AvroSchemaProviderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final AvroSchemaProvider provider = new AvroSchemaProvider();

    private ParsedSchema parse(String text) throws InvalidSchemaException {
        return provider.parse(text, List.of(), Map.of());
    }

    private static String record(String... fields) {
        return "{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"com.example\",\"fields\":[" + String.join(",", fields) + "]}";
    }

    private static final String F1 = "{\"name\":\"f1\",\"type\":\"string\"}";
    private static final String F2_REQUIRED = "{\"name\":\"f2\",\"type\":\"string\"}";
    private static final String F2_OPTIONAL = "{\"name\":\"f2\",\"type\":\"string\",\"default\":\"x\"}";

    @Test
    void parsesWithTypeNameAndCanonicalForm() throws Exception {
        ParsedSchema s = parse(record(F1));
        assertEquals(SchemaType.AVRO, s.type());
        assertEquals("com.example.User", s.recordName());
        assertEquals(record(F1), s.originalString());
        // Avro's own toString(): whitespace differences vanish, so they share an id.
        ParsedSchema spaced = parse(record(F1).replace(",", " ,\n  "));
        assertEquals(s.canonicalString(), spaced.canonicalString());
        assertNull(parse("\"string\"").recordName());
    }

    @Test
    void refusesWhatDoesNotParse() {
        assertThrows(InvalidSchemaException.class, () -> parse("{\"type\":\"record\",\"name\":\"R\"}"));
        assertThrows(InvalidSchemaException.class, () -> parse("not json"));
        assertThrows(InvalidSchemaException.class, () -> parse(record("{\"name\":\"n\",\"type\":\"Unknown\"}")));
        // A default that does not fit its type (Confluent validates defaults).
        assertThrows(InvalidSchemaException.class, () -> parse(record("{\"name\":\"n\",\"type\":\"int\",\"default\":\"x\"}")));
    }

    @Test
    void namedTypesOfOtherSubjectsResolveThroughReferences() throws Exception {
        String address = "{\"type\":\"record\",\"name\":\"Address\",\"namespace\":\"com.example\",\"fields\":[{\"name\":\"city\",\"type\":\"string\"}]}";
        String person = "{\"type\":\"record\",\"name\":\"Person\",\"namespace\":\"com.example\",\"fields\":[{\"name\":\"home\",\"type\":\"com.example.Address\"}]}";
        assertThrows(InvalidSchemaException.class, () -> parse(person));
        Map<String, String> resolved = new LinkedHashMap<>();
        resolved.put("com.example.Address", address);
        ParsedSchema p = provider.parse(person, List.of(new SchemaReference("com.example.Address", "address", 1)), resolved);
        assertEquals("com.example.Person", p.recordName());
        // The referenced type is named, not inlined, in the canonical form (what Confluent compares).
        assertTrue(p.canonicalString().contains("\"type\":\"Address\"") || p.canonicalString().contains("\"com.example.Address\""),
                p.canonicalString());
        assertTrue(!p.canonicalString().contains("city"), p.canonicalString());
        byte[] payload = p.fromJson(JSON.readTree("{\"home\":{\"city\":\"Oslo\"}}"));
        assertEquals("Oslo", p.toJson(ByteBuffer.wrap(payload)).get("home").get("city").asText());
    }

    @Test
    void normalizationMakesEquivalentSchemasEqual() throws Exception {
        ParsedSchema a = parse("{\"namespace\":\"com.example\",\"name\":\"User\",\"type\":\"record\",\"doc\":\"a user\","
                + "\"fields\":[{\"type\":\"string\",\"name\":\"f1\",\"doc\":\"first\"},{\"name\":\"tags\",\"type\":{\"type\":\"array\",\"items\":\"string\"}}]}");
        ParsedSchema b = parse("{\"type\":\"record\",\"name\":\"com.example.User\",\"fields\":[{\"name\":\"f1\",\"type\":{\"type\":\"string\"}},"
                + "{\"name\":\"tags\",\"type\":{\"items\":\"string\",\"type\":\"array\"}}]}");
        assertNotEquals(a.canonicalString(), b.canonicalString());
        assertEquals(a.normalize().canonicalString(), b.normalize().canonicalString());
        // Defaults are kept: a schema whose default differs is another schema.
        ParsedSchema c = parse(record(F1, F2_OPTIONAL));
        ParsedSchema d = parse(record(F1, F2_OPTIONAL.replace("\"x\"", "\"y\"")));
        assertNotEquals(c.normalize().canonicalString(), d.normalize().canonicalString());
        // And the normalized text parses back to the same schema.
        assertEquals(a.normalize().canonicalString(), AvroNormalForm.of(parse(a.normalize().originalString()).canonicalString()));
    }

    private List<String> check(CompatibilityLevel level, String proposed, String... previous) throws Exception {
        List<ParsedSchema> old = Arrays.stream(previous).map(this::parseUnchecked).toList();
        return level.check(parse(proposed), old);
    }

    private ParsedSchema parseUnchecked(String s) {
        try {
            return parse(s);
        } catch (InvalidSchemaException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void backwardAcceptsDeletingFieldsAndAddingOptionalOnesButNotAddingRequiredOnes() throws Exception {
        assertEquals(List.of(), check(CompatibilityLevel.BACKWARD, record(F1), record(F1, F2_REQUIRED)));
        assertEquals(List.of(), check(CompatibilityLevel.BACKWARD, record(F1, F2_OPTIONAL), record(F1)));
        List<String> refused = check(CompatibilityLevel.BACKWARD, record(F1, F2_REQUIRED), record(F1));
        assertEquals(1, refused.size(), refused.toString());
        assertTrue(refused.get(0).contains("READER_FIELD_MISSING_DEFAULT_VALUE") && refused.get(0).contains("f2")
                && refused.get(0).contains("/fields/1"), refused.get(0));
    }

    @Test
    void forwardAcceptsAddingFieldsAndDeletingOptionalOnesButNotDeletingRequiredOnes() throws Exception {
        assertEquals(List.of(), check(CompatibilityLevel.FORWARD, record(F1, F2_REQUIRED), record(F1)));
        assertEquals(List.of(), check(CompatibilityLevel.FORWARD, record(F1), record(F1, F2_OPTIONAL)));
        List<String> refused = check(CompatibilityLevel.FORWARD, record(F1), record(F1, F2_REQUIRED));
        assertEquals(1, refused.size(), refused.toString());
        assertTrue(refused.get(0).startsWith("FORWARD: ") && refused.get(0).contains("READER_FIELD_MISSING_DEFAULT_VALUE"), refused.get(0));
    }

    @Test
    void fullAcceptsOnlyOptionalFieldsAddedOrDeleted() throws Exception {
        assertEquals(List.of(), check(CompatibilityLevel.FULL, record(F1, F2_OPTIONAL), record(F1)));
        assertEquals(List.of(), check(CompatibilityLevel.FULL, record(F1), record(F1, F2_OPTIONAL)));
        assertEquals(1, check(CompatibilityLevel.FULL, record(F1, F2_REQUIRED), record(F1)).size());
        assertEquals(1, check(CompatibilityLevel.FULL, record(F1), record(F1, F2_REQUIRED)).size());
    }

    @Test
    void transitiveLevelsCheckEveryEarlierVersionNotOnlyTheLatest() throws Exception {
        // v1 {f1}, v2 {f1, f2 = "x"}, v3 {f1, f2 required}: v3 reads v2's data, not v1's.
        String v1 = record(F1);
        String v2 = record(F1, F2_OPTIONAL);
        String v3 = record(F1, F2_REQUIRED);
        assertEquals(List.of(), check(CompatibilityLevel.BACKWARD, v3, v1, v2));
        assertEquals(1, check(CompatibilityLevel.BACKWARD_TRANSITIVE, v3, v1, v2).size());
        // u1 {f1, f2 required}, u2 {f1, f2 = "x"}, u3 {f1}: u2's readers read u3's data, u1's do not.
        String u1 = record(F1, F2_REQUIRED);
        String u2 = record(F1, F2_OPTIONAL);
        String u3 = record(F1);
        assertEquals(List.of(), check(CompatibilityLevel.FORWARD, u3, u1, u2));
        assertEquals(1, check(CompatibilityLevel.FORWARD_TRANSITIVE, u3, u1, u2).size());
        assertEquals(List.of(), check(CompatibilityLevel.FULL, u3, u1, u2));
        assertEquals(1, check(CompatibilityLevel.FULL_TRANSITIVE, u3, u1, u2).size());
    }

    @Test
    void noneAcceptsAnyChangeAndTypeChangesAreRefusedOtherwise() throws Exception {
        String asInt = record("{\"name\":\"f1\",\"type\":\"int\"}");
        assertEquals(List.of(), check(CompatibilityLevel.NONE, asInt, record(F1)));
        List<String> refused = check(CompatibilityLevel.BACKWARD, asInt, record(F1));
        assertTrue(refused.get(0).contains("TYPE_MISMATCH"), refused.toString());
        // A widening promotion Avro allows: int written, long read.
        assertEquals(List.of(), check(CompatibilityLevel.BACKWARD, record("{\"name\":\"f1\",\"type\":\"long\"}"), asInt));
    }

    @Test
    void validatesBinaryPayloadsWholly() throws Exception {
        ParsedSchema s = parse(record(F1, "{\"name\":\"n\",\"type\":\"int\"}"));
        byte[] good = s.fromJson(JSON.readTree("{\"f1\":\"hi\",\"n\":150}"));
        s.validate(ByteBuffer.wrap(good));
        byte[] trailing = Arrays.copyOf(good, good.length + 1);
        assertThrows(InvalidPayloadException.class, () -> s.validate(ByteBuffer.wrap(trailing)));
        byte[] truncated = Arrays.copyOf(good, good.length - 1);
        assertThrows(InvalidPayloadException.class, () -> s.validate(ByteBuffer.wrap(truncated)));
        // A string length beyond the payload.
        assertThrows(InvalidPayloadException.class, () -> s.validate(ByteBuffer.wrap(new byte[]{(byte) 0x7e, 'a'})));
        // A payload inside a larger buffer, at an offset (as a record's value is).
        byte[] framed = new byte[good.length + 5];
        System.arraycopy(good, 0, framed, 5, good.length);
        s.validate(ByteBuffer.wrap(framed, 5, good.length));
    }

    @Test
    void jsonEncodingIsAvrosWithUnionsTagged() throws Exception {
        ParsedSchema s = parse(record(F1, "{\"name\":\"maybe\",\"type\":[\"null\",\"long\"],\"default\":null}",
                "{\"name\":\"kind\",\"type\":{\"type\":\"enum\",\"name\":\"Kind\",\"symbols\":[\"A\",\"B\"]}}"));
        JsonNode in = JSON.readTree("{\"f1\":\"x\",\"maybe\":{\"long\":7},\"kind\":\"B\"}");
        byte[] payload = s.fromJson(in);
        assertEquals(in, s.toJson(ByteBuffer.wrap(payload)));
        assertArrayEquals(payload, s.fromJson(s.toJson(ByteBuffer.wrap(payload))));
        assertEquals(JSON.readTree("null"), s.toJson(ByteBuffer.wrap(s.fromJson(JSON.readTree(
                "{\"f1\":\"x\",\"maybe\":null,\"kind\":\"A\"}")))).get("maybe"));
        assertThrows(InvalidPayloadException.class, () -> s.fromJson(JSON.readTree("{\"f1\":1,\"maybe\":null,\"kind\":\"A\"}")));
        assertThrows(InvalidPayloadException.class, () -> s.fromJson(JSON.readTree("{\"f1\":\"x\",\"maybe\":7,\"kind\":\"A\"}")));
        assertThrows(InvalidPayloadException.class, () -> s.fromJson(JSON.readTree("{\"f1\":\"x\",\"maybe\":null,\"kind\":\"C\"}")));
    }

    @Test
    void aRequestsValuesAreEncodedTogetherAsEachAloneAndAFailureNamesItsValue() throws Exception {
        ParsedSchema s = parse(record(F1, "{\"name\":\"maybe\",\"type\":[\"null\",\"long\"],\"default\":null}"));
        List<String> texts = List.of("{\"f1\":\"a\",\"maybe\":null}", "{\"maybe\":{\"long\":7},\"f1\":\"b\"}",
                " {\"f1\":\"c\",\"maybe\":{\"long\":-1}} ");
        List<byte[]> together = s.fromJsonTexts(texts.stream()
                .map(t -> ByteBuffer.wrap(t.getBytes(java.nio.charset.StandardCharsets.UTF_8))).toList());
        assertEquals(3, together.size());
        for (int i = 0; i < texts.size(); i++) {
            assertArrayEquals(s.fromJson(JSON.readTree(texts.get(i))), together.get(i), texts.get(i));
        }
        // A slice of a larger buffer, as a request body holds them.
        byte[] body = "xx{\"f1\":\"d\",\"maybe\":null}yy".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertArrayEquals(s.fromJson(JSON.readTree("{\"f1\":\"d\",\"maybe\":null}")),
                s.fromJsonTexts(List.of(ByteBuffer.wrap(body, 2, body.length - 4))).get(0));
        InvalidPayloadException second = assertThrows(InvalidPayloadException.class, () -> s.fromJsonTexts(
                List.of("{\"f1\":\"a\",\"maybe\":null}", "{\"f1\":2,\"maybe\":null}", "{\"f1\":\"c\",\"maybe\":null}")
                        .stream().map(t -> ByteBuffer.wrap(t.getBytes(java.nio.charset.StandardCharsets.UTF_8))).toList()));
        assertEquals(1, second.index());
    }
}

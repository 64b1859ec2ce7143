package io.sluice.schema.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.schema.InvalidPayloadException;
import io.sluice.schema.InvalidSchemaException;
import io.sluice.schema.ParsedSchema;
import io.sluice.schema.SchemaReference;
import io.sluice.schema.SchemaType;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonSchemaProviderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final JsonSchemaProvider provider = new JsonSchemaProvider();

    private static final String PERSON = """
            {
              "$schema": "http://json-schema.org/draft-07/schema#",
              "title": "Person",
              "type": "object",
              "properties": {
                "name": {"type": "string", "minLength": 1},
                "age":  {"type": "integer", "minimum": 0}
              },
              "required": ["name"],
              "additionalProperties": false
            }""";

    private ParsedSchema parse(String schema) throws InvalidSchemaException {
        return provider.parse(schema, List.of(), Map.of());
    }

    private static ByteBuffer utf8(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void parsesEveryDraftAndDefaultsToDraft7() throws Exception {
        for (String draft : List.of("http://json-schema.org/draft-04/schema#", "http://json-schema.org/draft-06/schema#",
                "http://json-schema.org/draft-07/schema#", "https://json-schema.org/draft/2019-09/schema",
                "https://json-schema.org/draft/2020-12/schema")) {
            ParsedSchema s = parse("{\"$schema\":\"" + draft + "\",\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}}}");
            assertEquals(SchemaType.JSON, s.type());
            s.validate(utf8("{\"a\":\"x\"}"));
            assertThrows(InvalidPayloadException.class, () -> s.validate(utf8("{\"a\":1}")), draft);
        }
        // 2020-12's prefixItems only means something under 2020-12: it constrains the first item there.
        ParsedSchema tuple = parse("""
                {"$schema":"https://json-schema.org/draft/2020-12/schema","type":"array",
                 "prefixItems":[{"type":"string"}],"items":false}""");
        tuple.validate(utf8("[\"x\"]"));
        assertThrows(InvalidPayloadException.class, () -> tuple.validate(utf8("[1]")));
        assertThrows(InvalidPayloadException.class, () -> tuple.validate(utf8("[\"x\",\"y\"]")));
        assertEquals(SchemaType.JSON, parse("{\"type\":\"string\"}").type());
        assertEquals(SchemaType.JSON, parse("true").type());
    }

    @Test
    void refusesTextThatIsNotJsonOrNotASchema() {
        InvalidSchemaException notJson = assertThrows(InvalidSchemaException.class, () -> parse("{\"type\": "));
        assertTrue(notJson.getMessage().contains("not JSON"), notJson.getMessage());
        assertThrows(InvalidSchemaException.class, () -> parse("[1,2]"));
        assertThrows(InvalidSchemaException.class, () -> parse("\"string\""));
        InvalidSchemaException badType = assertThrows(InvalidSchemaException.class, () -> parse("{\"type\":\"strnig\"}"));
        assertTrue(badType.getMessage().startsWith("Invalid JSON Schema"), badType.getMessage());
        assertThrows(InvalidSchemaException.class, () -> parse("{\"minLength\":-1}"));
        assertThrows(InvalidSchemaException.class, () -> parse("{\"properties\":{\"a\":5}}"));
        InvalidSchemaException draft = assertThrows(InvalidSchemaException.class,
                () -> parse("{\"$schema\":\"http://example.com/my-draft\",\"type\":\"string\"}"));
        assertTrue(draft.getMessage().contains("unsupported $schema"), draft.getMessage());
    }

    @Test
    void refusesReferencesThatDoNotResolveWithoutFetchingThem() {
        assertThrows(InvalidSchemaException.class, () -> parse("{\"$ref\":\"#/definitions/missing\"}"));
        // An absolute URL the registry has no reference for is not fetched: the schema is refused.
        InvalidSchemaException e = assertThrows(InvalidSchemaException.class,
                () -> parse("{\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":\"http://127.0.0.1:9/address.json\"}}}"));
        assertTrue(e.getMessage().startsWith("Invalid JSON Schema"), e.getMessage());
    }

    @Test
    void resolvesReferencesFromTheRegistryByAbsoluteAndRelativeName() throws Exception {
        String address = """
                {"type":"object","properties":{"street":{"type":"string"},"zip":{"type":"string","pattern":"^[0-9]{5}$"}},
                 "required":["street"]}""";
        String customer = """
                {"$id":"https://example.com/customer.json","title":"Customer","type":"object",
                 "properties":{"name":{"type":"string"},"home":{"$ref":"address.json"},
                   "work":{"$ref":"https://example.com/address.json"}}}""";
        SchemaReference ref = new SchemaReference("address.json", "address-value", 1);
        ParsedSchema s = provider.parse(customer, List.of(ref), Map.of("address.json", address));
        assertEquals(List.of(ref), s.references());
        s.validate(utf8("{\"name\":\"n\",\"home\":{\"street\":\"s\",\"zip\":\"12345\"},\"work\":{\"street\":\"w\"}}"));
        InvalidPayloadException bad = assertThrows(InvalidPayloadException.class,
                () -> s.validate(utf8("{\"home\":{\"street\":\"s\",\"zip\":\"1\"}}")));
        assertTrue(bad.getMessage().contains("home"), bad.getMessage());
        assertThrows(InvalidPayloadException.class, () -> s.validate(utf8("{\"work\":{}}")));

        // Without $id the relative name resolves against a base of our own, and is found the same way.
        ParsedSchema noId = provider.parse("{\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":\"address.json\"}}}",
                List.of(ref), Map.of("address.json", address));
        assertThrows(InvalidPayloadException.class, () -> noId.validate(utf8("{\"a\":{\"zip\":\"12345\"}}")));

        // A local definition with a reference to another document inside it.
        ParsedSchema local = provider.parse("""
                {"definitions":{"addr":{"$ref":"address.json"}},"type":"object","properties":{"a":{"$ref":"#/definitions/addr"}}}""",
                List.of(ref), Map.of("address.json", address));
        assertThrows(InvalidPayloadException.class, () -> local.validate(utf8("{\"a\":{}}")));
    }

    @Test
    void canonicalFormIsCompactAndNormalizedFormSortsKeys() throws Exception {
        ParsedSchema spaced = parse("{ \"type\" : \"object\",\n  \"properties\": {\"b\": {\"type\":\"string\"}, \"a\": {\"type\": \"integer\"}} }");
        ParsedSchema compact = parse("{\"type\":\"object\",\"properties\":{\"b\":{\"type\":\"string\"},\"a\":{\"type\":\"integer\"}}}");
        ParsedSchema reordered = parse("{\"properties\":{\"a\":{\"type\":\"integer\"},\"b\":{\"type\":\"string\"}},\"type\":\"object\"}");
        assertEquals(compact.canonicalString(), spaced.canonicalString());
        assertEquals("{\"type\":\"object\",\"properties\":{\"b\":{\"type\":\"string\"},\"a\":{\"type\":\"integer\"}}}",
                spaced.canonicalString());
        assertTrue(spaced.originalString().contains("\n"), "the original text is kept as registered");
        assertNotEquals(compact.canonicalString(), reordered.canonicalString());
        assertEquals(compact.normalize().canonicalString(), reordered.normalize().canonicalString());
        assertEquals("{\"properties\":{\"a\":{\"type\":\"integer\"},\"b\":{\"type\":\"string\"}},\"type\":\"object\"}",
                compact.normalize().canonicalString());
        ParsedSchema already = parse(compact.normalize().canonicalString());
        assertSame(already, already.normalize());
        // The normalized schema validates as the original did.
        assertThrows(InvalidPayloadException.class, () -> compact.normalize().validate(utf8("{\"a\":\"x\"}")));
    }

    @Test
    void recordNameIsTheTitle() throws Exception {
        assertEquals("Person", parse(PERSON).recordName());
        assertNull(parse("{\"type\":\"string\"}").recordName());
    }

    @Test
    void validatesPayloadsAndNamesTheViolationsNotThePayload() throws Exception {
        ParsedSchema s = parse(PERSON);
        s.validate(utf8("{\"name\":\"Ada\",\"age\":36}"));
        InvalidPayloadException missing = assertThrows(InvalidPayloadException.class, () -> s.validate(utf8("{\"age\":36}")));
        assertTrue(missing.getMessage().contains("name"), missing.getMessage());
        InvalidPayloadException wrongType = assertThrows(InvalidPayloadException.class,
                () -> s.validate(utf8("{\"name\":\"secret-value-xyz\",\"age\":\"old\"}")));
        assertTrue(wrongType.getMessage().contains("age"), wrongType.getMessage());
        assertFalse(wrongType.getMessage().contains("secret-value-xyz"), wrongType.getMessage());
        assertThrows(InvalidPayloadException.class, () -> s.validate(utf8("{\"name\":\"Ada\",\"extra\":1}")));
        assertThrows(InvalidPayloadException.class, () -> s.validate(utf8("{\"name\":\"Ada\"")));
        assertThrows(InvalidPayloadException.class, () -> s.validate(utf8("{\"name\":\"Ada\"} trailing")));
        assertThrows(InvalidPayloadException.class, () -> s.validate(utf8("")));
        assertThrows(InvalidPayloadException.class,
                () -> s.validate(ByteBuffer.wrap(new byte[]{'{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', (byte) 0xC3, '"', '}'})));
    }

    @Test
    void boundsNestingSoThatNoInputOverflowsTheStack() throws Exception {
        ParsedSchema tree = parse("{\"definitions\":{\"n\":{\"type\":\"object\",\"properties\":{\"c\":{\"$ref\":\"#/definitions/n\"},"
                + "\"v\":{\"type\":\"integer\"}}}},\"$ref\":\"#/definitions/n\"}");
        String shallow = "{\"c\":".repeat(150) + "{\"v\":1}" + "}".repeat(150);
        tree.validate(utf8(shallow));
        String deep = "{\"c\":".repeat(990) + "{\"v\":1}" + "}".repeat(990);
        InvalidPayloadException e = assertThrows(InvalidPayloadException.class, () -> tree.validate(utf8(deep)));
        assertTrue(e.getMessage().contains("deeper than 200"), e.getMessage());
        JsonNode deepValue = JSON.readTree(deep);
        assertThrows(InvalidPayloadException.class, () -> tree.fromJson(deepValue));
        InvalidSchemaException schema = assertThrows(InvalidSchemaException.class,
                () -> parse("{\"not\":".repeat(900) + "{}" + "}".repeat(900)));
        assertTrue(schema.getMessage().startsWith("Invalid JSON Schema"), schema.getMessage());
    }

    @Test
    void validatesOnlyTheBufferRemainingAndLeavesItsPositionAlone() throws Exception {
        ParsedSchema s = parse(PERSON);
        byte[] framed = "XXXXX{\"name\":\"Ada\"}".getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.wrap(framed);
        buffer.position(5);
        s.validate(buffer);
        assertEquals(5, buffer.position());
        ByteBuffer direct = ByteBuffer.allocateDirect(framed.length - 5);
        direct.put(framed, 5, framed.length - 5).flip();
        assertEquals("Ada", s.toJson(direct).get("name").asText());
    }

    @Test
    void fromJsonValidatesThenWritesUtf8AndToJsonReadsItBack() throws Exception {
        ParsedSchema s = parse(PERSON);
        JsonNode value = JSON.readTree("{\"name\":\"Zoë\",\"age\":3}");
        byte[] bytes = s.fromJson(value);
        assertArrayEquals("{\"name\":\"Zoë\",\"age\":3}".getBytes(StandardCharsets.UTF_8), bytes);
        assertEquals(value, s.toJson(ByteBuffer.wrap(bytes)));
        assertThrows(InvalidPayloadException.class, () -> s.fromJson(JSON.readTree("{\"name\":\"\"}")));
        assertThrows(InvalidPayloadException.class, () -> s.fromJson(JSON.readTree("[]")));
        assertThrows(InvalidPayloadException.class, () -> s.toJson(utf8("not json")));
    }
}

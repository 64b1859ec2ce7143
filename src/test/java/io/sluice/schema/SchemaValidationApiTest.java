package io.sluice.schema;

import io.sluice.testing.HttpTestClient;
import io.sluice.testing.HttpTestClient.Resp;
import io.sluice.testing.TestNode;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Validation on produce against one real node and its registry: on a topic with
 * {@code confluent.value.schema.validation} (or the key's), a request with a record that is not in
 * the wire format, names an unregistered id or one of another subject, or whose payload does not
 * decode (Avro) or breaks its JSON Schema is refused whole with 422 and nothing stored; valid
 * records pass; the record strategies pick the subject from the schema's record name.
 */
class SchemaValidationApiTest {
    static final String V1 = "application/vnd.schemaregistry.v1+json";
    static final String BINARY = "application/vnd.kafka.binary.v2+json";
    static final String USER = "{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"com.example\","
            + "\"fields\":[{\"name\":\"f1\",\"type\":\"string\"}]}";
    static final String OTHER = "{\"type\":\"record\",\"name\":\"Other\",\"namespace\":\"com.example\","
            + "\"fields\":[{\"name\":\"n\",\"type\":\"int\"}]}";

    @TempDir
    static Path dir;
    static TestNode node;
    static HttpTestClient http;

    @BeforeAll
    static void start() {
        node = TestNode.start(dir);
        http = new HttpTestClient(node.port());
    }

    @AfterAll
    static void stop() {
        if (http != null) {
            http.close();
        }
        if (node != null) {
            node.close();
        }
    }

    static int register(String subject, String schemaType, String schema) {
        JsonObject body = new JsonObject().put("schema", schema);
        if (schemaType != null) {
            body.put("schemaType", schemaType);
        }
        Resp r = http.send(HttpMethod.POST, "/subjects/" + subject + "/versions", V1, body.toBuffer(), Map.of("accept", V1));
        assertEquals(200, r.status(), r.toString());
        return r.json().getInteger("id");
    }

    /** {@code payload} in Confluent's wire format with {@code id}. */
    static byte[] wire(int id, byte... payload) {
        return WireFormat.encode(id, payload);
    }

    /** The Avro binary encoding of a User record: its one string field, length as a zig-zag varint. */
    static byte[] user(String f1) {
        byte[] s = f1.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[1 + s.length];
        out[0] = (byte) (s.length << 1);
        System.arraycopy(s, 0, out, 1, s.length);
        return out;
    }

    static JsonObject value(byte[] bytes) {
        return new JsonObject().put("value", bytes == null ? null : Base64.getEncoder().encodeToString(bytes));
    }

    static Resp produce(String topic, JsonObject... records) {
        JsonArray array = new JsonArray();
        for (JsonObject r : records) {
            array.add(r);
        }
        return http.send(HttpMethod.POST, "/topics/" + topic + "/records", BINARY,
                new JsonObject().put("records", array).toBuffer());
    }

    static long highWatermark(String topic) {
        return http.get("/topics/" + topic + "/partitions/0/offsets").json().getLong("high_watermark");
    }

    /** The request was refused whole with 422 (error_code {@code code}) and a message naming {@code needle}. */
    static void assertRefused(Resp r, int code, String needle) {
        assertEquals(422, r.status(), r.toString());
        assertEquals(code, r.json().getInteger("error_code"), r.toString());
        assertTrue(r.json().getString("message").contains(needle), r.toString());
    }

    @Test
    void aValidatingTopicRefusesEveryKindOfBadValueAndStoresNothing() {
        int id = register("orders-value", null, USER);
        int elsewhere = register("elsewhere-value", null, OTHER);
        http.createTopic("orders", 1, new JsonObject().put("confluent.value.schema.validation", true));

        Resp ok = produce("orders", value(wire(id, user("hi"))), value(wire(id, user(""))));
        assertEquals(200, ok.status(), ok.toString());
        assertEquals(2, highWatermark("orders"));

        // Each bad record sits behind a good one: nothing of its request may be stored.
        JsonObject good = value(wire(id, user("ok")));
        assertRefused(produce("orders", good, value(wire(999_999, user("x")))), 42201, "records[1].value has schema id 999999");
        assertRefused(produce("orders", good, value(wire(id, (byte) 0x10))), 42201, "records[1].value does not decode with schema id " + id);
        assertRefused(produce("orders", good, value("{\"f1\":\"plain json\"}".getBytes(StandardCharsets.UTF_8))), 42201,
                "records[1].value is not in Confluent's wire format");
        assertRefused(produce("orders", good, value(new byte[]{0, 0})), 42201, "records[1].value is not in Confluent's wire format");
        assertRefused(produce("orders", good, value(wire(elsewhere, (byte) 2))), 42201,
                "records[1].value has schema id " + elsewhere + ", which is not registered under subject 'orders-value'");
        assertRefused(produce("orders", good, value(null)), 42201, "records[1].value is null");
        assertEquals(2, highWatermark("orders"));

        String metrics = http.get("/metrics").text();
        assertTrue(metrics.contains("sluice_schema_validation_failures_total{topic=\"orders\"} 6.0"), metrics);
        assertTrue(metrics.contains("sluice_schema_validation_records_total{topic=\"orders\"} 2.0"), metrics);
        // The registry's own gauges agree with what it answers.
        int subjects = http.get("/subjects").jsonArray().size();
        assertTrue(subjects >= 2, "orders-value and the other subject: " + subjects);
        assertTrue(metrics.contains("sluice_schema_registry_subjects " + subjects + ".0"), metrics);
        java.util.regex.Matcher schemas = java.util.regex.Pattern.compile("sluice_schema_registry_schemas (\\d+)\\.0")
                .matcher(metrics);
        assertTrue(schemas.find(), metrics);
        assertTrue(http.get("/schemas/ids/" + schemas.group(1)).status() == 200, "the highest id is a schema");
        assertTrue(http.get("/schemas/ids/" + (Integer.parseInt(schemas.group(1)) + 1)).status() == 404, "and no id above it");
    }

    @Test
    void keysAreValidatedWhenTheKeyConfigSaysSoAndTombstonesPassOnACompactedTopic() {
        int key = register("keyed-key", null, "\"string\"");
        int value = register("keyed-value", null, USER);
        http.createTopic("keyed", 1, new JsonObject().put("confluent.key.schema.validation", true)
                .put("confluent.value.schema.validation", true).put("cleanup.policy", "compact"));
        String k = Base64.getEncoder().encodeToString(wire(key, user("k1")));
        Resp tombstone = produce("keyed", new JsonObject().put("key", k).put("value", (String) null),
                new JsonObject().put("key", k).put("value", Base64.getEncoder().encodeToString(wire(value, user("v")))));
        assertEquals(200, tombstone.status(), tombstone.toString());
        assertRefused(produce("keyed", value(wire(value, user("v")))), 42201, "records[0].key is null");
        assertRefused(produce("keyed", new JsonObject().put("key", Base64.getEncoder().encodeToString("k".getBytes(StandardCharsets.UTF_8)))
                .put("value", Base64.getEncoder().encodeToString(wire(value, user("v"))))), 42201, "records[0].key is not in Confluent's wire format");
        assertEquals(2, highWatermark("keyed"));
    }

    @Test
    void jsonThatBreaksItsJsonSchemaIsRefused() {
        int id = register("js-value", "JSON", "{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"integer\"}},\"required\":[\"n\"]}");
        http.createTopic("js", 1, new JsonObject().put("confluent.value.schema.validation", true));
        assertEquals(200, produce("js", value(wire(id, "{\"n\":1}".getBytes(StandardCharsets.UTF_8)))).status());
        assertRefused(produce("js", value(wire(id, "{\"n\":\"one\"}".getBytes(StandardCharsets.UTF_8)))), 42201,
                "records[0].value does not decode with schema id " + id);
        assertRefused(produce("js", value(wire(id, "{}".getBytes(StandardCharsets.UTF_8)))), 42201, "records[0].value");
        assertEquals(1, highWatermark("js"));
    }

    @Test
    void protobufPayloadsAreParsedAfterTheirMessageIndexes() {
        int id = register("pb-value", "PROTOBUF", "syntax = \"proto3\";\npackage shop;\nmessage Order {\n  string sku = 1;\n}\n");
        http.createTopic("pb", 1, new JsonObject().put("confluent.value.schema.validation", true));
        // Message indexes [0] (the first message: one zero byte), then field 1 as a string "a".
        assertEquals(200, produce("pb", value(wire(id, (byte) 0, (byte) 0x0A, (byte) 1, (byte) 'a'))).status());
        assertRefused(produce("pb", value(wire(id, (byte) 0, (byte) 0x0A, (byte) 5, (byte) 'a'))), 42201,
                "records[0].value does not decode with schema id " + id);
        assertEquals(1, highWatermark("pb"));
    }

    @Test
    void recordNameStrategiesTakeTheSubjectFromTheSchemasRecordName() {
        int user = register("com.example.User", null, USER);
        // Other's id is registered, but under a subject that is not its record name.
        int other = register("by-record-value", null, OTHER);
        http.createTopic("by-record", 1, new JsonObject().put("confluent.value.schema.validation", true)
                .put("confluent.value.subject.name.strategy", "RecordNameStrategy"));
        assertEquals(200, produce("by-record", value(wire(user, user("u")))).status());
        assertRefused(produce("by-record", value(wire(other, (byte) 2))), 42201,
                "which is not registered under subject 'com.example.Other'");

        int topicUser = register("by-topic-record-com.example.User", null, USER);
        assertEquals(user, topicUser);
        http.createTopic("by-topic-record", 1, new JsonObject().put("confluent.value.schema.validation", true)
                .put("confluent.value.subject.name.strategy", "io.confluent.kafka.serializers.subject.TopicRecordNameStrategy"));
        assertEquals(200, produce("by-topic-record", value(wire(user, user("u")))).status());
        assertRefused(produce("by-topic-record", value(wire(other, (byte) 2))), 42201,
                "not registered under subject 'by-topic-record-com.example.Other'");
        // A schema without a record name cannot name a subject by it.
        int plain = register("plain-value", null, "\"int\"");
        assertRefused(produce("by-topic-record", value(wire(plain, (byte) 2))), 42201, "which has no record name");
    }

    @Test
    void valueSchemaSubjectNamesTheSubjectOutright() {
        int id = register("shared-users", null, USER);
        http.createTopic("named", 1, new JsonObject().put("confluent.value.schema.validation", true)
                .put("value.schema.subject", "shared-users"));
        assertEquals(200, produce("named", value(wire(id, user("a")))).status());
        int other = register("named-value", null, OTHER);
        assertRefused(produce("named", value(wire(other, (byte) 2))), 42201, "not registered under subject 'shared-users'");
    }

    @Test
    void aTopicWithoutValidationTakesAnything() {
        http.createTopic("free", 1, new JsonObject());
        assertEquals(200, produce("free", value(new byte[]{0, 0, 0, 0, 42, 1}), value("x".getBytes(StandardCharsets.UTF_8))).status());
        assertEquals(2, highWatermark("free"));
    }
}

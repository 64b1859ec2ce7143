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

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Typed JSON over HTTP and WebSocket against one real node and its registry, as Confluent REST
 * Proxy v2 does it: JSON in with a schema id or a schema registered on the way, schema-encoded
 * bytes in Confluent's wire format stored, JSON out with {@code format=avro|jsonschema|protobuf};
 * REST Proxy's error codes for what is missing or refused.
 */
class TypedJsonApiTest {
    static final String V1 = "application/vnd.schemaregistry.v1+json";
    static final String AVRO = "application/vnd.kafka.avro.v2+json";
    static final String USER = "{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"com.example\","
            + "\"fields\":[{\"name\":\"name\",\"type\":\"string\"},{\"name\":\"age\",\"type\":\"int\"}]}";

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

    static Resp post(String topic, String contentType, JsonObject body) {
        return http.send(HttpMethod.POST, "/topics/" + topic + "/records", contentType, body.toBuffer());
    }

    static JsonArray fetch(String topic, String format) {
        Resp r = http.get("/topics/" + topic + "/partitions/0/records?offset=0&format=" + format);
        assertEquals(200, r.status(), r.toString());
        return r.json().getJsonArray("records");
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

    static long highWatermark(String topic) {
        return http.get("/topics/" + topic + "/partitions/0/offsets").json().getLong("high_watermark");
    }

    static void assertError(Resp r, int status, int code, String needle) {
        assertEquals(status, r.status(), r.toString());
        assertEquals(code, r.json().getInteger("error_code"), r.toString());
        assertTrue(r.json().getString("message").contains(needle), r.toString());
    }

    @Test
    void avroValuesGoInAsJsonAreStoredInTheWireFormatAndComeBackAsJson() {
        http.createTopic("users", 1, new JsonObject());
        JsonObject ann = new JsonObject().put("name", "ann").put("age", 41);
        Resp first = post("users", AVRO, new JsonObject().put("value_schema", USER)
                .put("records", new JsonArray().add(new JsonObject().put("value", ann))));
        assertEquals(200, first.status(), first.toString());
        int id = first.json().getInteger("value_schema_id");
        assertNull(first.json().getValue("key_schema_id"));
        assertEquals(0L, first.json().getJsonArray("offsets").getJsonObject(0).getLong("offset"));
        // Registered on the way under the topic's value subject.
        Resp versions = http.send(HttpMethod.GET, "/subjects/users-value/versions", null, null, Map.of("accept", V1));
        assertEquals(new JsonArray().add(1), versions.jsonArray(), versions.toString());
        assertEquals(id, register("users-value", null, USER));

        JsonObject bob = new JsonObject().put("name", "bob").put("age", 7);
        Resp second = post("users", AVRO + "; charset=utf-8", new JsonObject().put("value_schema_id", id)
                .put("records", new JsonArray().add(new JsonObject().put("value", bob).put("headers", new JsonObject().put("h", "1")))));
        assertEquals(200, second.status(), second.toString());
        assertEquals(id, second.json().getInteger("value_schema_id"));

        JsonArray typed = fetch("users", "avro");
        assertEquals(2, typed.size(), typed.toString());
        assertEquals(ann, typed.getJsonObject(0).getJsonObject("value"));
        assertEquals(bob, typed.getJsonObject(1).getJsonObject("value"));
        assertEquals(id, typed.getJsonObject(1).getInteger("value_schema_id"));
        assertNull(typed.getJsonObject(1).getValue("key_schema_id"));
        assertEquals(new JsonObject().put("h", "1"), typed.getJsonObject(1).getJsonObject("headers"));

        // What is stored: magic byte 0, the id, Avro's binary encoding (string "bob", int 7).
        byte[] stored = Base64.getDecoder().decode(fetch("users", "binary").getJsonObject(1).getString("value"));
        assertArrayEquals(WireFormat.encode(id, new byte[]{6, 'b', 'o', 'b', 14}), stored);
    }

    @Test
    void keysHaveTheirOwnSchemaAndSubject() {
        http.createTopic("keyed-users", 2, new JsonObject());
        Resp r = post("keyed-users", AVRO, new JsonObject().put("key_schema", "\"string\"").put("value_schema", USER)
                .put("records", new JsonArray().add(new JsonObject().put("key", "u1").put("value",
                        new JsonObject().put("name", "u").put("age", 1)).put("partition", 1))));
        assertEquals(200, r.status(), r.toString());
        int keyId = r.json().getInteger("key_schema_id");
        assertEquals(1, r.json().getJsonArray("offsets").getJsonObject(0).getInteger("partition"));
        assertEquals(keyId, register("keyed-users-key", null, "\"string\""));
        JsonObject out = http.get("/topics/keyed-users/partitions/1/records?offset=0&format=avro").json().getJsonArray("records")
                .getJsonObject(0);
        assertEquals("u1", out.getString("key"));
        assertEquals(keyId, out.getInteger("key_schema_id"));
    }

    @Test
    void missingOrUnusableSchemasAndRefusedValuesGetRestProxysErrorsAndStoreNothing() {
        http.createTopic("strict", 1, new JsonObject());
        JsonObject good = new JsonObject().put("value", new JsonObject().put("name", "a").put("age", 1));
        assertError(post("strict", AVRO, new JsonObject().put("records", new JsonArray().add(good))), 422, 42202,
                "no value_schema or value_schema_id");
        int id = register("strict-value", null, USER);
        assertError(post("strict", AVRO, new JsonObject().put("value_schema_id", id)
                .put("records", new JsonArray().add(good.copy().put("key", "k")))), 422, 42201, "no key_schema or key_schema_id");
        assertError(post("strict", AVRO, new JsonObject().put("value_schema_id", 987654)
                .put("records", new JsonArray().add(good))), 422, 42205, "value_schema_id 987654: no schema has this id");
        assertError(post("strict", AVRO, new JsonObject().put("value_schema", "{\"type\":\"nonsense\"}")
                .put("records", new JsonArray().add(good))), 422, 42205, "value_schema");
        assertError(post("strict", "application/vnd.kafka.jsonschema.v2+json", new JsonObject().put("value_schema_id", id)
                .put("records", new JsonArray().add(good))), 422, 42205, "is a AVRO schema");
        assertError(post("strict", AVRO, new JsonObject().put("value_schema_id", id).put("records", new JsonArray().add(good)
                .add(new JsonObject().put("value", new JsonObject().put("name", "b").put("age", "old"))))), 422, 42201,
                "records[1].value does not match schema " + id);
        assertError(post("strict", AVRO, new JsonObject().put("value_schema_id", id).put("value_schema", USER)
                .put("records", new JsonArray().add(good))), 400, 40002, "given more than once or together");
        assertError(post("strict", AVRO, new JsonObject().put("value_schema_id", id).put("records", new JsonArray().add(good))
                .put("schema", "x")), 400, 40002, "unknown field \"schema\"");
        assertError(http.send(HttpMethod.POST, "/topics/strict/records?format=avro", "application/x-ndjson",
                io.vertx.core.buffer.Buffer.buffer(good.encode() + "\n")), 400, 40001, "takes a batch body");
        assertEquals(0, highWatermark("strict"));
    }

    @Test
    void aValidatingTopicAcceptsTypedProduceWhoseSchemaIsRegisteredOnTheWay() {
        http.createTopic("checked", 1, new JsonObject().put("confluent.value.schema.validation", true));
        Resp r = post("checked", AVRO, new JsonObject().put("value_schema", USER).put("records", new JsonArray()
                .add(new JsonObject().put("value", new JsonObject().put("name", "c").put("age", 3)))));
        assertEquals(200, r.status(), r.toString());
        assertEquals(1, highWatermark("checked"));
    }

    @Test
    void jsonSchemaAndProtobufRoundTrip() {
        http.createTopic("js-typed", 1, new JsonObject());
        String schema = "{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"integer\"}},\"required\":[\"n\"]}";
        JsonObject v = new JsonObject().put("n", 5);
        Resp js = post("js-typed", "application/vnd.kafka.jsonschema.v2+json", new JsonObject().put("value_schema", schema)
                .put("records", new JsonArray().add(new JsonObject().put("value", v))));
        assertEquals(200, js.status(), js.toString());
        assertError(post("js-typed", "application/vnd.kafka.jsonschema.v2+json", new JsonObject().put("value_schema", schema)
                .put("records", new JsonArray().add(new JsonObject().put("value", new JsonObject().put("n", "five"))))), 422, 42201,
                "records[0].value does not match schema");
        JsonObject out = fetch("js-typed", "jsonschema").getJsonObject(0);
        assertEquals(v, out.getJsonObject("value"));
        assertEquals(js.json().getInteger("value_schema_id"), out.getInteger("value_schema_id"));

        http.createTopic("pb-typed", 1, new JsonObject());
        String proto = "syntax = \"proto3\";\npackage shop;\nmessage Order {\n  string sku = 1;\n  int32 count = 2;\n}\n";
        JsonObject order = new JsonObject().put("sku", "a-1").put("count", 3);
        Resp pb = post("pb-typed", "application/vnd.kafka.protobuf.v2+json", new JsonObject().put("value_schema", proto)
                .put("records", new JsonArray().add(new JsonObject().put("value", order))));
        assertEquals(200, pb.status(), pb.toString());
        JsonObject pbOut = fetch("pb-typed", "protobuf").getJsonObject(0);
        assertEquals(order, pbOut.getJsonObject("value"), pbOut.toString());
        // Protobuf's payload begins with the message indexes ([0]: the first message, one zero byte).
        byte[] stored = Base64.getDecoder().decode(fetch("pb-typed", "binary").getJsonObject(0).getString("value"));
        assertEquals(0, stored[0]);
        assertEquals(pb.json().getInteger("value_schema_id"), WireFormat.schemaId(stored, 0, stored.length));
        assertEquals(0, stored[5]);
    }

    @Test
    void recordsNotInTheWireFormatAreRenderedAsBase64WithAReasonAndTheStreamGoesOn() {
        http.createTopic("mixed", 1, new JsonObject());
        int id = register("mixed-value", null, USER);
        http.produce("mixed", new JsonArray().add(new JsonObject().put("value", "plain")));
        http.send(HttpMethod.POST, "/topics/mixed/records", "application/vnd.kafka.binary.v2+json", new JsonObject().put("records",
                new JsonArray().add(new JsonObject().put("value", Base64.getEncoder().encodeToString(WireFormat.encode(424242, new byte[]{1})))))
                .toBuffer());
        assertEquals(200, post("mixed", AVRO, new JsonObject().put("value_schema_id", id).put("records", new JsonArray()
                .add(new JsonObject().put("value", new JsonObject().put("name", "m").put("age", 2))))).status());
        JsonArray out = fetch("mixed", "avro");
        assertEquals(3, out.size(), out.toString());
        assertEquals(Base64.getEncoder().encodeToString("\"plain\"".getBytes(StandardCharsets.UTF_8)), out.getJsonObject(0).getString("value"));
        assertTrue(out.getJsonObject(0).getString("value_error").contains("not in Confluent's wire format"), out.toString());
        assertNull(out.getJsonObject(0).getValue("value_schema_id"));
        assertEquals(424242, out.getJsonObject(1).getInteger("value_schema_id"));
        assertTrue(out.getJsonObject(1).getString("value_error").contains("schema id 424242 is not registered"), out.toString());
        assertEquals(new JsonObject().put("name", "m").put("age", 2), out.getJsonObject(2).getJsonObject("value"));
        assertNull(out.getJsonObject(2).getValue("value_error"));
    }

    @Test
    void webSocketsProduceAndConsumeTypedJson() {
        http.createTopic("ws-typed", 1, new JsonObject());
        int id = register("ws-typed-value", null, USER);
        JsonObject dan = new JsonObject().put("name", "dan").put("age", 30);
        try (HttpTestClient.Socket producer = http.connect("/ws/produce?topic=ws-typed&format=avro&value_schema_id=" + id)) {
            producer.send(new JsonObject().put("value", dan).put("context", 1));
            JsonObject ack = producer.next();
            assertEquals(id, ack.getInteger("value_schema_id"), ack.toString());
            assertEquals(0L, ack.getJsonArray("offsets").getJsonObject(0).getLong("offset"), ack.toString());
            // A frame may name its own schema; one the schema refuses gets an error answer and is not stored.
            producer.send(new JsonObject().put("records", new JsonArray().add(new JsonObject().put("value", dan)))
                    .put("value_schema", USER).put("context", 2));
            assertEquals(1L, producer.next().getJsonArray("offsets").getJsonObject(0).getLong("offset"));
            producer.send(new JsonObject().put("value", new JsonObject().put("name", 1)).put("context", 3));
            JsonObject refused = producer.next();
            assertEquals(42201, refused.getInteger("error_code"), refused.toString());
            assertEquals(3, refused.getInteger("context"));
        }
        assertEquals(2, highWatermark("ws-typed"));
        try (HttpTestClient.Socket consumer = http.connect("/ws/consume?topics=ws-typed&from=earliest&format=avro")) {
            JsonObject frame = consumer.next("records");
            JsonObject record = frame.getJsonArray("records").getJsonObject(0);
            assertEquals(dan, record.getJsonObject("value"), frame.toString());
            assertEquals(id, record.getInteger("value_schema_id"));
        }
        Throwable refused = http.connectFailure("/ws/produce?topic=ws-typed&value_schema_id=" + id);
        assertTrue(refused.getMessage().contains("400"), refused.toString());
    }
}

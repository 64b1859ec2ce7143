package io.sluice.schema;

import io.sluice.testing.HttpTestClient;
import io.sluice.testing.HttpTestClient.Resp;
import io.sluice.testing.TestCluster;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Validation and typed JSON on a node that has not seen a schema yet: a schema registered through
 * one node is used at once through the other, whose lookup misses and catches up with the registry
 * (validating a produce, rendering a fetch), and a typed produce's inline schema registered through
 * a node that does not lead {@code _schemas} is read back as JSON through the other.
 */
class SchemaRecordsClusterTest {
    static final String V1 = "application/vnd.schemaregistry.v1+json";
    static final String USER = "{\"type\":\"record\",\"name\":\"User\",\"fields\":[{\"name\":\"f1\",\"type\":\"string\"}]}";
    static final String POINT = "{\"type\":\"record\",\"name\":\"Point\",\"fields\":[{\"name\":\"x\",\"type\":\"int\"}]}";

    @TempDir
    Path dir;
    TestCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static int register(HttpTestClient http, String subject, String schema) {
        Resp r = http.send(HttpMethod.POST, "/subjects/" + subject + "/versions", V1,
                new JsonObject().put("schema", schema).toBuffer(), Map.of("accept", V1));
        assertEquals(200, r.status(), r.toString());
        return r.json().getInteger("id");
    }

    static Resp produceBinary(HttpTestClient http, String topic, byte[] value) {
        return http.send(HttpMethod.POST, "/topics/" + topic + "/records", "application/vnd.kafka.binary.v2+json",
                new JsonObject().put("records", new JsonArray().add(new JsonObject().put("value",
                        Base64.getEncoder().encodeToString(value)))).toBuffer());
    }

    @Test
    void aSchemaRegisteredThroughOneNodeValidatesAndRendersAtOnceThroughTheOther() {
        cluster = new TestCluster(dir, 2, 0, "offsets.topic.num.partitions=1");
        try (HttpTestClient a = new HttpTestClient(cluster.node(0).port()); HttpTestClient b = new HttpTestClient(cluster.node(1).port())) {
            a.createTopic("checked", 1, new JsonObject().put("confluent.value.schema.validation", true));
            a.createTopic("open", 1, new JsonObject());

            int user = register(b, "checked-value", USER);
            Resp validated = produceBinary(a, "checked", WireFormat.encode(user, new byte[]{2, 'x'}));
            assertEquals(200, validated.status(), validated.toString());
            Resp refused = produceBinary(a, "checked", WireFormat.encode(user, new byte[]{9}));
            assertEquals(422, refused.status(), refused.toString());

            int point = register(b, "open-value", POINT);
            assertEquals(200, produceBinary(b, "open", WireFormat.encode(point, new byte[]{14})).status());
            Resp fetched = a.get("/topics/open/partitions/0/records?offset=0&format=avro");
            assertEquals(200, fetched.status(), fetched.toString());
            JsonObject record = fetched.json().getJsonArray("records").getJsonObject(0);
            assertEquals(new JsonObject().put("x", 7), record.getJsonObject("value"), record.toString());
            assertEquals(point, record.getInteger("value_schema_id"));

            // An inline schema registered on the way through each node; read back through the other.
            for (int i = 0; i < 2; i++) {
                HttpTestClient writer = i == 0 ? a : b;
                HttpTestClient reader = i == 0 ? b : a;
                String topic = "typed" + i;
                writer.createTopic(topic, 1, new JsonObject());
                Resp typed = writer.send(HttpMethod.POST, "/topics/" + topic + "/records", "application/vnd.kafka.avro.v2+json",
                        new JsonObject().put("value_schema", USER).put("records", new JsonArray()
                                .add(new JsonObject().put("value", new JsonObject().put("f1", "n" + i)))).toBuffer());
                assertEquals(200, typed.status(), typed.toString());
                JsonObject back = reader.get("/topics/" + topic + "/partitions/0/records?offset=0&format=avro").json()
                        .getJsonArray("records").getJsonObject(0);
                assertEquals(new JsonObject().put("f1", "n" + i), back.getJsonObject("value"), back.toString());
                assertEquals(user, typed.json().getInteger("value_schema_id"));
            }
        }
    }
}

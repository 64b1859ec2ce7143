package io.sluice.schema;

import io.sluice.testing.HttpTestClient;
import io.sluice.testing.HttpTestClient.Resp;
import io.sluice.testing.TestNode;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * With security on, a typed produce that carries a schema text registers it only for a producer
 * that may WRITE the subject: WRITE on the topic alone does not let anyone add schemas a subject's
 * ACLs refuse them. A registered schema's id needs only the topic's WRITE.
 */
class TypedJsonSecurityTest {
    private static final String ADMIN_PW = "typed-admin-pw";
    private static final String ALICE_PW = "typed-alice-pw";
    private static final String V1 = "application/vnd.schemaregistry.v1+json";
    private static final String SCHEMA = "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"}]}";

    @TempDir
    Path dir;

    private static void allow(HttpTestClient admin, String type, String name, String operation) {
        Resp r = admin.post("/acls", new JsonObject().put("principal", "User:alice").put("resource_type", type)
                .put("resource_name", name).put("operation", operation));
        assertEquals(201, r.status(), r.toString());
    }

    private static Resp typed(HttpTestClient http, JsonObject body) {
        return http.send(HttpMethod.POST, "/topics/t/records", "application/vnd.kafka.avro.v2+json",
                body.put("records", new JsonArray().add(new JsonObject().put("value", new JsonObject().put("a", 1)))).toBuffer());
    }

    @Test
    void registeringOnTheWayNeedsWriteOnTheSubject() {
        try (TestNode node = TestNode.start(dir, "security.enabled=true", "super.users=User:admin",
                "security.bootstrap.users=admin:" + ADMIN_PW);
             HttpTestClient admin = HttpTestClient.withBasic(node.port(), "admin", ADMIN_PW);
             HttpTestClient alice = HttpTestClient.withBasic(node.port(), "alice", ALICE_PW)) {
            assertEquals(201, admin.post("/users", new JsonObject().put("name", "alice").put("password", ALICE_PW)).status());
            admin.createTopic("t", 1, new JsonObject());
            allow(admin, "topic", "t", "write");

            Resp refused = typed(alice, new JsonObject().put("value_schema", SCHEMA));
            assertEquals(403, refused.status(), refused.toString());
            assertEquals(40301, refused.json().getInteger("error_code"));
            Resp subjects = admin.send(HttpMethod.GET, "/subjects", null, null, Map.of("accept", V1));
            assertEquals(new JsonArray(), subjects.jsonArray(), subjects.toString());

            Resp byAdmin = typed(admin, new JsonObject().put("value_schema", SCHEMA));
            assertEquals(200, byAdmin.status(), byAdmin.toString());
            int id = byAdmin.json().getInteger("value_schema_id");
            Resp byId = typed(alice, new JsonObject().put("value_schema_id", id));
            assertEquals(200, byId.status(), byId.toString());

            allow(admin, "subject", "t-value", "write");
            Resp allowed = typed(alice, new JsonObject().put("value_schema", SCHEMA));
            assertEquals(200, allowed.status(), allowed.toString());
            assertEquals(id, allowed.json().getInteger("value_schema_id"));
        }
    }
}

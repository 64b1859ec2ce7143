package io.sluice.schema.registry;

import io.sluice.testing.HttpTestClient;
import io.sluice.testing.HttpTestClient.Resp;
import io.sluice.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * With security on, the registry's routes authorize on the SUBJECT resource as Confluent's ACL
 * authorizer does (WRITE registers, READ reads, DELETE deletes, ALTER_CONFIGS changes a subject's
 * config), the global config needs the cluster, listings show only what the principal may see,
 * and refusals come in Confluent's error shape.
 */
class SchemaRegistrySecurityTest {
    private static final String ADMIN_PW = "registry-admin-pw";
    private static final String ALICE_PW = "registry-alice-pw";
    private static final String SCHEMA = "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"}]}";

    @TempDir
    Path dir;

    private static void allow(HttpTestClient admin, String operation, String subject) {
        Resp r = admin.post("/acls", new JsonObject().put("principal", "User:alice").put("resource_type", "subject")
                .put("resource_name", subject).put("operation", operation));
        assertEquals(201, r.status(), r.toString());
    }

    @Test
    void subjectsAreAuthorizedByTheirAcls() {
        try (TestNode node = TestNode.start(dir, "security.enabled=true", "super.users=User:admin",
                "security.bootstrap.users=admin:" + ADMIN_PW);
             HttpTestClient adminHttp = HttpTestClient.withBasic(node.port(), "admin", ADMIN_PW);
             RegistryClient admin = new RegistryClient(HttpTestClient.withBasic(node.port(), "admin", ADMIN_PW));
             RegistryClient alice = new RegistryClient(HttpTestClient.withBasic(node.port(), "alice", ALICE_PW));
             RegistryClient anonymous = new RegistryClient(node.port())) {
            assertEquals(201, adminHttp.post("/users", new JsonObject().put("name", "alice").put("password", ALICE_PW)).status());
            int other = admin.register("other-value", SCHEMA.replace("\"R\"", "\"Other\""));

            SchemaRegistryApiTest.assertRegistryError(anonymous.get("/subjects"), 401, 40101);
            SchemaRegistryApiTest.assertRegistryError(alice.post("/subjects/mine-value/versions", RegistryClient.schema(SCHEMA)), 403, 40301);
            assertEquals(new JsonArray(), alice.get("/subjects").jsonArray());
            SchemaRegistryApiTest.assertRegistryError(alice.get("/config"), 403, 40301);
            SchemaRegistryApiTest.assertRegistryError(alice.get("/schemas/ids/" + other), 403, 40301);

            allow(adminHttp, "write", "mine-value");
            int mine = alice.register("mine-value", SCHEMA);
            SchemaRegistryApiTest.assertRegistryError(alice.get("/subjects/mine-value/versions"), 403, 40301);
            allow(adminHttp, "read", "mine-value");
            assertEquals(new JsonArray().add(1), alice.get("/subjects/mine-value/versions").jsonArray());
            assertEquals(new JsonArray().add("mine-value"), alice.get("/subjects").jsonArray());
            assertEquals(200, alice.get("/schemas/ids/" + mine).status());
            assertEquals(new JsonArray().add("mine-value"), alice.get("/schemas/ids/" + mine + "/subjects").jsonArray());
            SchemaRegistryApiTest.assertRegistryError(alice.get("/subjects/other-value/versions/1"), 403, 40301);

            SchemaRegistryApiTest.assertRegistryError(alice.put("/config/mine-value", new JsonObject().put("compatibility", "FULL")),
                    403, 40301);
            SchemaRegistryApiTest.assertRegistryError(alice.delete("/subjects/mine-value"), 403, 40301);
            allow(adminHttp, "alter_configs", "mine-value");
            allow(adminHttp, "delete", "mine-value");
            assertEquals(200, alice.put("/config/mine-value", new JsonObject().put("compatibility", "FULL")).status());
            assertEquals("FULL", alice.get("/config/mine-value").json().getString("compatibilityLevel"));
            assertEquals(new JsonArray().add(1), alice.delete("/subjects/mine-value").jsonArray());
            // The global config is the cluster's.
            SchemaRegistryApiTest.assertRegistryError(alice.put("/config", new JsonObject().put("compatibility", "NONE")), 403, 40301);
            assertEquals(200, admin.put("/config", new JsonObject().put("compatibility", "NONE")).status());
        }
    }
}

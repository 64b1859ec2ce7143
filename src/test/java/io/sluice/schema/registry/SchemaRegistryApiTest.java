package io.sluice.schema.registry;

import io.sluice.testing.HttpTestClient.Resp;
import io.sluice.testing.TestNode;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Confluent Schema Registry API of one real node: every endpoint, every error code Confluent
 * gives on it, and content negotiation. Each test uses subjects of its own.
 */
class SchemaRegistryApiTest {
    @TempDir
    static Path dir;
    static TestNode node;
    static RegistryClient c;

    @BeforeAll
    static void start() {
        node = TestNode.start(dir);
        c = new RegistryClient(node.port());
    }

    @AfterAll
    static void stop() {
        if (c != null) {
            c.close();
        }
        if (node != null) {
            node.close();
        }
    }

    static String record(String name, String... fields) {
        return "{\"type\":\"record\",\"name\":\"" + name + "\",\"namespace\":\"com.example\",\"fields\":[" + String.join(",", fields) + "]}";
    }

    static final String F1 = "{\"name\":\"f1\",\"type\":\"string\"}";
    static final String F2_REQUIRED = "{\"name\":\"f2\",\"type\":\"string\"}";
    static final String F2_OPTIONAL = "{\"name\":\"f2\",\"type\":\"string\",\"default\":\"x\"}";

    /** The response is Confluent's error: {@code status} with {@code {"error_code": code, "message": ...}} in its content type. */
    static void assertRegistryError(Resp r, int status, int code) {
        assertEquals(status, r.status(), r.toString());
        assertEquals(RegistryClient.V1, r.headers().get("content-type"), r.toString());
        assertEquals(code, r.json().getInteger("error_code"), r.toString());
        assertFalse(r.json().getString("message").isBlank(), r.toString());
    }

    @Test
    void registersLooksUpAndReadsWithOneIdPerContent() {
        String v1 = record("User", F1);
        int id = c.register("users-value", v1);
        // The same schema again: its id, no new version; under another subject: the same id.
        assertEquals(id, c.register("users-value", v1));
        assertEquals(id, c.register("users-copy", v1.replace(",", ", ")));
        assertEquals(new JsonArray().add(1), c.get("/subjects/users-value/versions").jsonArray());
        int id2 = c.register("users-value", record("User", F1, F2_OPTIONAL));
        assertNotEquals(id, id2);
        assertEquals(new JsonArray().add(1).add(2), c.get("/subjects/users-value/versions").jsonArray());

        Resp latest = c.get("/subjects/users-value/versions/latest");
        assertEquals(200, latest.status(), latest.toString());
        assertEquals(RegistryClient.V1, latest.headers().get("content-type"));
        assertEquals(new JsonObject().put("subject", "users-value").put("version", 2).put("id", id2)
                .put("schema", record("User", F1, F2_OPTIONAL)), latest.json());
        assertEquals(latest.json(), c.get("/subjects/users-value/versions/-1").json());
        assertEquals(id, c.get("/subjects/users-value/versions/1").json().getInteger("id"));
        assertEquals(new JsonObject(v1), new JsonObject(c.get("/subjects/users-value/versions/1/schema").text()));

        Resp found = c.post("/subjects/users-value", RegistryClient.schema(v1));
        assertEquals(200, found.status(), found.toString());
        assertEquals(1, found.json().getInteger("version"));
        assertEquals(id, found.json().getInteger("id"));
        assertRegistryError(c.post("/subjects/users-value", RegistryClient.schema(record("Other", F1))), 404, 40403);
        assertRegistryError(c.post("/subjects/nobody", RegistryClient.schema(v1)), 404, 40401);

        assertEquals(new JsonObject().put("schema", v1), c.get("/schemas/ids/" + id).json());
        assertEquals(new JsonObject(v1), new JsonObject(c.get("/schemas/ids/" + id + "/schema").text()));
        assertEquals(new JsonArray().add("users-copy").add("users-value"), c.get("/schemas/ids/" + id + "/subjects").jsonArray());
        assertEquals(new JsonArray().add(new JsonObject().put("subject", "users-copy").put("version", 1))
                .add(new JsonObject().put("subject", "users-value").put("version", 1)), c.get("/schemas/ids/" + id + "/versions").jsonArray());
        assertEquals(200, c.get("/schemas/ids/" + id + "?subject=users-copy").status());
        assertRegistryError(c.get("/schemas/ids/" + id2 + "?subject=users-copy"), 404, 40403);
        assertRegistryError(c.get("/schemas/ids/99999"), 404, 40403);
        assertRegistryError(c.get("/schemas/ids/abc"), 404, 40403);
        assertTrue(c.get("/schemas/types").jsonArray().contains("AVRO"));

        JsonArray subjects = c.get("/subjects").jsonArray();
        assertTrue(subjects.contains("users-value") && subjects.contains("users-copy"), subjects.toString());
        assertEquals(new JsonArray().add("users-copy").add("users-value"), c.get("/subjects?subjectPrefix=users-").jsonArray());
    }

    @Test
    void refusesWhatConfluentRefusesWithItsCodes() {
        c.register("errors-value", record("E", F1));
        assertRegistryError(c.post("/subjects/errors-value/versions", RegistryClient.schema("{\"type\":\"record\"}")), 422, 42201);
        assertRegistryError(c.post("/subjects/errors-value/versions", RegistryClient.schema("not json")), 422, 42201);
        assertRegistryError(c.post("/subjects/errors-value/versions", new JsonObject()), 422, 42201);
        assertRegistryError(c.post("/subjects/errors-value/versions", RegistryClient.schema(record("E", F1)).put("schemaType", "XML")),
                422, 42201);
        assertRegistryError(c.get("/subjects/errors-value/versions/abc"), 422, 42202);
        assertRegistryError(c.get("/subjects/errors-value/versions/0"), 422, 42202);
        assertRegistryError(c.get("/subjects/errors-value/versions/7"), 404, 40402);
        assertRegistryError(c.get("/subjects/missing/versions"), 404, 40401);
        assertRegistryError(c.get("/subjects/missing/versions/1"), 404, 40401);
        Resp incompatible = c.post("/subjects/errors-value/versions", RegistryClient.schema(record("E", F1, F2_REQUIRED)));
        assertRegistryError(incompatible, 409, 409);
        assertTrue(incompatible.json().getString("message").contains("READER_FIELD_MISSING_DEFAULT_VALUE"), incompatible.toString());
        assertRegistryError(c.put("/config/errors-value", new JsonObject().put("compatibility", "SIDEWAYS")), 422, 42203);
        assertRegistryError(c.put("/mode/errors-value", new JsonObject().put("mode", "WRITEONLY")), 422, 42204);
        assertRegistryError(c.send(HttpMethod.POST, "/subjects/errors-value/versions", RegistryClient.V1, "[1]",
                Map.of()), 400, 400);
    }

    @Test
    void checksCompatibilityAgainstOneVersionOrAllThatTheLevelNames() {
        c.register("compat-value", record("C", F1));
        JsonObject compatible = RegistryClient.schema(record("C", F1, F2_OPTIONAL));
        JsonObject incompatible = RegistryClient.schema(record("C", F1, F2_REQUIRED));
        assertEquals(new JsonObject().put("is_compatible", true), c.post("/compatibility/subjects/compat-value/versions/latest",
                compatible).json());
        Resp refused = c.post("/compatibility/subjects/compat-value/versions/1?verbose=true", incompatible);
        assertEquals(false, refused.json().getBoolean("is_compatible"), refused.toString());
        assertEquals(1, refused.json().getJsonArray("messages").size(), refused.toString());
        assertEquals(false, c.post("/compatibility/subjects/compat-value/versions", incompatible).json().getBoolean("is_compatible"));
        assertEquals(true, c.post("/compatibility/subjects/compat-value/versions", compatible).json().getBoolean("is_compatible"));
        // A subject with no version accepts anything; naming a version of it is an error.
        assertEquals(true, c.post("/compatibility/subjects/compat-none/versions", incompatible).json().getBoolean("is_compatible"));
        assertRegistryError(c.post("/compatibility/subjects/compat-none/versions/1", incompatible), 404, 40401);
        assertRegistryError(c.post("/compatibility/subjects/compat-value/versions/9", incompatible), 404, 40402);
        assertRegistryError(c.post("/compatibility/subjects/compat-value/versions/x", incompatible), 422, 42202);
        assertRegistryError(c.post("/compatibility/subjects/compat-value/versions", RegistryClient.schema("{")), 422, 42201);
    }

    @Test
    void configsGlobalAndPerSubject() {
        assertEquals(new JsonObject().put("compatibilityLevel", "BACKWARD"), c.get("/config").json());
        c.register("config-value", record("K", F1));
        assertRegistryError(c.get("/config/config-value"), 404, 40408);
        assertEquals("BACKWARD", c.get("/config/config-value?defaultToGlobal=true").json().getString("compatibilityLevel"));
        assertEquals(new JsonObject().put("compatibility", "FORWARD"),
                c.put("/config/config-value", new JsonObject().put("compatibility", "forward")).json());
        assertEquals("FORWARD", c.get("/config/config-value").json().getString("compatibilityLevel"));
        // FORWARD: adding a required field is accepted, deleting one is not.
        c.register("config-value", record("K", F1, F2_REQUIRED));
        assertRegistryError(c.post("/subjects/config-value/versions", RegistryClient.schema(record("K", F1,
                "{\"name\":\"f3\",\"type\":\"int\",\"default\":0}"))), 409, 409);
        // (Content the subject already has is answered with its id, whatever the level.)
        assertEquals(c.get("/subjects/config-value/versions/1").json().getInteger("id"), c.register("config-value", record("K", F1)));
        assertEquals(new JsonObject().put("compatibilityLevel", "FORWARD"), c.delete("/config/config-value").json());
        assertRegistryError(c.get("/config/config-value"), 404, 40408);
        assertRegistryError(c.delete("/config/config-value"), 404, 40408);
        assertRegistryError(c.delete("/config/never-registered"), 404, 40401);

        assertEquals(new JsonObject().put("compatibility", "NONE"), c.put("/config", new JsonObject().put("compatibility", "NONE")).json());
        assertEquals("NONE", c.get("/config").json().getString("compatibilityLevel"));
        assertEquals("NONE", c.get("/config/config-value?defaultToGlobal=true").json().getString("compatibilityLevel"));
        assertEquals(new JsonObject().put("compatibilityLevel", "NONE"), c.delete("/config").json());
        assertEquals("BACKWARD", c.get("/config").json().getString("compatibilityLevel"));
    }

    @Test
    void softDeletesFirstThenPermanentOnes() {
        String v1 = record("D", F1);
        int id1 = c.register("del-value", v1);
        c.register("del-value", record("D", F1, F2_OPTIONAL));
        assertRegistryError(c.delete("/subjects/del-value/versions/1?permanent=true"), 404, 40407);
        assertEquals("1", c.delete("/subjects/del-value/versions/1").text());
        assertEquals(new JsonArray().add(2), c.get("/subjects/del-value/versions").jsonArray());
        assertEquals(new JsonArray().add(1).add(2), c.get("/subjects/del-value/versions?deleted=true").jsonArray());
        assertRegistryError(c.get("/subjects/del-value/versions/1"), 404, 40402);
        assertEquals(id1, c.get("/subjects/del-value/versions/1?deleted=true").json().getInteger("id"));
        assertRegistryError(c.delete("/subjects/del-value/versions/1"), 404, 40406);
        assertRegistryError(c.post("/subjects/del-value", RegistryClient.schema(v1)), 404, 40403);
        assertEquals(id1, c.post("/subjects/del-value?deleted=true", RegistryClient.schema(v1)).json().getInteger("id"));
        assertEquals("1", c.delete("/subjects/del-value/versions/1?permanent=true").text());
        assertRegistryError(c.get("/subjects/del-value/versions/1?deleted=true"), 404, 40402);
        assertRegistryError(c.get("/schemas/ids/" + id1), 404, 40403);
        assertRegistryError(c.delete("/subjects/del-value/versions/5"), 404, 40402);

        assertRegistryError(c.delete("/subjects/del-value?permanent=true"), 404, 40405);
        assertEquals(new JsonArray().add(2), c.delete("/subjects/del-value").jsonArray());
        assertFalse(c.get("/subjects").jsonArray().contains("del-value"));
        assertTrue(c.get("/subjects?deleted=true").jsonArray().contains("del-value"));
        assertRegistryError(c.get("/subjects/del-value/versions"), 404, 40401);
        assertRegistryError(c.delete("/subjects/del-value"), 404, 40404);
        assertEquals(new JsonArray().add(2), c.delete("/subjects/del-value?permanent=true").jsonArray());
        assertFalse(c.get("/subjects?deleted=true").jsonArray().contains("del-value"));
        assertRegistryError(c.delete("/subjects/del-value"), 404, 40401);
        // Registered anew, the subject starts again at version 1.
        c.register("del-value", v1);
        assertEquals(new JsonArray().add(1), c.get("/subjects/del-value/versions").jsonArray());
    }

    @Test
    void namedTypesAcrossSubjectsByReference() {
        String address = "{\"type\":\"record\",\"name\":\"Address\",\"namespace\":\"com.example\",\"fields\":[{\"name\":\"city\",\"type\":\"string\"}]}";
        String person = "{\"type\":\"record\",\"name\":\"Person\",\"namespace\":\"com.example\",\"fields\":[{\"name\":\"home\",\"type\":\"com.example.Address\"}]}";
        int addressId = c.register("address", address);
        JsonArray refs = new JsonArray().add(new JsonObject().put("name", "com.example.Address").put("subject", "address").put("version", 1));
        assertRegistryError(c.post("/subjects/person-value/versions", RegistryClient.schema(person)), 422, 42201);
        Resp registered = c.post("/subjects/person-value/versions", RegistryClient.avro(person, refs));
        assertEquals(200, registered.status(), registered.toString());
        int personId = registered.json().getInteger("id");
        assertNotEquals(addressId, personId);
        Resp version = c.get("/subjects/person-value/versions/1");
        assertEquals(refs, version.json().getJsonArray("references"));
        assertEquals(refs, c.get("/schemas/ids/" + personId).json().getJsonArray("references"));
        assertEquals(new JsonArray().add(personId), c.get("/subjects/address/versions/1/referencedby").jsonArray());
        assertEquals(new JsonArray(), c.get("/subjects/person-value/versions/1/referencedby").jsonArray());
        // What is referenced cannot be deleted.
        assertRegistryError(c.delete("/subjects/address/versions/1"), 422, 42206);
        assertRegistryError(c.delete("/subjects/address"), 422, 42206);
        JsonArray missing = new JsonArray().add(new JsonObject().put("name", "com.example.Address").put("subject", "nowhere").put("version", 1));
        assertRegistryError(c.post("/subjects/person2-value/versions", RegistryClient.avro(person, missing)), 422, 42201);
        // Lookup with the references finds it.
        assertEquals(personId, c.post("/subjects/person-value", RegistryClient.avro(person, refs)).json().getInteger("id"));
    }

    @Test
    void readOnlyRefusesWritesAndImportTakesExplicitIds() {
        c.register("ro-value", record("RO", F1));
        assertEquals(new JsonObject().put("mode", "READONLY"), c.put("/mode/ro-value", new JsonObject().put("mode", "READONLY")).json());
        assertEquals("READONLY", c.get("/mode/ro-value").json().getString("mode"));
        assertRegistryError(c.post("/subjects/ro-value/versions", RegistryClient.schema(record("RO", F1, F2_OPTIONAL))), 422, 42205);
        assertRegistryError(c.delete("/subjects/ro-value"), 422, 42205);
        assertRegistryError(c.delete("/subjects/ro-value/versions/1"), 422, 42205);
        assertRegistryError(c.put("/config/ro-value", new JsonObject().put("compatibility", "NONE")), 422, 42205);
        assertEquals(new JsonObject().put("mode", "READONLY"), c.delete("/mode/ro-value").json());
        assertRegistryError(c.get("/mode/ro-value"), 404, 40409);
        assertEquals("READWRITE", c.get("/mode/ro-value?defaultToGlobal=true").json().getString("mode"));
        c.register("ro-value", record("RO", F1, F2_OPTIONAL));

        // IMPORT on a subject with versions needs force; then registrations carry their ids.
        assertRegistryError(c.put("/mode/ro-value", new JsonObject().put("mode", "IMPORT")), 422, 42205);
        assertRegistryError(c.post("/subjects/imp-value/versions", RegistryClient.schema(record("I", F1)).put("id", 500)), 422, 42205);
        assertEquals("IMPORT", c.put("/mode/imp-value", new JsonObject().put("mode", "IMPORT")).json().getString("mode"));
        Resp imported = c.post("/subjects/imp-value/versions", RegistryClient.schema(record("I", F1)).put("id", 500).put("version", 3));
        assertEquals(new JsonObject().put("id", 500), imported.json(), imported.toString());
        assertEquals(500, c.get("/subjects/imp-value/versions/3").json().getInteger("id"));
        // No compatibility check in IMPORT; an id taken by other content is refused.
        assertEquals(501, c.post("/subjects/imp-value/versions", RegistryClient.schema(record("I", F2_REQUIRED)).put("id", 501))
                .json().getInteger("id"));
        assertRegistryError(c.post("/subjects/imp-value/versions", RegistryClient.schema(record("I", "{\"name\":\"z\",\"type\":\"int\"}"))
                .put("id", 500)), 422, 42205);
        assertEquals("READWRITE", c.put("/mode/imp-value?force=true", new JsonObject().put("mode", "READWRITE")).json().getString("mode"));
        // New content after an import gets the highest id plus one.
        assertEquals(502, c.register("after-import", record("After", F1)));
    }

    @Test
    void globalModeAppliesToEverySubject() {
        assertEquals("READWRITE", c.get("/mode").json().getString("mode"));
        c.register("global-mode", record("G", F1));
        assertRegistryError(c.put("/mode", new JsonObject().put("mode", "IMPORT")), 422, 42205);
        assertEquals("READONLY", c.put("/mode", new JsonObject().put("mode", "READONLY")).json().getString("mode"));
        try {
            assertRegistryError(c.post("/subjects/any-subject/versions", RegistryClient.schema(record("Any", F1))), 422, 42205);
            // Reads go on.
            assertEquals(200, c.get("/subjects/global-mode/versions/1").status());
        } finally {
            assertEquals("READONLY", c.delete("/mode").json().getString("mode"));
        }
        assertEquals("READWRITE", c.get("/mode").json().getString("mode"));
    }

    @Test
    void normalizedRegistrationsShareOneIdAndVersion() {
        String a = "{\"name\":\"N\",\"type\":\"record\",\"doc\":\"one\",\"fields\":[{\"type\":\"string\",\"name\":\"f1\"}]}";
        String b = "{\"type\":\"record\",\"name\":\"N\",\"fields\":[{\"name\":\"f1\",\"type\":{\"type\":\"string\"}}]}";
        int id = c.post("/subjects/norm-value/versions?normalize=true", RegistryClient.schema(a)).json().getInteger("id");
        assertEquals(id, c.post("/subjects/norm-value/versions?normalize=true", RegistryClient.schema(b)).json().getInteger("id"));
        assertEquals(new JsonArray().add(1), c.get("/subjects/norm-value/versions").jsonArray());
        assertEquals(id, c.post("/subjects/norm-value?normalize=true", RegistryClient.schema(b)).json().getInteger("id"));
        // Without normalize, the doc makes a another schema than the one stored.
        assertRegistryError(c.post("/subjects/norm-value", RegistryClient.schema(a)), 404, 40403);
    }

    @Test
    void negotiatesContentTypesAsConfluentDoes() {
        c.register("neg-value", record("Neg", F1));
        for (String accept : new String[]{"application/vnd.schemaregistry.v1+json", "application/vnd.schemaregistry+json", "*/*",
                "application/vnd.schemaregistry.v1+json; qs=0.9, application/json; qs=0.5"}) {
            Resp r = c.send(HttpMethod.GET, "/subjects/neg-value/versions", null, null, Map.of("accept", accept));
            assertEquals(200, r.status(), accept + ": " + r);
            assertEquals(RegistryClient.V1, r.headers().get("content-type"), accept);
        }
        Resp json = c.send(HttpMethod.GET, "/subjects/neg-value/versions", null, null, Map.of("accept", "application/json"));
        assertEquals(200, json.status());
        assertEquals("application/json", json.headers().get("content-type"));
        Resp notAcceptable = c.send(HttpMethod.GET, "/subjects", null, null, Map.of("accept", "text/html"));
        assertEquals(406, notAcceptable.status(), notAcceptable.toString());
        assertEquals(406, notAcceptable.json().getInteger("error_code"));
        String body = RegistryClient.schema(record("Neg", F1)).encode();
        for (String type : new String[]{"application/vnd.schemaregistry.v1+json", "application/vnd.schemaregistry+json",
                "application/json", "application/json; charset=utf-8", "application/octet-stream"}) {
            Resp r = c.send(HttpMethod.POST, "/subjects/neg-value/versions", type, body, Map.of());
            assertEquals(200, r.status(), type + ": " + r);
        }
        assertEquals(200, c.send(HttpMethod.POST, "/subjects/neg-value/versions", null, body, Map.of()).status());
        assertRegistryError(c.send(HttpMethod.POST, "/subjects/neg-value/versions", "text/plain", body, Map.of()), 415, 415);
        assertRegistryError(c.send(HttpMethod.POST, "/subjects/neg-value/versions", "application/x-www-form-urlencoded", "a=b", Map.of()),
                415, 415);
        // The registry's paths answer unknown resources and methods in Confluent's shape too.
        assertRegistryError(c.get("/subjects/neg-value/versions/1/nothing"), 404, 404);
        assertRegistryError(c.send(HttpMethod.PATCH, "/subjects/neg-value/versions", RegistryClient.V1, "{}", Map.of()), 405, 405);
        // The connection is still good after a refused body.
        assertEquals(200, c.get("/subjects/neg-value/versions").status());
    }
}

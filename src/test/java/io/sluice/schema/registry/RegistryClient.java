package io.sluice.schema.registry;

import io.sluice.testing.HttpTestClient;
import io.sluice.testing.HttpTestClient.Resp;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A test's client of the registry API, speaking as Confluent's clients do (their content type). */
final class RegistryClient implements AutoCloseable {
    static final String V1 = "application/vnd.schemaregistry.v1+json";
    final HttpTestClient http;

    RegistryClient(int port) {
        this.http = new HttpTestClient(port);
    }

    RegistryClient(HttpTestClient http) {
        this.http = http;
    }

    Resp get(String path) {
        return http.send(HttpMethod.GET, path, null, null, Map.of("accept", V1));
    }

    Resp delete(String path) {
        return http.send(HttpMethod.DELETE, path, null, null, Map.of("accept", V1));
    }

    Resp post(String path, JsonObject body) {
        return http.send(HttpMethod.POST, path, V1, body.toBuffer(), Map.of("accept", V1));
    }

    Resp put(String path, JsonObject body) {
        return http.send(HttpMethod.PUT, path, V1, body.toBuffer(), Map.of("accept", V1));
    }

    Resp send(HttpMethod method, String path, String contentType, String body, Map<String, String> headers) {
        return http.send(method, path, contentType, body == null ? null : Buffer.buffer(body), headers);
    }

    static JsonObject schema(String text) {
        return new JsonObject().put("schema", text);
    }

    static JsonObject avro(String text, JsonArray references) {
        return new JsonObject().put("schema", text).put("references", references);
    }

    /** Registers {@code schema} under {@code subject} and returns its id, failing the test unless it worked. */
    int register(String subject, String schema) {
        Resp r = post("/subjects/" + subject + "/versions", schema(schema));
        assertEquals(200, r.status(), r.toString());
        return r.json().getInteger("id");
    }

    @Override
    public void close() {
        http.close();
    }
}

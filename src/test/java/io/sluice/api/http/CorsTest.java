package io.sluice.api.http;

import io.sluice.testing.HttpTestClient;
import io.sluice.testing.HttpTestClient.Resp;
import io.sluice.testing.TestNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static io.sluice.testing.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CORS ({@code security.cors.*}) against a real node: preflights on the produce hot path and the
 * routed endpoints, the headers on real answers (errors included), foreign origins refused, and
 * nothing at all when CORS is not configured.
 */
class CorsTest {
    private static final String APP = "https://app.example.com";
    private static final String RECORDS = "{\"records\":[{\"value\":1}]}";

    @TempDir
    Path dir;

    @Test
    void aPreflightFromAnAllowedOriginGetsTheHeadersOnTheHotPathAndEveryRoute() {
        try (TestNode node = TestNode.start(dir, "security.cors.allowed.origins=" + APP + ",http://localhost:3000",
                "security.cors.max.age.seconds=120", "security.cors.allow.credentials=true");
             HttpTestClient http = new HttpTestClient(node.port())) {
            http.createTopic("t", 1, new JsonObject());
            for (String path : new String[] {"/topics/t/records", "/topics", "/topics/t/partitions/0/records"}) {
                Resp preflight = http.send(HttpMethod.OPTIONS, path, null, null, Map.of("origin", APP,
                        "access-control-request-method", "POST", "access-control-request-headers", "content-type,authorization"));
                assertEquals(204, preflight.status(), path + ": " + preflight);
                assertEquals(APP, preflight.headers().get("access-control-allow-origin"), path);
                assertEquals("true", preflight.headers().get("access-control-allow-credentials"), path);
                assertEquals("GET,POST,PATCH,DELETE", preflight.headers().get("access-control-allow-methods"), path);
                assertEquals("Content-Type,Authorization,Idempotency-Key", preflight.headers().get("access-control-allow-headers"));
                assertEquals("120", preflight.headers().get("access-control-max-age"), path);
            }

            // The produce itself, which the hot path hands to the router when it has an Origin.
            Resp produced = http.send(HttpMethod.POST, "/topics/t/records", "application/json", Buffer.buffer(RECORDS),
                    Map.of("origin", APP));
            assertEquals(200, produced.status(), produced.toString());
            assertEquals(APP, produced.headers().get("access-control-allow-origin"));
            assertEquals("Retry-After", produced.headers().get("access-control-expose-headers"));
            assertTrue(produced.headers().get("vary").equalsIgnoreCase("origin"), produced.headers().toString());

            // Errors carry them too, so that a page can read why it was refused.
            Resp missing = http.send(HttpMethod.GET, "/topics/ghost", null, null, Map.of("origin", "http://localhost:3000"));
            assertError(missing, 404, 40401);
            assertEquals("http://localhost:3000", missing.headers().get("access-control-allow-origin"));

            // Same-node clients without an Origin are not CORS requests: served as ever, no headers.
            Resp plain = http.send(HttpMethod.POST, "/topics/t/records", "application/json", Buffer.buffer(RECORDS), Map.of());
            assertEquals(200, plain.status(), plain.toString());
            assertNull(plain.headers().get("access-control-allow-origin"));
            assertEquals(2L, http.get("/topics/t/partitions/0/offsets").json().getLong("high_watermark"));
        }
    }

    @Test
    void aForeignOriginGetsNoCorsHeadersAndIsRefused() {
        try (TestNode node = TestNode.start(dir, "security.cors.allowed.origins=" + APP);
             HttpTestClient http = new HttpTestClient(node.port())) {
            http.createTopic("t", 1, new JsonObject());
            Map<String, String> evil = Map.of("origin", "https://evil.example", "access-control-request-method", "POST");
            for (String path : new String[] {"/topics/t/records", "/topics"}) {
                Resp preflight = http.send(HttpMethod.OPTIONS, path, null, null, evil);
                assertError(preflight, 403, 40301);
                assertNoCorsHeaders(preflight);
            }
            // A look-alike origin is not the allowed one.
            Resp lookAlike = http.send(HttpMethod.OPTIONS, "/topics", null, null,
                    Map.of("origin", APP + ".evil.example", "access-control-request-method", "GET"));
            assertError(lookAlike, 403, 40301);
            assertNoCorsHeaders(lookAlike);

            Resp produce = http.send(HttpMethod.POST, "/topics/t/records", "application/json", Buffer.buffer(RECORDS),
                    Map.of("origin", "https://evil.example"));
            assertError(produce, 403, 40301);
            assertNoCorsHeaders(produce);
            assertEquals(0L, http.get("/topics/t/partitions/0/offsets").json().getLong("high_watermark"),
                    "nothing was stored for the refused origin");
        }
    }

    @Test
    void offByDefaultNoCorsHeadersAreSent() {
        try (TestNode node = TestNode.start(dir);
             HttpTestClient http = new HttpTestClient(node.port())) {
            http.createTopic("t", 1, new JsonObject());
            Resp preflight = http.send(HttpMethod.OPTIONS, "/topics/t/records", null, null,
                    Map.of("origin", APP, "access-control-request-method", "POST"));
            assertError(preflight, 405, 40501);
            assertNoCorsHeaders(preflight);
            Resp produced = http.send(HttpMethod.POST, "/topics/t/records", "application/json", Buffer.buffer(RECORDS),
                    Map.of("origin", APP));
            assertEquals(200, produced.status(), produced.toString());
            assertNoCorsHeaders(produced);
            Resp listed = http.send(HttpMethod.GET, "/topics", null, null, Map.of("origin", APP));
            assertEquals(200, listed.status());
            assertNoCorsHeaders(listed);
        }
    }

    private static void assertNoCorsHeaders(Resp r) {
        for (String name : r.headers().keySet()) {
            assertTrue(!name.startsWith("access-control-"), name + " in " + r.headers());
        }
    }
}

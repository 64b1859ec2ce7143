package io.sluice.api;

import io.sluice.testing.Await;
import io.sluice.testing.HttpTestClient;
import io.sluice.testing.HttpTestClient.Resp;
import io.sluice.testing.HttpTestClient.Socket;
import io.sluice.testing.TestJwts;
import io.sluice.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static io.sluice.api.SecurityApiTest.ADMIN_PW;
import static io.sluice.api.SecurityApiTest.assertRejected;
import static io.sluice.api.SecurityApiTest.grant;
import static io.sluice.testing.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bearer JWTs on a real node: a valid token acts as its principal under the ACLs, over HTTP and on
 * a WebSocket upgrade, whichever configured key (RSA or EC PEM, HMAC secret, JWKS) signed it; every
 * kind of bad token gets the same 401 that names nothing of it; clock skew, the principal claim and
 * JWKS key rotation as configured. Tokens are signed by the JDK's primitives ({@link TestJwts}).
 */
class JwtAuthenticationApiTest {
    private static final String ISSUER = "https://issuer.test";
    private static final String AUDIENCE = "sluice";
    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef-hmac".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        Await.result(vertx.close());
    }

    private static Resp bearer(HttpTestClient http, String path, String token) {
        return http.send(HttpMethod.GET, path, null, null, Map.of("authorization", "Bearer " + token));
    }

    private String[] keyedNode(KeyPair rsa, KeyPair ec, String... more) throws Exception {
        Path rsaPem = Files.writeString(dir.resolve("rsa.pem"), TestJwts.publicPem(rsa.getPublic()));
        Path ecPem = Files.writeString(dir.resolve("ec.pem"), TestJwts.publicPem(ec.getPublic()));
        java.util.List<String> s = new java.util.ArrayList<>(java.util.List.of(SecurityApiTest.SECURED));
        s.addAll(java.util.List.of("security.jwt.public.keys=" + rsaPem + "," + ecPem,
                "security.jwt.secret=" + new String(SECRET, StandardCharsets.UTF_8), "security.jwt.issuer=" + ISSUER,
                "security.jwt.audience=other," + AUDIENCE));
        s.addAll(java.util.List.of(more));
        return s.toArray(String[]::new);
    }

    @Test
    void validTokensActAsTheirPrincipalAndEveryBadOneGetsTheSame401() throws Exception {
        KeyPair rsa = TestJwts.rsa();
        KeyPair ec = TestJwts.ec();
        KeyPair stranger = TestJwts.rsa();
        try (TestNode node = TestNode.start(dir.resolve("n"), keyedNode(rsa, ec));
             HttpTestClient admin = HttpTestClient.withBasic(node.port(), "admin", ADMIN_PW);
             HttpTestClient http = new HttpTestClient(node.port())) {
            admin.createTopic("orders", 1, new JsonObject());
            admin.createTopic("payments", 1, new JsonObject());
            admin.produce("orders", new JsonArray().add(new JsonObject().put("value", "o-1")));
            grant(admin, "User:alice", "topic", "literal", "orders", "read");
            JsonObject alice = TestJwts.claims("alice", ISSUER, AUDIENCE);

            // Valid, by each kind of key: alice, under her ACLs.
            for (String token : java.util.List.of(TestJwts.rs256(rsa.getPrivate(), null, alice), TestJwts.es256(ec.getPrivate(), alice),
                    TestJwts.hs256(SECRET, alice))) {
                assertEquals(new JsonArray().add("orders"), bearer(http, "/topics", token).jsonArray());
                assertEquals(200, bearer(http, "/topics/orders/partitions/0/records?offset=0&timeout_ms=0", token).status());
                assertError(bearer(http, "/topics/payments/partitions/0/records?offset=0&timeout_ms=0", token), 403, 40301);
            }
            String good = TestJwts.rs256(rsa.getPrivate(), null, alice);
            try (HttpTestClient ws = new HttpTestClient(node.port(), Map.of("authorization", "Bearer " + good));
                 Socket s = ws.connect("/ws/consume?topics=orders&from=earliest")) {
                assertEquals("o-1", s.next("records").getJsonArray("records").getJsonObject(0).getString("value"));
                assertRejected(ws, "/ws/consume?topics=payments", 403);
            }
            // Within the clock skew (30 s by default): just expired, not quite valid yet.
            long now = System.currentTimeMillis() / 1000;
            assertEquals(200, bearer(http, "/topics", TestJwts.rs256(rsa.getPrivate(), null, alice.copy().put("exp", now - 10))).status());
            assertEquals(200, bearer(http, "/topics", TestJwts.rs256(rsa.getPrivate(), null, alice.copy().put("nbf", now + 10))).status());
            // A token's aud may be a list; one accepted audience is enough.
            assertEquals(200, bearer(http, "/topics", TestJwts.rs256(rsa.getPrivate(), null,
                    alice.copy().put("aud", new JsonArray().add("x").add(AUDIENCE)))).status());

            Map<String, String> bad = new LinkedHashMap<>();
            bad.put("tampered", TestJwts.withClaims(good, TestJwts.claims("admin", ISSUER, AUDIENCE)));
            bad.put("expired", TestJwts.rs256(rsa.getPrivate(), null, alice.copy().put("exp", now - 120)));
            bad.put("not yet valid", TestJwts.rs256(rsa.getPrivate(), null, alice.copy().put("nbf", now + 120)));
            bad.put("wrong issuer", TestJwts.rs256(rsa.getPrivate(), null, alice.copy().put("iss", "https://evil.test")));
            bad.put("no issuer", TestJwts.rs256(rsa.getPrivate(), null, without(alice, "iss")));
            bad.put("wrong audience", TestJwts.rs256(rsa.getPrivate(), null, alice.copy().put("aud", "elsewhere")));
            bad.put("alg none", TestJwts.none(alice));
            bad.put("alg none, no signature part", TestJwts.none(alice).replaceAll("\\.$", ""));
            bad.put("unknown key", TestJwts.rs256(stranger.getPrivate(), null, alice));
            bad.put("unknown kid", TestJwts.rs256(stranger.getPrivate(), "k9", alice));
            bad.put("HS256 keyed with the RSA public key", TestJwts.hs256(TestJwts.publicPem(rsa.getPublic())
                    .getBytes(StandardCharsets.US_ASCII), alice));
            bad.put("wrong secret", TestJwts.hs256("another-secret-another-secret-xyz".getBytes(StandardCharsets.UTF_8), alice));
            bad.put("no exp", TestJwts.rs256(rsa.getPrivate(), null, without(alice, "exp")));
            bad.put("no sub", TestJwts.rs256(rsa.getPrivate(), null, without(alice, "sub")));
            bad.put("garbage", "not.a.jwt");
            bad.put("empty", "");
            for (Map.Entry<String, String> e : bad.entrySet()) {
                Resp r = bearer(http, "/topics", e.getValue());
                assertError(r, 401, 40101);
                assertEquals("invalid bearer token", r.json().getString("message"), e.getKey());
                for (String part : e.getValue().split("\\.")) {
                    assertFalse(part.length() > 4 && r.text().contains(part), e.getKey() + ": the answer leaks the token");
                }
                try (HttpTestClient ws = new HttpTestClient(node.port(), Map.of("authorization", "Bearer " + e.getValue()))) {
                    assertRejected(ws, "/ws/consume?topics=orders", 401);
                }
            }
        }
    }

    @Test
    void thePrincipalComesFromTheConfiguredClaim() throws Exception {
        try (TestNode node = TestNode.start(dir.resolve("n"), keyedNode(TestJwts.rsa(), TestJwts.ec(),
                "security.jwt.principal.claim=preferred_username", "security.jwt.clock.skew.seconds=0"));
             HttpTestClient admin = HttpTestClient.withBasic(node.port(), "admin", ADMIN_PW);
             HttpTestClient http = new HttpTestClient(node.port())) {
            admin.createTopic("orders", 1, new JsonObject());
            grant(admin, "User:alice", "topic", "literal", "orders", "describe");
            JsonObject claims = TestJwts.claims("8f2c-opaque-id", ISSUER, AUDIENCE).put("preferred_username", "alice");
            assertEquals(new JsonArray().add("orders"), bearer(http, "/topics", TestJwts.hs256(SECRET, claims)).jsonArray());
            assertError(bearer(http, "/topics", TestJwts.hs256(SECRET, without(claims, "preferred_username"))), 401, 40101);
            // No skew allowed here: a token 10 s past its exp is refused.
            long now = System.currentTimeMillis() / 1000;
            assertError(bearer(http, "/topics", TestJwts.hs256(SECRET, claims.copy().put("exp", now - 10))), 401, 40101);
        }
    }

    @Test
    void keysComeFromAJwksDocumentAndItsRotationIsPickedUp() {
        KeyPair k1 = TestJwts.rsa();
        KeyPair k2 = TestJwts.rsa();
        AtomicReference<JsonObject> document = new AtomicReference<>(new JsonObject()
                .put("keys", new JsonArray().add(TestJwts.rsaJwk(k1.getPublic(), "k1"))));
        AtomicInteger fetches = new AtomicInteger();
        HttpServer jwks = Await.result(vertx.createHttpServer().requestHandler(req -> {
            fetches.incrementAndGet();
            req.response().putHeader("content-type", "application/json").end(document.get().encode());
        }).listen(0, "127.0.0.1"));
        String url = "http://127.0.0.1:" + jwks.actualPort() + "/.well-known/jwks.json";
        JsonObject alice = TestJwts.claims("alice", ISSUER, AUDIENCE);
        String byK1 = TestJwts.rs256(k1.getPrivate(), "k1", alice);
        String byK2 = TestJwts.rs256(k2.getPrivate(), "k2", alice);
        // A long refresh interval: the rotation below is picked up because a token names the new key.
        try (TestNode node = TestNode.start(dir.resolve("n"), "security.enabled=true", "security.jwt.jwks.url=" + url,
                "security.jwt.jwks.refresh.ms=3600000", "security.jwt.issuer=" + ISSUER, "allow.everyone.if.no.acl.found=true");
             HttpTestClient http = new HttpTestClient(node.port())) {
            Await.until("the JWKS is fetched at start", Duration.ofSeconds(20), () -> bearer(http, "/topics", byK1).status() == 200);
            document.set(new JsonObject().put("keys", new JsonArray().add(TestJwts.rsaJwk(k2.getPublic(), "k2"))
                    .add(new JsonObject().put("kty", "oct").put("kid", "k3").put("k", "c2VjcmV0"))));
            int before = fetches.get();
            assertEquals(200, bearer(http, "/topics", byK2).status(), "a token naming a new key id fetches the JWKS again");
            assertEquals(before + 1, fetches.get());
            assertError(bearer(http, "/topics", byK1), 401, 40101);
            // Made-up key ids do not make the node fetch again and again.
            for (int i = 0; i < 5; i++) {
                assertError(bearer(http, "/topics", TestJwts.rs256(TestJwts.rsa().getPrivate(), "made-up-" + i, alice)), 401, 40101);
            }
            assertTrue(fetches.get() <= before + 2, "at most one more fetch within 10 s: " + fetches.get());
        }
    }

    @Test
    void theJwksIsRefreshedOnItsInterval() {
        KeyPair k1 = TestJwts.rsa();
        KeyPair k2 = TestJwts.rsa();
        AtomicReference<JsonObject> document = new AtomicReference<>(new JsonObject()
                .put("keys", new JsonArray().add(TestJwts.rsaJwk(k1.getPublic(), null))));
        AtomicInteger fetches = new AtomicInteger();
        HttpServer jwks = Await.result(vertx.createHttpServer().requestHandler(req -> {
            fetches.incrementAndGet();
            req.response().putHeader("content-type", "application/json").end(document.get().encode());
        }).listen(0, "127.0.0.1"));
        JsonObject alice = TestJwts.claims("alice", ISSUER, AUDIENCE);
        try (TestNode node = TestNode.start(dir.resolve("n"), "security.enabled=true",
                "security.jwt.jwks.url=http://127.0.0.1:" + jwks.actualPort() + "/jwks", "security.jwt.jwks.refresh.ms=200",
                "allow.everyone.if.no.acl.found=true");
             HttpTestClient http = new HttpTestClient(node.port())) {
            String byK1 = TestJwts.rs256(k1.getPrivate(), null, alice);
            String byK2 = TestJwts.rs256(k2.getPrivate(), null, alice);
            Await.until("k1 fetched", Duration.ofSeconds(20), () -> bearer(http, "/topics", byK1).status() == 200);
            assertError(bearer(http, "/topics", byK2), 401, 40101);
            document.set(new JsonObject().put("keys", new JsonArray().add(TestJwts.rsaJwk(k2.getPublic(), null))));
            Await.until("k2 replaces k1", Duration.ofSeconds(20), () -> bearer(http, "/topics", byK2).status() == 200
                    && bearer(http, "/topics", byK1).status() == 401);
            // A document without a usable key (an outage answering {}) keeps the keys there are.
            document.set(new JsonObject().put("keys", new JsonArray()));
            int before = fetches.get();
            Await.until("an empty document was fetched", Duration.ofSeconds(20), () -> fetches.get() >= before + 2);
            assertEquals(200, bearer(http, "/topics", byK2).status());
        }
    }

    private static JsonObject without(JsonObject claims, String name) {
        JsonObject copy = claims.copy();
        copy.remove(name);
        return copy;
    }
}

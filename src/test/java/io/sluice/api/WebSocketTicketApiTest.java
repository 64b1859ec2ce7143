package io.sluice.api;

import io.sluice.testing.Await;
import io.sluice.testing.HttpTestClient;
import io.sluice.testing.HttpTestClient.Resp;
import io.sluice.testing.HttpTestClient.Socket;
import io.sluice.testing.TestNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static io.sluice.api.SecurityApiTest.ADMIN_PW;
import static io.sluice.api.SecurityApiTest.ALICE_PW;
import static io.sluice.api.SecurityApiTest.SECURED;
import static io.sluice.api.SecurityApiTest.assertRejected;
import static io.sluice.api.SecurityApiTest.createUser;
import static io.sluice.api.SecurityApiTest.grant;
import static io.sluice.testing.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * WebSocket tickets and the Origin check on a real node with real WebSocket clients: a ticket from
 * {@code POST /ws/tickets} opens one upgrade, as its principal under the ACLs, once, before it
 * expires, on the path it was bound to, and never serves as a credential elsewhere; an upgrade
 * from a foreign Origin is refused before authentication.
 */
class WebSocketTicketApiTest {
    @TempDir
    Path dir;

    private static String ticket(HttpTestClient client, JsonObject body) {
        Resp r = body == null ? client.send(HttpMethod.POST, "/ws/tickets", null, null) : client.post("/ws/tickets", body);
        assertEquals(201, r.status(), r.toString());
        assertEquals("no-store", r.headers().get("cache-control"));
        String ticket = r.json().getString("ticket");
        assertTrue(Base64.getUrlDecoder().decode(ticket).length >= 16, "at least 128 random bits");
        return ticket;
    }

    @Test
    void aTicketOpensOneUpgradeAsItsPrincipalAndIsNoCredentialElsewhere() {
        List<String> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                logged.add(r.getMessage() + " " + r.getThrown());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        Level level = root.getLevel();
        root.addHandler(capture);
        // (Down to debug: Vert.x Web's own trace lines print whole request URIs; README says so.)
        root.setLevel(Level.FINE);
        List<String> issued = new java.util.ArrayList<>();
        try (TestNode node = TestNode.start(dir, SECURED);
             HttpTestClient admin = HttpTestClient.withBasic(node.port(), "admin", ADMIN_PW);
             HttpTestClient alice = HttpTestClient.withBasic(node.port(), "alice", ALICE_PW);
             HttpTestClient browser = new HttpTestClient(node.port())) {
            createUser(admin, "alice", ALICE_PW);
            admin.createTopic("orders", 1, new JsonObject());
            admin.createTopic("payments", 1, new JsonObject());
            admin.produce("orders", new JsonArray().add(new JsonObject().put("value", "o-1")));
            grant(admin, "User:alice", "topic", "literal", "orders", "read");

            String t = ticket(alice, null);
            issued.add(t);
            assertEquals(30_000, alice.send(HttpMethod.POST, "/ws/tickets", null, null).json().getLong("expires_in_ms"));
            // Never a credential outside an upgrade: not on an HTTP route, and not spent by it.
            assertError(browser.get("/topics?ticket=" + t), 401, 40101);
            assertError(browser.get("/topics/orders/partitions/0/records?offset=0&timeout_ms=0&ticket=" + t), 401, 40101);
            assertError(browser.send(HttpMethod.POST, "/ws/tickets?ticket=" + t, null, null), 401, 40101);
            try (Socket s = browser.connect("/ws/consume?topics=orders&from=earliest&ticket=" + t)) {
                assertEquals("o-1", s.next("records").getJsonArray("records").getJsonObject(0).getString("value"));
            }
            assertRejected(browser, "/ws/consume?topics=orders&from=earliest&ticket=" + t, 401);

            // It acts as alice: her ACLs apply, and a refused upgrade spends it too.
            String refused = ticket(alice, null);
            issued.add(refused);
            assertRejected(browser, "/ws/consume?topics=payments&ticket=" + refused, 403);
            assertRejected(browser, "/ws/consume?topics=orders&ticket=" + refused, 401);
            assertRejected(browser, "/ws/produce?topic=orders&ticket=" + ticket(alice, null), 403);

            // Bound to a path, it opens only that one.
            String produceOnly = ticket(admin, new JsonObject().put("path", "/ws/produce"));
            issued.add(produceOnly);
            assertRejected(browser, "/ws/consume?topics=orders&ticket=" + produceOnly, 401);
            String produce = ticket(admin, new JsonObject().put("path", "/ws/produce"));
            try (Socket s = browser.connect("/ws/produce?topic=payments&ticket=" + produce)) {
                s.send(new JsonObject().put("records", new JsonArray().add(new JsonObject().put("value", 1))));
                assertEquals(1, s.next().getJsonArray("offsets").size(), "the admin's ticket produced as the admin");
            }
            assertError(admin.post("/ws/tickets", new JsonObject().put("path", "/topics")), 400, 40001);
            assertError(admin.post("/ws/tickets", new JsonObject().put("ttl", 5)), 400, 40001);
            assertError(admin.send(HttpMethod.POST, "/ws/tickets", "application/json", Buffer.buffer("[")), 400, 40001);
            assertError(browser.send(HttpMethod.POST, "/ws/tickets", null, null), 401, 40101);
            assertRejected(browser, "/ws/consume?topics=orders&ticket=made-up", 401);
        } finally {
            root.removeHandler(capture);
            root.setLevel(level);
        }
        for (String line : logged) {
            for (String t : issued) {
                assertFalse(line.contains(t), "a log line holds a ticket: " + line);
            }
        }
    }

    @Test
    void anExpiredTicketIsRefused() {
        try (TestNode node = TestNode.start(dir, SecurityApiTestSettings.with("security.ws.ticket.ttl.ms=1"));
             HttpTestClient admin = HttpTestClient.withBasic(node.port(), "admin", ADMIN_PW);
             HttpTestClient browser = new HttpTestClient(node.port())) {
            admin.createTopic("orders", 1, new JsonObject());
            String t = ticket(admin, null);
            long received = System.currentTimeMillis();
            // (The node stamped expiry at most 1 ms after it answered: once the wall clock is past that, it has expired.)
            Await.until("the ticket's 1 ms passed", Duration.ofSeconds(5), () -> System.currentTimeMillis() > received + 1);
            assertRejected(browser, "/ws/consume?topics=orders&ticket=" + t, 401);
        }
    }

    @Test
    void aForeignOriginIsRefusedBeforeAuthenticationAnAllowedOneAccepted() {
        try (TestNode node = TestNode.start(dir.resolve("a"), SECURED);
             HttpTestClient admin = HttpTestClient.withBasic(node.port(), "admin", ADMIN_PW);
             HttpTestClient evil = new HttpTestClient(node.port(), Map.of("authorization", HttpTestClient.basic("admin", ADMIN_PW),
                     "origin", "https://evil.example"));
             HttpTestClient evilAnonymous = new HttpTestClient(node.port(), Map.of("origin", "https://evil.example"));
             HttpTestClient same = new HttpTestClient(node.port(), Map.of("authorization", HttpTestClient.basic("admin", ADMIN_PW),
                     "origin", "http://127.0.0.1:" + node.port()))) {
            admin.createTopic("orders", 1, new JsonObject());
            assertRejected(evil, "/ws/consume?topics=orders", 403);
            assertRejected(evilAnonymous, "/ws/consume?topics=orders", 403);
            assertRejected(evil, "/ws/consume?topics=orders&ticket=" + ticket(admin, null), 403);
            assertRejected(evil, "/ws/produce?topic=orders", 403);
            same.connect("/ws/consume?topics=orders").close();
            admin.connect("/ws/consume?topics=orders").close();
            assertEquals(200, evil.get("/topics").status(), "plain HTTP requests are CORS's business, not this check's");
        }
        try (TestNode node = TestNode.start(dir.resolve("b"), SecurityApiTestSettings.with(
                "security.ws.allowed.origins=https://app.example.com"));
             HttpTestClient app = new HttpTestClient(node.port(), Map.of("authorization", HttpTestClient.basic("admin", ADMIN_PW),
                     "origin", "https://app.example.com"));
             HttpTestClient evil = new HttpTestClient(node.port(), Map.of("authorization", HttpTestClient.basic("admin", ADMIN_PW),
                     "origin", "https://evil.example"))) {
            app.createTopic("orders", 1, new JsonObject());
            app.connect("/ws/consume?topics=orders").close();
            assertRejected(evil, "/ws/consume?topics=orders", 403);
        }
        try (TestNode open = TestNode.start(dir.resolve("c"));
             HttpTestClient evil = new HttpTestClient(open.port(), Map.of("origin", "https://evil.example"))) {
            evil.createTopic("orders", 1, new JsonObject());
            evil.connect("/ws/consume?topics=orders").close();
            // With security off a ticket is issued all the same (and not needed): browser code works unchanged.
            assertEquals(201, evil.send(HttpMethod.POST, "/ws/tickets", null, null).status());
        }
    }

    /** Settings of {@link SecurityApiTest#SECURED} and more. */
    private static final class SecurityApiTestSettings {
        static String[] with(String... more) {
            List<String> s = new java.util.ArrayList<>(List.of(SECURED));
            s.addAll(List.of(more));
            return s.toArray(String[]::new);
        }
    }
}

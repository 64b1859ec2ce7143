package io.sluice.api;

import io.sluice.testing.Await;
import io.sluice.testing.HttpTestClient;
import io.sluice.testing.HttpTestClient.Resp;
import io.sluice.testing.HttpTestClient.Socket;
import io.sluice.testing.TestNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;

import static io.sluice.testing.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Security on a real node: every route and WebSocket endpoint refuses a request without valid
 * credentials (401), refuses a principal without the ACL (403, naming nothing, the same for a
 * topic that exists and one that does not) and serves one with it; the consumer and group rules;
 * users and ACLs managed through the API, durable, and no secret in any answer or log line.
 */
class SecurityApiTest {
    static final String ADMIN_PW = "Adm1n-Secret-xyzzy";
    static final String ALICE_PW = "Al1ce-Secret-plugh";
    /** Settings of a secured node with a bootstrap super user. */
    static final String[] SECURED = {"security.enabled=true", "super.users=User:admin",
            "security.bootstrap.users=admin:" + ADMIN_PW};

    @TempDir
    Path dir;

    /** One request of the route matrix; {@code {t}} stands for the topic, {@code {g}} for the group. */
    record Call(HttpMethod method, String path, String contentType, String body) {
        Resp send(HttpTestClient http, String topic, String group) {
            String p = path.replace("{t}", topic).replace("{g}", group);
            String b = body == null ? null : body.replace("{t}", topic).replace("{g}", group);
            return http.send(method, p, contentType, b == null ? null : Buffer.buffer(b));
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private static Call call(HttpMethod method, String path) {
        return new Call(method, path, null, null);
    }

    private static Call json(HttpMethod method, String path, String body) {
        return new Call(method, path, "application/json", body);
    }

    /** Every route that names a topic or a group (whose refusals must not tell whether it exists). */
    static List<Call> resourceCalls() {
        return List.of(
                json(HttpMethod.POST, "/topics/{t}/records", "{\"records\":[{\"value\":1}]}"),
                new Call(HttpMethod.POST, "/topics/{t}/records", "application/x-ndjson", "{\"value\":1}\n"),
                new Call(HttpMethod.POST, "/topics/{t}/records", "application/vnd.kafka.json.v2+json", "{\"records\":[{\"value\":1}]}"),
                json(HttpMethod.POST, "/topics/{t}", "{\"records\":[{\"value\":1}]}"),
                call(HttpMethod.GET, "/topics/{t}/partitions/0/records?offset=0&timeout_ms=0"),
                call(HttpMethod.GET, "/topics/{t}/partitions/0/offsets"),
                json(HttpMethod.POST, "/topics/{t}/partitions", "{\"count\":3}"),
                json(HttpMethod.PATCH, "/topics/{t}/configs", "{\"retention.ms\":60000}"),
                call(HttpMethod.GET, "/topics/{t}"),
                call(HttpMethod.DELETE, "/topics/{t}"),
                json(HttpMethod.POST, "/topics", "{\"name\":\"{t}\"}"),
                call(HttpMethod.GET, "/groups/{g}"),
                call(HttpMethod.DELETE, "/groups/{g}"),
                call(HttpMethod.GET, "/groups/{g}/offsets"),
                json(HttpMethod.POST, "/groups/{g}/offsets", "{\"offsets\":[{\"topic\":\"{t}\",\"partition\":0,\"offset\":0}]}"),
                json(HttpMethod.POST, "/groups/{g}/offsets/reset", "{\"to\":\"earliest\",\"topics\":[\"{t}\"]}"));
    }

    /** Every cluster-wide route: users, ACLs, cluster administration and observation. */
    static List<Call> clusterCalls() {
        return List.of(
                call(HttpMethod.GET, "/cluster"),
                call(HttpMethod.POST, "/cluster/rebalance"),
                json(HttpMethod.POST, "/cluster/voters", "{\"voters\":\"\"}"),
                call(HttpMethod.GET, "/replicas"),
                call(HttpMethod.GET, "/metrics"),
                json(HttpMethod.POST, "/users", "{\"name\":\"mallory\",\"password\":\"pw\"}"),
                call(HttpMethod.GET, "/users"),
                call(HttpMethod.DELETE, "/users/admin"),
                json(HttpMethod.POST, "/acls", "{\"principal\":\"User:mallory\",\"resource_type\":\"cluster\",\"operation\":\"all\"}"),
                call(HttpMethod.GET, "/acls"),
                call(HttpMethod.DELETE, "/acls?principal=User:admin"));
    }

    /** Routes that answer a listing, filtered to what the principal may DESCRIBE. */
    static List<Call> listingCalls() {
        return List.of(call(HttpMethod.GET, "/topics"), call(HttpMethod.GET, "/groups"));
    }

    static List<Call> allCalls() {
        return Stream.of(resourceCalls(), clusterCalls(), listingCalls()).flatMap(List::stream).toList();
    }

    @Test
    void withoutValidCredentialsOnlyTheProbesAnswer() {
        try (TestNode node = TestNode.start(dir, SECURED);
             HttpTestClient anonymous = new HttpTestClient(node.port());
             HttpTestClient wrong = HttpTestClient.withBasic(node.port(), "admin", "not-the-password");
             HttpTestClient unknown = HttpTestClient.withBasic(node.port(), "nobody", ADMIN_PW);
             HttpTestClient garbled = new HttpTestClient(node.port(), Map.of("authorization", "Basic %%%not-base64"));
             HttpTestClient admin = HttpTestClient.withBasic(node.port(), "admin", ADMIN_PW)) {
            admin.createTopic("orders", 1, new JsonObject());
            List<Call> calls = new ArrayList<>(allCalls());
            calls.add(call(HttpMethod.GET, "/no/such/route"));
            calls.add(call(HttpMethod.GET, "/console/../topics"));
            for (HttpTestClient client : List.of(anonymous, wrong, unknown, garbled)) {
                for (Call c : calls) {
                    Resp r = c.send(client, "orders", "g");
                    assertError(r, 401, 40101);
                    assertEquals("Basic realm=\"sluice\"", r.headers().get("www-authenticate"), c.toString());
                    assertFalse(r.text().contains("orders"), c + ": " + r);
                }
                assertRejected(client, "/ws/consume?topics=orders", 401);
                assertRejected(client, "/ws/produce?topic=orders", 401);
                assertEquals(200, client.get("/health").status());
                assertTrue(client.get("/ready").status() == 200 || client.get("/ready").status() == 503);
            }
            // A wrong password and an unknown user look alike.
            assertEquals(wrong.get("/topics").json().getString("message"), unknown.get("/topics").json().getString("message"));
            assertEquals(200, admin.get("/topics").status());
        }
    }

    @Test
    void aUserWithoutAclsIsRefusedEverywhereAndLearnsNothing() {
        try (TestNode node = TestNode.start(dir, SECURED);
             HttpTestClient admin = HttpTestClient.withBasic(node.port(), "admin", ADMIN_PW);
             HttpTestClient alice = HttpTestClient.withBasic(node.port(), "alice", ALICE_PW)) {
            createUser(admin, "alice", ALICE_PW);
            admin.createTopic("orders", 1, new JsonObject());
            admin.produce("orders", new JsonArray().add(new JsonObject().put("value", "secret-record")));
            for (Call c : resourceCalls()) {
                Resp existing = c.send(alice, "orders", "g");
                Resp missing = c.send(alice, "ghost", "ghost-group");
                assertError(existing, 403, 40301);
                assertEquals("not authorized", existing.json().getString("message"), c.toString());
                assertEquals(existing.text(), missing.text(), c + ": an unauthorized topic looks the same whether it exists or not");
                assertFalse(existing.text().contains("orders") || existing.text().contains("secret"), c + ": " + existing);
            }
            for (Call c : clusterCalls()) {
                Resp r = c.send(alice, "orders", "g");
                assertError(r, 403, 40301);
                assertEquals("not authorized", r.json().getString("message"), c.toString());
            }
            assertEquals(new JsonArray(), alice.get("/topics").jsonArray(), "only what alice may describe");
            assertEquals(new JsonArray(), alice.get("/groups").jsonArray());
            assertRejected(alice, "/ws/consume?topics=orders&from=earliest", 403);
            assertRejected(alice, "/ws/consume?topics=ghost", 403);
            assertRejected(alice, "/ws/consume?topics=orders&partitions=0", 403);
            assertRejected(alice, "/ws/consume?topics=orders&group=g", 403);
            assertRejected(alice, "/ws/produce?topic=orders", 403);
            assertRejected(alice, "/ws/produce?topic=ghost", 403);
            // Nothing alice was refused happened.
            assertEquals(1, admin.get("/topics/orders/partitions/0/offsets").json().getLong("high_watermark"));
            assertEquals(200, admin.get("/users").status());
            assertEquals(2, admin.get("/users").jsonArray().size(), "mallory was not created");
        }
    }

    @Test
    void withTheAclsEveryRouteServes() {
        try (TestNode node = TestNode.start(dir, SECURED);
             HttpTestClient admin = HttpTestClient.withBasic(node.port(), "admin", ADMIN_PW);
             HttpTestClient alice = HttpTestClient.withBasic(node.port(), "alice", ALICE_PW)) {
            createUser(admin, "alice", ALICE_PW);
            grant(admin, "User:alice", "topic", "literal", "orders", "all");
            grant(admin, "User:alice", "group", "literal", "g", "all");
            grant(admin, "User:alice", "cluster", "literal", null, "all");
            Map<String, Set<Integer>> expected = Map.ofEntries(
                    Map.entry("POST /topics", Set.of(201)),
                    Map.entry("POST /topics/{t}/records", Set.of(200)),
                    Map.entry("POST /topics/{t}", Set.of(200)),
                    Map.entry("GET /topics/{t}/partitions/0/records?offset=0&timeout_ms=0", Set.of(200)),
                    Map.entry("GET /topics/{t}/partitions/0/offsets", Set.of(200)),
                    Map.entry("POST /topics/{t}/partitions", Set.of(200)),
                    Map.entry("PATCH /topics/{t}/configs", Set.of(200)),
                    Map.entry("GET /topics/{t}", Set.of(200)),
                    Map.entry("DELETE /topics/{t}", Set.of(204)),
                    Map.entry("GET /groups/{g}", Set.of(200, 404)),
                    Map.entry("DELETE /groups/{g}", Set.of(204, 404)),
                    Map.entry("GET /groups/{g}/offsets", Set.of(200, 404)),
                    Map.entry("POST /groups/{g}/offsets", Set.of(200)),
                    Map.entry("POST /groups/{g}/offsets/reset", Set.of(200)));
            // Create first, delete last.
            List<Call> ordered = new ArrayList<>(resourceCalls());
            Call create = ordered.stream().filter(c -> c.path().equals("/topics")).findFirst().orElseThrow();
            Call delete = ordered.stream().filter(c -> c.method() == HttpMethod.DELETE && c.path().equals("/topics/{t}"))
                    .findFirst().orElseThrow();
            ordered.remove(create);
            ordered.remove(delete);
            ordered.add(0, create);
            ordered.add(delete);
            for (Call c : ordered) {
                Resp r = c.send(alice, "orders", "g");
                assertTrue(expected.get(c.method() + " " + c.path()).contains(r.status()), c + ": " + r);
            }
            for (Call c : clusterCalls()) {
                Resp r = c.send(alice, "orders", "g");
                assertTrue(r.status() != 401 && r.status() != 403 && r.status() < 500, c + ": " + r);
            }
            assertEquals(new JsonArray(), alice.get("/topics").jsonArray(), "orders was deleted");
        }
    }

    @Test
    void produceNeedsWriteConsumeNeedsReadAndListingsShowOnlyWhatMayBeDescribed() {
        try (TestNode node = TestNode.start(dir, SECURED);
             HttpTestClient admin = HttpTestClient.withBasic(node.port(), "admin", ADMIN_PW);
             HttpTestClient alice = HttpTestClient.withBasic(node.port(), "alice", ALICE_PW)) {
            createUser(admin, "alice", ALICE_PW);
            for (String t : List.of("orders", "or", "other", "public")) {
                admin.createTopic(t, 1, new JsonObject());
            }
            grant(admin, "User:alice", "topic", "prefixed", "ord", "write");
            grant(admin, "User:*", "topic", "literal", "public", "read");
            // Prefix "ord" covers orders, not "or".
            assertEquals(200, alice.post("/topics/orders/records", records("o1")).status());
            assertError(alice.post("/topics/or/records", records("x")), 403, 40301);
            assertError(alice.get("/topics/orders/partitions/0/records?offset=0&timeout_ms=0"), 403, 40301);
            assertEquals(200, alice.get("/topics/public/partitions/0/records?offset=0&timeout_ms=0").status());
            assertEquals(new JsonArray().add("orders").add("public"), alice.get("/topics").jsonArray(),
                    "WRITE and READ imply DESCRIBE; nothing else is listed");
            // A first request (its password not verified yet: the body waits for the worker) streams whole.
            createUser(admin, "streamer", "streamer-pw");
            grant(admin, "User:streamer", "topic", "literal", "orders", "write");
            try (HttpTestClient streamer = HttpTestClient.withBasic(node.port(), "streamer", "streamer-pw")) {
                StringBuilder lines = new StringBuilder();
                for (int i = 0; i < 2000; i++) {
                    lines.append("{\"value\":\"line-").append(i).append("-").append("x".repeat(100)).append("\"}\n");
                }
                Resp streamed = streamer.send(HttpMethod.POST, "/topics/orders/records", "application/x-ndjson",
                        Buffer.buffer(lines.toString()));
                assertEquals(200, streamed.status(), streamed.toString());
                assertEquals(2000, streamed.json().getJsonArray("offsets").size());
            }
            createUser(admin, "batcher", "batcher-pw");
            grant(admin, "User:batcher", "topic", "literal", "orders", "write");
            try (HttpTestClient batcher = HttpTestClient.withBasic(node.port(), "batcher", "batcher-pw")) {
                JsonArray batch = new JsonArray();
                for (int i = 0; i < 2000; i++) {
                    batch.add(new JsonObject().put("value", "rec-" + i + "-" + "y".repeat(100)));
                }
                Resp produced = batcher.post("/topics/orders/records", new JsonObject().put("records", batch));
                assertEquals(200, produced.status(), produced.toString());
                assertEquals(2000, produced.json().getJsonArray("offsets").size());
            }
            // A DENY wins over the prefixed ALLOW.
            deny(admin, "User:alice", "topic", "literal", "orders", "write");
            assertError(alice.post("/topics/orders/records", records("o2")), 403, 40301);
            try (Socket ws = alice.connect("/ws/consume?topics=public&from=earliest")) {
                assertEquals("assigned", ws.next().getString("type"));
            }
            // WebSocket produce is checked per frame: an ACL removed while the socket is open stops it.
            grant(admin, "User:alice", "topic", "literal", "other", "write");
            try (Socket ws = alice.connect("/ws/produce?topic=other")) {
                ws.send(new JsonObject().put("value", 1).put("context", "first"));
                JsonObject ok = ws.next();
                assertNull(ok.getValue("error_code"), ok.encode());
                Resp deleted = admin.send(HttpMethod.DELETE, "/acls?principal=User:alice&resource_name=other", null, null);
                assertEquals(1, deleted.json().getJsonArray("deleted").size(), deleted.toString());
                ws.send(new JsonObject().put("value", 2).put("context", "second"));
                JsonObject refused = ws.next();
                assertEquals(40301, refused.getInteger("error_code"), refused.encode());
                assertEquals("second", refused.getString("context"));
            }
            assertEquals(1, admin.get("/topics/other/partitions/0/offsets").json().getLong("high_watermark"));
        }
    }

    @Test
    void superUsersAndAllowEveryoneIfNoAclFound() {
        try (TestNode node = TestNode.start(dir, "security.enabled=true", "super.users=User:admin;User:ops",
                "security.bootstrap.users=admin:" + ADMIN_PW + ",ops:ops-pw", "allow.everyone.if.no.acl.found=true");
             HttpTestClient admin = HttpTestClient.withBasic(node.port(), "admin", ADMIN_PW);
             HttpTestClient ops = HttpTestClient.withBasic(node.port(), "ops", "ops-pw");
             HttpTestClient alice = HttpTestClient.withBasic(node.port(), "alice", ALICE_PW)) {
            createUser(admin, "alice", ALICE_PW);
            ops.createTopic("open", 1, new JsonObject());
            ops.createTopic("closed", 1, new JsonObject());
            deny(admin, "User:*", "topic", "literal", "*", "all");
            assertEquals(200, ops.post("/topics/closed/records", records("x")).status(), "a super user ignores every ACL");
            assertError(alice.post("/topics/closed/records", records("x")), 403, 40301);
            admin.send(HttpMethod.DELETE, "/acls?principal=User:*", null, null);
            assertEquals(200, alice.post("/topics/open/records", records("x")).status(), "no ACL names 'open': allowed");
            grant(admin, "User:bob", "topic", "literal", "closed", "read");
            assertError(alice.post("/topics/closed/records", records("y")), 403, 40301);
            assertError(alice.get("/topics/closed/partitions/0/records?offset=0"), 403, 40301);
        }
    }

    @Test
    void aConsumerAllowedTopicANeverReceivesTopicB() {
        try (TestNode node = TestNode.start(dir, SECURED);
             HttpTestClient admin = HttpTestClient.withBasic(node.port(), "admin", ADMIN_PW);
             HttpTestClient alice = HttpTestClient.withBasic(node.port(), "alice", ALICE_PW);
             HttpTestClient bob = HttpTestClient.withBasic(node.port(), "bob", "bob-pw")) {
            createUser(admin, "alice", ALICE_PW);
            createUser(admin, "bob", "bob-pw");
            admin.createTopic("a-1", 2, new JsonObject());
            admin.createTopic("b-1", 2, new JsonObject());
            grant(admin, "User:alice", "topic", "literal", "a-1", "read");
            grant(admin, "User:bob", "topic", "literal", "b-1", "read");
            grant(admin, "User:*", "group", "literal", "shared", "read");
            for (int p = 0; p < 2; p++) {
                admin.produce("a-1", new JsonArray().add(new JsonObject().put("value", "a").put("partition", p)));
                admin.produce("b-1", new JsonArray().add(new JsonObject().put("value", "b").put("partition", p)));
            }
            assertRejected(alice, "/ws/consume?topics=b-1&partitions=0", 403);
            assertRejected(alice, "/ws/consume?topics=a-1,b-1", 403);
            // A pattern subscribes only to what may be read, alone and in a group shared with bob.
            try (Socket lone = alice.connect("/ws/consume?topics=.*-1&group=shared&from=earliest")) {
                JsonObject assigned = lone.next("assigned");
                assertEquals(Set.of("a-1"), topicsOf(assigned.getJsonArray("partitions")), assigned.encode());
                assertEquals(2, assigned.getJsonArray("partitions").size());
                try (Socket other = bob.connect("/ws/consume?topics=.*-1&group=shared&from=earliest")) {
                    JsonObject bobs = other.next("assigned");
                    Await.until("the rebalance settles", Duration.ofSeconds(20), () -> {
                        JsonObject d = admin.get("/groups/shared").json();
                        return d.getString("state").equals("Stable") || d.getString("state").equals("STABLE");
                    });
                    Set<String> seenByAlice = new HashSet<>();
                    Set<String> seenByBob = new HashSet<>();
                    drain(lone, seenByAlice);
                    drain(other, seenByBob);
                    assertTrue(seenByAlice.contains("a-1"), "alice reads a-1: " + seenByAlice);
                    assertTrue(seenByBob.contains("b-1"), "bob reads b-1: " + seenByBob);
                    assertFalse(seenByAlice.contains("b-1") || seenByAlice.contains("assigned:b-1"), "alice got b-1: " + seenByAlice);
                    assertFalse(seenByBob.contains("a-1") || seenByBob.contains("assigned:a-1"), "bob got a-1: " + seenByBob);
                    assertTrue(topicsOf(bobs.getJsonArray("partitions")).stream().allMatch("b-1"::equals), bobs.encode());
                    // Both of b-1's partitions: the coordinator gave bob what only he may read, not a share of all four.
                    assertEquals(2, bobs.getJsonArray("partitions").size(), bobs.encode());
                    // Seeking into a topic alice may not read is refused, and tells nothing.
                    lone.send(new JsonObject().put("type", "seek").put("topic", "b-1").put("partition", 0).put("offset", 0));
                    JsonObject error = lone.next("error");
                    assertEquals(40301, error.getInteger("error_code"));
                    assertEquals("not authorized", error.getString("message"));
                    // Committing for a topic alice may not read is refused.
                    lone.send(new JsonObject().put("type", "commit").put("offsets", new JsonArray()
                            .add(new JsonObject().put("topic", "b-1").put("partition", 0).put("offset", 1))));
                    assertEquals(40301, lone.next("error").getInteger("error_code"));
                    lone.send(new JsonObject().put("type", "commit").put("offsets", new JsonArray()
                            .add(new JsonObject().put("topic", "a-1").put("partition", 0).put("offset", 1))));
                    assertEquals("committed", lone.next("committed").getString("type"));
                }
            }
            JsonArray offsets = alice.get("/groups/shared/offsets").json().getJsonArray("offsets");
            assertTrue(offsets.stream().map(o -> ((JsonObject) o).getString("topic")).allMatch("a-1"::equals),
                    "alice sees only the offsets of topics she may describe: " + offsets.encode());
        }
    }

    @Test
    void aMemberCannotJoinOrCommitForAGroupItLacks() {
        try (TestNode node = TestNode.start(dir, SECURED);
             HttpTestClient admin = HttpTestClient.withBasic(node.port(), "admin", ADMIN_PW);
             HttpTestClient alice = HttpTestClient.withBasic(node.port(), "alice", ALICE_PW)) {
            createUser(admin, "alice", ALICE_PW);
            admin.createTopic("a-1", 1, new JsonObject());
            grant(admin, "User:alice", "topic", "literal", "a-1", "read");
            assertRejected(alice, "/ws/consume?topics=a-1&group=g", 403);
            grant(admin, "User:alice", "group", "literal", "g", "describe");
            assertRejected(alice, "/ws/consume?topics=a-1&group=g", 403);
            assertError(alice.post("/groups/g/offsets", new JsonObject().put("offsets", new JsonArray()
                    .add(new JsonObject().put("topic", "a-1").put("partition", 0).put("offset", 0)))), 403, 40301);
            assertError(alice.post("/groups/g/offsets/reset", new JsonObject().put("to", "earliest")), 403, 40301);
            grant(admin, "User:alice", "group", "prefixed", "g", "read");
            try (Socket s = alice.connect("/ws/consume?topics=a-1&group=g&from=earliest");
                 Socket lone = alice.connect("/ws/consume?topics=a-1&from=earliest")) {
                assertEquals("assigned", s.next("assigned").getString("type"));
                assertEquals("assigned", lone.next("assigned").getString("type"));
                admin.produce("a-1", new JsonArray().add(new JsonObject().put("value", "before")));
                assertEquals("before", s.next("records").getJsonArray("records").getJsonObject(0).getString("value"));
                assertEquals("before", lone.next("records").getJsonArray("records").getJsonObject(0).getString("value"));
                // ACLs taken away while the sockets are open: commit frames and reading stop.
                admin.send(HttpMethod.DELETE, "/acls?principal=User:alice&resource_type=group", null, null);
                s.send(new JsonObject().put("type", "commit").put("offsets", new JsonArray()
                        .add(new JsonObject().put("topic", "a-1").put("partition", 0).put("offset", 1))));
                assertEquals(40301, s.next("error").getInteger("error_code"));
                admin.send(HttpMethod.DELETE, "/acls?principal=User:alice&resource_type=topic", null, null);
                // The group's coordinator takes the partition back from the member; the lone socket stops it itself.
                assertTrue(s.next("revoked").getJsonArray("partitions").encode().contains("a-1"));
                admin.produce("a-1", new JsonArray().add(new JsonObject().put("value", "after")));
                assertEquals(40301, lone.next("error").getInteger("error_code"));
                for (Socket socket : List.of(s, lone)) {
                    JsonObject more;
                    while ((more = socket.poll(Duration.ofMillis(500))) != null) {
                        assertFalse(more.encode().contains("after"), "a record was sent after the READ ACL went: " + more.encode());
                    }
                }
            }
            grant(admin, "User:alice", "topic", "literal", "a-1", "read");
            grant(admin, "User:alice", "group", "prefixed", "g", "read");
            assertEquals(200, alice.post("/groups/g/offsets", new JsonObject().put("offsets", new JsonArray()
                    .add(new JsonObject().put("topic", "a-1").put("partition", 0).put("offset", 0)))).status());
        }
    }

    @Test
    void usersAndAclsAreManagedThroughTheApiSurviveARestartAndNoSecretShows() throws Exception {
        List<String> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                logged.add(String.valueOf(r.getMessage()) + " " + (r.getThrown() == null ? "" : r.getThrown()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        java.util.logging.Level level = root.getLevel();
        root.addHandler(capture);
        root.setLevel(java.util.logging.Level.ALL);
        TestNode node = TestNode.start(dir, SECURED);
        try (HttpTestClient admin = HttpTestClient.withBasic(node.port(), "admin", ADMIN_PW)) {
            Resp created = admin.post("/users", new JsonObject().put("name", "alice").put("password", ALICE_PW));
            assertEquals(201, created.status(), created.toString());
            assertEquals(new JsonObject().put("name", "alice").put("mechanisms", new JsonArray().add("SCRAM-SHA-256").add("SCRAM-SHA-512")),
                    created.json());
            assertEquals(200, admin.post("/users", new JsonObject().put("name", "alice").put("password", "temporary")).status(),
                    "an upsert: the password is replaced");
            assertEquals(200, admin.post("/users", new JsonObject().put("name", "alice").put("password", ALICE_PW)).status());
            assertError(admin.post("/users", new JsonObject().put("name", "bad name").put("password", "x")), 400, 40001);
            assertError(admin.post("/users", new JsonObject().put("name", "carol")), 400, 40001);
            Resp garbled = admin.send(HttpMethod.POST, "/users", "application/json", Buffer.buffer("{\"name\":\"x\",\"password\":" + ALICE_PW));
            assertError(garbled, 400, 40001);
            assertFalse(garbled.text().contains(ALICE_PW), garbled.toString());
            grant(admin, "User:alice", "topic", "prefixed", "ord", "read");
            Resp dup = admin.post("/acls", acl("User:alice", "topic", "prefixed", "ord", "read", "allow"));
            assertEquals(201, dup.status(), "an ACL that exists is left as it is");
            assertError(admin.post("/acls", acl("alice", "topic", "literal", "x", "read", "allow")), 400, 40001);
            assertError(admin.post("/acls", acl("User:alice", "topic", "literal", "x", "fly", "allow")), 400, 40001);
            assertError(admin.post("/acls", acl("User:alice", "volcano", "literal", "x", "read", "allow")), 400, 40001);
            assertError(admin.send(HttpMethod.DELETE, "/acls", null, null), 400, 40001);
            assertEquals(1, admin.get("/acls?principal=User:alice").jsonArray().size());
            assertEquals(0, admin.get("/acls?principal=User:bob").jsonArray().size());
        }
        node = node.restart();
        try (HttpTestClient admin = HttpTestClient.withBasic(node.port(), "admin", ADMIN_PW);
             HttpTestClient alice = HttpTestClient.withBasic(node.port(), "alice", ALICE_PW);
             HttpTestClient oldPassword = HttpTestClient.withBasic(node.port(), "alice", "temporary")) {
            admin.createTopic("orders", 1, new JsonObject());
            assertEquals(200, alice.get("/topics/orders/partitions/0/records?offset=0&timeout_ms=0").status(),
                    "alice and her ACL survived the restart");
            assertError(oldPassword.get("/topics/orders"), 401, 40101);
            JsonArray users = admin.get("/users").jsonArray();
            assertEquals(2, users.size());
            assertFalse(users.encode().contains("salt") || users.encode().contains("stored") || users.encode().contains("Key"),
                    users.encode());
            assertEquals(new JsonArray().add(new JsonObject().put("principal", "User:alice").put("resource_type", "topic")
                            .put("pattern_type", "prefixed").put("resource_name", "ord").put("operation", "read")
                            .put("permission", "allow").put("host", "*")),
                    admin.get("/acls").jsonArray());
            Resp deleted = admin.send(HttpMethod.DELETE, "/acls?principal=User:alice", null, null);
            assertEquals(1, deleted.json().getJsonArray("deleted").size());
            assertError(alice.get("/topics/orders/partitions/0/records?offset=0&timeout_ms=0"), 403, 40301);
            assertEquals(204, admin.delete("/users/alice").status());
            assertError(admin.delete("/users/alice"), 404, 40404);
            assertError(alice.get("/topics"), 401, 40101);
        } finally {
            node.close();
            root.removeHandler(capture);
            root.setLevel(level);
        }
        for (String line : logged) {
            for (String secret : List.of(ADMIN_PW, ALICE_PW, "temporary")) {
                if (line.contains(secret)) {
                    fail("a log line holds a password: " + line);
                }
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String content = new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1);
                for (String secret : List.of(ADMIN_PW, ALICE_PW)) {
                    assertFalse(content.contains(secret), f + " holds a password");
                }
            }
        }
    }

    @Test
    void securityOffAnswersAsBefore() {
        try (TestNode node = TestNode.start(dir);
             HttpTestClient http = new HttpTestClient(node.port())) {
            http.createTopic("orders", 1, new JsonObject());
            assertEquals(200, http.post("/topics/orders/records", records("x")).status());
            assertEquals(200, http.get("/acls").status());
            assertEquals(200, http.get("/users").status());
        }
    }

    // ---------------------------------------------------------------- helpers

    static void createUser(HttpTestClient admin, String name, String password) {
        Resp r = admin.post("/users", new JsonObject().put("name", name).put("password", password));
        assertEquals(201, r.status(), r.toString());
    }

    static JsonObject acl(String principal, String type, String pattern, String name, String operation, String permission) {
        JsonObject acl = new JsonObject().put("principal", principal).put("resource_type", type).put("pattern_type", pattern)
                .put("operation", operation).put("permission", permission);
        return name == null ? acl : acl.put("resource_name", name);
    }

    static void grant(HttpTestClient admin, String principal, String type, String pattern, String name, String operation) {
        Resp r = admin.post("/acls", acl(principal, type, pattern, name, operation, "allow"));
        assertEquals(201, r.status(), r.toString());
    }

    static void deny(HttpTestClient admin, String principal, String type, String pattern, String name, String operation) {
        Resp r = admin.post("/acls", acl(principal, type, pattern, name, operation, "deny"));
        assertEquals(201, r.status(), r.toString());
    }

    private static JsonObject records(String value) {
        return new JsonObject().put("records", new JsonArray().add(new JsonObject().put("value", value)));
    }

    static void assertRejected(HttpTestClient client, String uri, int status) {
        Throwable failure = client.connectFailure(uri);
        assertTrue(failure instanceof UpgradeRejectedException, String.valueOf(failure));
        assertEquals(status, ((UpgradeRejectedException) failure).getStatus(), uri);
    }

    private static Set<String> topicsOf(JsonArray partitions) {
        Set<String> out = new HashSet<>();
        partitions.forEach(p -> out.add(((JsonObject) p).getString("topic")));
        return out;
    }

    /** Collects the topics of the records a socket receives until it is quiet for a moment. */
    private static void drain(Socket s, Set<String> topics) {
        JsonObject f;
        while ((f = s.poll(Duration.ofMillis(500))) != null) {
            if ("records".equals(f.getString("type"))) {
                f.getJsonArray("records").forEach(r -> topics.add(((JsonObject) r).getString("topic")));
            } else if ("assigned".equals(f.getString("type"))) {
                topicsOf(f.getJsonArray("partitions")).forEach(t -> topics.add("assigned:" + t));
            }
        }
    }
}

package io.sluice.cluster;

import io.sluice.testing.Await;
import io.sluice.testing.HttpTestClient;
import io.sluice.testing.HttpTestClient.Resp;
import io.sluice.testing.HttpTestClient.Socket;
import io.sluice.testing.TestCluster;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static io.sluice.testing.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Users and ACLs are cluster metadata: created through one node, every node authenticates and
 * authorizes by them, a node that restarts still does, and a request a node forwards (a produce to
 * another node's leader, a group member whose coordinator is elsewhere) keeps its principal's rules.
 */
class SecurityAcrossNodesTest {
    private static final String ADMIN_PW = "cluster-admin-pw";
    private static final String ALICE_PW = "cluster-alice-pw";

    @TempDir
    Path dir;
    TestCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void usersAndAclsCreatedOnOneNodeHoldOnEveryNodeAndAcrossARestart() {
        cluster = new TestCluster(dir, 2, 0, "security.enabled=true", "super.users=User:admin",
                "security.bootstrap.users=admin:" + ADMIN_PW, "offsets.topic.num.partitions=2");
        try (HttpTestClient admin0 = HttpTestClient.withBasic(cluster.node(0).port(), "admin", ADMIN_PW);
             HttpTestClient alice1 = HttpTestClient.withBasic(cluster.node(1).port(), "alice", ALICE_PW)) {
            assertEquals(201, admin0.post("/users", new JsonObject().put("name", "alice").put("password", ALICE_PW)).status());
            Resp topic = admin0.post("/topics", new JsonObject().put("name", "orders").put("partitions", 2)
                    .put("replication_factor", 1));
            assertEquals(201, topic.status(), topic.toString());
            assertEquals(201, admin0.post("/acls", new JsonObject().put("principal", "User:alice").put("resource_type", "topic")
                    .put("resource_name", "orders").put("operation", "write")).status());
            // Node 1 learns of alice and her ACL from the metadata the controller commits.
            Await.until("node 1 authenticates alice", Duration.ofSeconds(20), () -> alice1.get("/topics").status() == 200);
            Await.until("node 1 authorizes alice", Duration.ofSeconds(20),
                    () -> alice1.get("/topics").jsonArray().equals(new JsonArray().add("orders")));
            // Both partitions, wherever they lead: a produce forwarded to the other node's leader works.
            for (int p = 0; p < 2; p++) {
                Resp r = alice1.post("/topics/orders/records", new JsonObject().put("records", new JsonArray()
                        .add(new JsonObject().put("value", p).put("partition", p))));
                assertEquals(200, r.status(), r.toString());
            }
            assertError(alice1.get("/topics/orders/partitions/0/records?offset=0&timeout_ms=0"), 403, 40301);

            // A group member on node 1, whatever node coordinates its group, reads only what alice may READ.
            admin0.post("/acls", new JsonObject().put("principal", "User:alice").put("resource_type", "group")
                    .put("resource_name", "g").put("operation", "read"));
            admin0.post("/acls", new JsonObject().put("principal", "User:alice").put("resource_type", "topic")
                    .put("resource_name", "orders").put("operation", "read"));
            Await.until("node 1 sees the read ACLs", Duration.ofSeconds(20),
                    () -> alice1.get("/topics/orders/partitions/0/records?offset=0&timeout_ms=0").status() == 200);
            try (Socket s = alice1.connect("/ws/consume?topics=ord.*&group=g&from=earliest")) {
                assertEquals(2, s.next("assigned").getJsonArray("partitions").size());
            }
        }
        cluster.stop(1);
        cluster.start(1);
        try (HttpTestClient alice1 = HttpTestClient.withBasic(cluster.node(1).port(), "alice", ALICE_PW);
             HttpTestClient wrong1 = HttpTestClient.withBasic(cluster.node(1).port(), "alice", "nope")) {
            assertEquals(new JsonArray().add("orders"), alice1.get("/topics").jsonArray(), "alice and her ACLs after a restart");
            assertError(wrong1.get("/topics"), 401, 40101);
        }
    }

    @Test
    void aWebSocketTicketIssuedByOneNodeOpensOneUpgradeOnAnother() {
        cluster = new TestCluster(dir, 2, 0, "security.enabled=true", "super.users=User:admin",
                "security.bootstrap.users=admin:" + ADMIN_PW, "offsets.topic.num.partitions=2");
        try (HttpTestClient admin0 = HttpTestClient.withBasic(cluster.node(0).port(), "admin", ADMIN_PW);
             HttpTestClient browser0 = new HttpTestClient(cluster.node(0).port());
             HttpTestClient browser1 = new HttpTestClient(cluster.node(1).port())) {
            Resp topic = admin0.post("/topics", new JsonObject().put("name", "orders").put("partitions", 1)
                    .put("replication_factor", 1));
            assertEquals(201, topic.status(), topic.toString());
            admin0.produce("orders", new JsonArray().add(new JsonObject().put("value", "o-1")));
            Resp issued = admin0.send(io.vertx.core.http.HttpMethod.POST, "/ws/tickets", null, null);
            assertEquals(201, issued.status(), issued.toString());
            String ticket = issued.json().getString("ticket");
            try (Socket s = browser1.connect("/ws/consume?topics=orders&from=earliest&ticket=" + ticket)) {
                assertEquals("o-1", s.next("records").getJsonArray("records").getJsonObject(0).getString("value"));
            }
            // Spent cluster-wide: neither node takes it again.
            for (HttpTestClient browser : java.util.List.of(browser0, browser1)) {
                Throwable refused = browser.connectFailure("/ws/consume?topics=orders&ticket=" + ticket);
                assertEquals(401, ((io.vertx.core.http.UpgradeRejectedException) refused).getStatus());
            }
        }
    }
}

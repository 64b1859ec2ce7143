package io.sluice.quorum;

import io.sluice.testing.Await;
import io.sluice.testing.HttpTestClient;
import io.sluice.testing.HttpTestClient.Resp;
import io.sluice.testing.TestCluster;
import io.sluice.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static io.sluice.testing.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The controller quorum across real nodes in one JVM: majorities, voter changes, leases. */
class ControllerQuorumTest {
    @TempDir
    Path dir;

    static Resp createTopic(HttpTestClient http, String name) {
        return http.post("/topics", new JsonObject().put("name", name).put("partitions", 2).put("replication_factor", 2));
    }

    static List<String> voters(HttpTestClient http) {
        return http.get("/cluster").json().getJsonObject("quorum").getJsonArray("voters").stream().map(Object::toString).sorted().toList();
    }

    @Test
    void aNodeWithoutAMajorityOfTheVotersCommitsNothingAndTheMajorityCarriesOn() {
        try (TestCluster cluster = new TestCluster(dir, 3, 0, "sluice.request.timeout.ms=3000",
                "controller.quorum.commit.timeout.ms=1000")) {
            try (HttpTestClient a = new HttpTestClient(cluster.node(0).port())) {
                assertEquals(201, createTopic(a, "before").status());
                assertEquals("voter", a.get("/cluster").json().getJsonObject("quorum").getString("role"));
                cluster.stop(1);
                assertEquals(201, createTopic(a, "with-two").status(), "two voters of three are a majority");
                cluster.stop(2);
                long version = a.get("/cluster").json().getLong("metadata_version");
                // (Replication factor 1, so that the request is valid on one node: only the commit can refuse it.)
                Resp refused = a.post("/topics", new JsonObject().put("name", "with-one").put("partitions", 1));
                // 503: refused before anything was proposed (the controller was not confirmed lately);
                // 408: proposed, and not committed in time: unknown, as a Kafka CreateTopics timeout.
                assertTrue(refused.status() == 503 || refused.status() == 408,
                        "one voter of three commits nothing: unavailable, or no answer in time: " + refused);
                assertEquals(version, a.get("/cluster").json().getLong("metadata_version"), "no metadata changed");
                assertError(a.get("/topics/with-one"), 404, 40401);
                cluster.startTogether(1, 2);
                assertEquals(201, createTopic(a, "after").status());
                JsonArray names = a.get("/topics").jsonArray();
                assertTrue(names.contains("before") && names.contains("with-two") && names.contains("after"), names.toString());
                if (refused.status() == 503) {
                    assertFalse(names.contains("with-one"), "a refused change never takes effect: " + names);
                }
                // Either way, every node holds the same answer once the voters are back.
                for (int n = 1; n <= 2; n++) {
                    int node = n;
                    try (HttpTestClient other = new HttpTestClient(cluster.node(node).port())) {
                        Await.until("node " + node + " holds the same topics", Duration.ofSeconds(20),
                                () -> other.get("/topics").jsonArray().equals(a.get("/topics").jsonArray()));
                    }
                }
            }
        }
    }

    @Test
    void aVoterIsReplacedThroughTheQuorumAndTheNewMajorityDecides() {
        try (TestCluster cluster = new TestCluster(dir, 3, 1)) {
            String next = cluster.voters(0, 1, 3);
            cluster.startWithVoters(3, next);
            try (HttpTestClient a = new HttpTestClient(cluster.node(0).port())) {
                assertError(a.post("/cluster/voters", new JsonObject().put("voters", "n0@nohost")), 400, 40001);
                assertError(a.post("/cluster/voters", new JsonObject().put("voters", 7)), 400, 40001);
                Resp changed = a.post("/cluster/voters", new JsonObject().put("voters", next));
                assertEquals(200, changed.status(), changed.toString());
                List<String> expected = List.of(next.split(",")).stream().sorted().toList();
                Await.until("every voter holds the new configuration", Duration.ofSeconds(20), () -> voters(a).equals(expected));
            }
            // Two of the new voters {n0, n1, n3} are a majority without n2 (removed) and n0.
            cluster.stop(2);
            cluster.stop(0);
            try (HttpTestClient b = new HttpTestClient(cluster.node(3).port())) {
                Resp created = createTopic(b, "decided-by-the-new-voters");
                assertEquals(201, created.status(), created.toString());
            }
        }
    }

    @Test
    void aBrokerWithoutALeaseTakesNoWritesAndIsNotReady() {
        // Heartbeats every 10 minutes: the first is sent before the controller exists, so no lease is ever granted.
        try (TestNode node = TestNode.start(dir, "broker.heartbeat.interval.ms=600000");
             HttpTestClient http = new HttpTestClient(node.port())) {
            assertEquals(201, createTopicRf1(http, "leaseless").status(), "the controller commits without leases");
            Resp refused = http.post("/topics/leaseless/records?timeout_ms=1000", new JsonObject().put("records",
                    new JsonArray().add(new JsonObject().put("value", 1))));
            assertTrue(refused.status() == 503 && refused.json().getString("message").contains("lease"), refused.toString());
            assertEquals(503, http.get("/ready").status());
            assertEquals(0L, http.get("/cluster").json().getJsonObject("quorum").getLong("lease_remaining_ms"));
        }
    }

    @Test
    void aBrokerWithALeaseIsReadyAndTakesWrites() {
        try (TestNode node = TestNode.start(dir);
             HttpTestClient http = new HttpTestClient(node.port())) {
            Await.until("a lease", Duration.ofSeconds(10), () -> http.get("/ready").status() == 200);
            assertEquals(201, createTopicRf1(http, "leased").status());
            assertEquals(200, http.post("/topics/leased/records", new JsonObject().put("records",
                    new JsonArray().add(new JsonObject().put("value", 1)))).status());
            assertTrue(http.get("/cluster").json().getJsonObject("quorum").getLong("lease_remaining_ms") > 0);
        }
    }

    static Resp createTopicRf1(HttpTestClient http, String name) {
        return http.post("/topics", new JsonObject().put("name", name).put("partitions", 1));
    }
}

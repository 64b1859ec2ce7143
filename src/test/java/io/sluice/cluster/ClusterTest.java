package io.sluice.cluster;

import io.sluice.bus.TopicPartition;
import io.sluice.log.LogTestSupport;
import io.sluice.partition.PartitionVerticle;
import io.sluice.testing.Await;
import io.sluice.testing.HttpTestClient;
import io.sluice.testing.HttpTestClient.Resp;
import io.sluice.testing.TestCluster;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.sluice.testing.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Three nodes in one JVM: placement, replication, ISR, forwarding, controller failover. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterTest {
    @TempDir
    static Path dir;

    TestCluster cluster;

    @BeforeAll
    void start() {
        cluster = new TestCluster(dir, 3, 0, "replica.lag.time.max.ms=2000");
    }

    @AfterAll
    void stop() {
        cluster.close();
    }

    HttpTestClient client(int i) {
        return new HttpTestClient(cluster.node(i).port());
    }

    /** Every record of a replica's local log (leader or follower). */
    static List<LogTestSupport.Rec> replicaRecords(io.sluice.testing.TestNode node, TopicPartition tp) {
        PartitionVerticle v = node.node().replicas().local(tp);
        assertNotNull(v, tp + " has no replica on " + node.nodeId());
        return LogTestSupport.readAll(v.log());
    }

    @Test
    void topicsSpreadLeadersAndReplicateToEveryReplica() {
        try (HttpTestClient a = client(0); HttpTestClient b = client(1); HttpTestClient c = client(2)) {
            JsonObject view = a.get("/cluster").json();
            assertEquals(3, view.getJsonArray("nodes").size());
            assertEquals(view.getString("controller"), b.get("/cluster").json().getString("controller"));

            Resp created = a.post("/topics", new JsonObject().put("name", "replicated").put("partitions", 6)
                    .put("replication_factor", 3).put("configs", new JsonObject().put("min.insync.replicas", 2)));
            assertEquals(201, created.status(), created.toString());
            Map<String, Integer> leaders = new HashMap<>();
            for (Object o : created.json().getJsonArray("partitions")) {
                JsonObject p = (JsonObject) o;
                assertEquals(3, p.getJsonArray("replicas").size());
                leaders.merge(p.getString("leader"), 1, Integer::sum);
            }
            assertEquals(3, leaders.size(), "leaders spread over every node: " + leaders);
            leaders.values().forEach(n -> assertEquals(2, n));

            // Produce through one node, read through another: both forward to the leaders.
            JsonArray records = new JsonArray();
            for (int i = 0; i < 60; i++) {
                records.add(new JsonObject().put("key", "k" + i).put("value", i));
            }
            JsonArray offsets = c.produce("replicated", records).getJsonArray("offsets");
            assertEquals(60, offsets.size());
            int total = 0;
            for (int p = 0; p < 6; p++) {
                total += b.get("/topics/replicated/partitions/" + p + "/records?offset=0&max_records=100").json()
                        .getJsonArray("records").size();
            }
            assertEquals(60, total, "acks=all records are readable from any node");

            // Every replica holds the same records at the same offsets.
            for (int p = 0; p < 6; p++) {
                TopicPartition tp = new TopicPartition("replicated", p);
                List<LogTestSupport.Rec> onA = replicaRecords(cluster.node(0), tp);
                int part = p;
                Await.until("followers of " + tp + " caught up", Duration.ofSeconds(10), () ->
                        replicaRecords(cluster.node(1), tp).size() == onA.size() && replicaRecords(cluster.node(2), tp).size() == onA.size());
                assertEquals(onA.toString(), replicaRecords(cluster.node(1), tp).toString(), "partition " + part);
                assertEquals(onA.toString(), replicaRecords(cluster.node(2), tp).toString(), "partition " + part);
            }
            JsonObject described = b.get("/topics/replicated").json();
            for (Object o : described.getJsonArray("partitions")) {
                assertEquals(3, ((JsonObject) o).getJsonArray("isr").size());
            }

            // Each node describes its own replicas: leaders with their followers' progress,
            // followers with their fetch loop.
            Await.until("node 0 reports every follower caught up", Duration.ofSeconds(10), () -> {
                JsonArray local = a.get("/replicas").json().getJsonArray("replicas");
                int leading = 0;
                int following = 0;
                for (Object o : local) {
                    JsonObject r = (JsonObject) o;
                    if (!r.getString("topic").equals("replicated")) {
                        continue;
                    }
                    long end = r.getLong("log_end_offset");
                    if (r.getString("role").equals("leader")) {
                        leading++;
                        JsonArray followers = r.getJsonObject("leader_state").getJsonArray("followers");
                        if (followers.size() != 2 || !followers.stream().allMatch(f -> ((JsonObject) f).getLong("fetch_offset") == end)) {
                            return false;
                        }
                    } else {
                        following++;
                        JsonObject fetcher = r.getJsonObject("fetcher");
                        if (!fetcher.getString("leader").equals(r.getString("leader")) || fetcher.getLong("fetch_offset") != end) {
                            return false;
                        }
                    }
                }
                return leading == 2 && following == 4;
            });
        }
    }

    @Test
    void isrFollowsNodesAndMinInsyncReplicasGuardsAcksAll() {
        try (HttpTestClient a = client(0)) {
            a.post("/topics", new JsonObject().put("name", "guarded").put("partitions", 1).put("replication_factor", 3)
                    .put("configs", new JsonObject().put("min.insync.replicas", 3)));
            a.produce("guarded", new JsonArray().add(new JsonObject().put("value", "before")));
            String leader = a.get("/topics/guarded").json().getJsonArray("partitions").getJsonObject(0).getString("leader");
            int leaderIndex = cluster.indexOf(leader);
            int follower = (leaderIndex + 1) % 3;
            try (HttpTestClient http = client(leaderIndex)) {
                // (One of three voters away: the other two still commit the ISR change.)
                cluster.stop(follower);
                Await.until("ISR shrinks to 2", Duration.ofSeconds(15), () -> isr(http, "guarded").size() == 2);
                Resp refused = http.post("/topics/guarded/records", new JsonObject().put("records", new JsonArray()
                        .add(new JsonObject().put("value", "with two"))));
                assertError(refused, 503, 50301);
                assertEquals("1", refused.headers().get("retry-after"));
                assertEquals(200, http.send(io.vertx.core.http.HttpMethod.POST, "/topics/guarded/records?acks=1", "application/json",
                        new JsonObject().put("records", new JsonArray().add(new JsonObject().put("value", "acks=1 still works"))).toBuffer()).status());
                cluster.start(follower);
                Await.until("the restarted follower catches up and rejoins the ISR", Duration.ofSeconds(30),
                        () -> isr(http, "guarded").size() == 3);
                // The node's metadata shows the ISR a moment before its partition replica applies it
                // (on the replica's own context); until then acks=all is the retriable 503.
                Await.until("acks=all is taken again with three in sync", Duration.ofSeconds(10), () -> {
                    Resp r = http.post("/topics/guarded/records", new JsonObject().put("records", new JsonArray()
                            .add(new JsonObject().put("value", "after"))));
                    if (r.status() != 200) {
                        assertError(r, 503, 50301);
                    }
                    return r.status() == 200;
                });
            }
        }
    }

    static List<String> isr(HttpTestClient http, String topic) {
        return http.get("/topics/" + topic).json().getJsonArray("partitions").getJsonObject(0).getJsonArray("isr")
                .stream().map(Object::toString).toList();
    }

    @Test
    void theControllerFailsOverAndMetadataSurvivesRestartingEveryNode() {
        String firstController;
        try (HttpTestClient a = client(0)) {
            firstController = a.get("/cluster").json().getString("controller");
            a.post("/topics", new JsonObject().put("name", "durable-meta").put("partitions", 3).put("replication_factor", 2));
        }
        int controllerIndex = cluster.indexOf(firstController);
        cluster.stop(controllerIndex);
        int other = controllerIndex == 0 ? 1 : 0;
        try (HttpTestClient b = client(other)) {
            Await.until("a new controller", Duration.ofSeconds(15),
                    () -> !firstController.equals(b.get("/cluster").json().getString("controller")));
            Resp created = b.post("/topics", new JsonObject().put("name", "after-failover").put("partitions", 2).put("replication_factor", 2));
            assertEquals(201, created.status(), created.toString());
        }
        cluster.start(controllerIndex);
        for (int i = 0; i < 3; i++) {
            cluster.stop(i);
        }
        cluster.startTogether(0, 1, 2);
        try (HttpTestClient c = client(2)) {
            Set<String> names = new HashSet<>();
            c.get("/topics").jsonArray().forEach(n -> names.add(n.toString()));
            assertTrue(names.containsAll(Set.of("durable-meta", "after-failover")), names.toString());
            Await.until("partitions led again", Duration.ofSeconds(20), () -> c.get("/topics/after-failover").json()
                    .getJsonArray("partitions").stream().allMatch(p -> ((JsonObject) p).getString("leader") != null));
        }
    }

    /**
     * A leader that lost its leadership while it could not hear the controller keeps taking
     * acks=1 writes in its old epoch. Those writes are made here exactly so: the deposed leader's
     * log gets records in its last epoch after the others moved on. When it comes back it must
     * find the divergence by leader epoch, cut it, and end up identical to the new leader.
     */
    @Test
    void aReturningReplicaTruncatesWhatItWroteAfterLosingLeadership() throws Exception {
        TopicPartition tp = new TopicPartition("diverge", 0);
        int old;
        int epoch;
        try (HttpTestClient a = client(0)) {
            a.post("/topics", new JsonObject().put("name", "diverge").put("partitions", 1).put("replication_factor", 3)
                    .put("configs", new JsonObject().put("min.insync.replicas", 2)));
            JsonArray first = new JsonArray();
            for (int i = 0; i < 10; i++) {
                first.add(new JsonObject().put("value", "first-" + i));
            }
            a.produce("diverge", first);
            JsonObject p = a.get("/topics/diverge").json().getJsonArray("partitions").getJsonObject(0);
            old = cluster.indexOf(p.getString("leader"));
            epoch = p.getInteger("leader_epoch");
        }
        Path logDir = cluster.node(old).dataDir().resolve("logs").resolve("diverge-0");
        cluster.stop(old);
        // What the deposed leader appended after the others had moved on: records in its old epoch.
        try (LogTestSupport.OpenLog log = LogTestSupport.OpenLog.open(logDir, io.sluice.log.LogConfig.builder().build(),
                LogTestSupport.env(new LogTestSupport.ManualClock(System.currentTimeMillis())))) {
            assertEquals(10, log.log().logEndOffset());
            log.append(LogTestSupport.batch(System.currentTimeMillis(), "ghost-0", "ghost-1", "ghost-2", "ghost-3", "ghost-4"), epoch);
            log.writer().flush().join();
        }
        int other = (old + 1) % 3;
        try (HttpTestClient b = client(other)) {
            JsonArray second = new JsonArray();
            for (int i = 0; i < 10; i++) {
                second.add(new JsonObject().put("value", "second-" + i));
            }
            b.produce("diverge", second);
            cluster.start(old);
            Await.until("the returning replica is in the ISR again", Duration.ofSeconds(30), () -> isr(b, "diverge").size() == 3);
        }
        List<LogTestSupport.Rec> returned = replicaRecords(cluster.node(old), tp);
        List<String> values = LogTestSupport.values(returned);
        assertEquals(20, values.size(), values.toString());
        assertTrue(values.stream().noneMatch(v -> v.startsWith("ghost")), "the divergent tail is gone: " + values);
        assertEquals("\"second-0\"", values.get(10), "the new leader's records follow the common prefix");
        for (int i = 0; i < 3; i++) {
            int node = i;
            Await.until("replica on node " + i + " has every record", Duration.ofSeconds(10),
                    () -> replicaRecords(cluster.node(node), tp).size() == 20);
            assertEquals(returned.toString(), replicaRecords(cluster.node(i), tp).toString(), "node " + i);
        }
    }

    @Test
    void aConsumerReadsFromTheReplicaOnItsOwnNode() {
        TopicPartition tp = new TopicPartition("near", 0);
        int leader;
        try (HttpTestClient a = client(0)) {
            a.post("/topics", new JsonObject().put("name", "near").put("partitions", 1).put("replication_factor", 3));
            JsonArray records = new JsonArray();
            for (int i = 0; i < 30; i++) {
                records.add(new JsonObject().put("value", i));
            }
            a.produce("near", records);
            leader = cluster.indexOf(a.get("/topics/near").json().getJsonArray("partitions").getJsonObject(0).getString("leader"));
            Await.until("every replica in sync", Duration.ofSeconds(10), () -> isr(a, "near").size() == 3);
        }
        int follower = (leader + 1) % 3;
        try (HttpTestClient f = client(follower); HttpTestClient.Socket ws = f.connect("/ws/consume?topics=near&from=earliest")) {
            int received = 0;
            while (received < 30) {
                JsonObject frame = ws.next();
                if ("records".equals(frame.getString("type"))) {
                    for (Object o : frame.getJsonArray("records")) {
                        assertEquals(received, ((JsonObject) o).getInteger("value"));
                        received++;
                    }
                }
            }
        }
        assertTrue(cluster.node(follower).node().replicas().local(tp).consumerFetches() > 0,
                "the follower on the consumer's node answered its fetches");
        assertEquals(0, cluster.node(leader).node().replicas().local(tp).consumerFetches(),
                "the leader on another node served no consumer fetch");
    }

    @Test
    void anExplicitRebalanceSpreadsReplicasOntoANodeThatHasFewer() {
        try (HttpTestClient a = client(0)) {
            // Node 2 holds a replica, so that its return is not "a new node" (which gets replicas by itself).
            a.post("/topics", new JsonObject().put("name", "anchor").put("partitions", 1).put("replication_factor", 3));
            String absent = cluster.node(2).nodeId();
            cluster.stop(2);
            Await.until("node 2 is gone", Duration.ofSeconds(15), () -> a.get("/cluster").json().getJsonArray("nodes").size() == 2);
            a.post("/topics", new JsonObject().put("name", "lopsided").put("partitions", 6).put("replication_factor", 2));
            JsonArray records = new JsonArray();
            for (int i = 0; i < 60; i++) {
                records.add(new JsonObject().put("key", "k" + i).put("value", i));
            }
            a.produce("lopsided", records);
            cluster.start(2);
            Await.until("node 2 is back", Duration.ofSeconds(15), () -> a.get("/cluster").json().getJsonArray("nodes").size() == 3);
            assertEquals(0, replicasOn(a, "lopsided", absent), "nothing moves by itself onto a returning node");

            Resp rebalanced = a.post("/cluster/rebalance", new JsonObject());
            assertEquals(200, rebalanced.status(), rebalanced.toString());
            assertTrue(rebalanced.json().getInteger("partitions_moving") > 0, rebalanced.toString());
            Await.until("replicas and leaders spread evenly", Duration.ofSeconds(30), () -> {
                JsonArray parts = a.get("/topics/lopsided").json().getJsonArray("partitions");
                Map<String, Integer> replicas = new HashMap<>();
                Map<String, Integer> leaders = new HashMap<>();
                for (Object o : parts) {
                    JsonObject p = (JsonObject) o;
                    if (p.getJsonArray("replicas").size() != 2 || p.getJsonArray("isr").size() != 2) {
                        return false;
                    }
                    p.getJsonArray("replicas").forEach(r -> replicas.merge(r.toString(), 1, Integer::sum));
                    leaders.merge(p.getString("leader"), 1, Integer::sum);
                }
                return replicas.size() == 3 && replicas.values().stream().allMatch(n -> n == 4)
                        && leaders.size() == 3 && leaders.values().stream().allMatch(n -> n == 2);
            });
            int total = 0;
            try (HttpTestClient c = client(2)) {
                for (int p = 0; p < 6; p++) {
                    total += c.get("/topics/lopsided/partitions/" + p + "/records?offset=0&max_records=100").json()
                            .getJsonArray("records").size();
                }
            }
            assertEquals(60, total, "every record survived the moves");
            for (int p = 0; p < 6; p++) {
                TopicPartition tp = new TopicPartition("lopsided", p);
                JsonArray replicas = a.get("/topics/lopsided").json().getJsonArray("partitions").getJsonObject(p).getJsonArray("replicas");
                List<LogTestSupport.Rec> first = replicaRecords(cluster.node(cluster.indexOf(replicas.getString(0))), tp);
                Await.until("replicas of " + tp + " agree", Duration.ofSeconds(10), () ->
                        replicaRecords(cluster.node(cluster.indexOf(replicas.getString(1))), tp).size() == first.size());
                assertEquals(first.toString(), replicaRecords(cluster.node(cluster.indexOf(replicas.getString(1))), tp).toString());
            }
        }
    }

    @Test
    void aNodeThatMissedAMetadataUpdatePullsItFromTheController() {
        try (HttpTestClient a = client(0)) {
            String controller = a.get("/cluster").json().getString("controller");
            int x = cluster.node(1).nodeId().equals(controller) ? 2 : 1;
            MetadataCache cache = cluster.node(x).node().metadata();
            ClusterMetadata before = cache.current();
            Resp created = a.post("/topics", new JsonObject().put("name", "missed").put("partitions", 1).put("replication_factor", 1));
            assertEquals(201, created.status(), created.toString());
            // As if the controller's publication of the new topic had never reached node x.
            cache.apply(before, true);
            assertEquals(null, cache.current().topics().get("missed"));
            Await.until("node " + x + " pulled the version it missed", Duration.ofSeconds(15),
                    () -> cache.current().topics().containsKey("missed"));
            try (HttpTestClient c = client(x)) {
                JsonArray offsets = c.produce("missed", new JsonArray().add(new JsonObject().put("value", "found"))).getJsonArray("offsets");
                assertEquals(0L, offsets.getJsonObject(0).getLong("offset"));
            }
        }
    }

    private static int replicasOn(HttpTestClient http, String topic, String node) {
        int n = 0;
        for (Object o : http.get("/topics/" + topic).json().getJsonArray("partitions")) {
            n += ((JsonObject) o).getJsonArray("replicas").contains(node) ? 1 : 0;
        }
        return n;
    }
}

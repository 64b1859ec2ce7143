package io.sluice.group;

import io.sluice.testing.Await;
import io.sluice.testing.HttpTestClient;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A consumer group whose members are connected to different nodes of a three-node cluster: the
 * coordinator (leader of the group's {@code __consumer_offsets} partition) runs on one node and
 * serves members everywhere; when its node stops, the next leader of that partition takes over
 * the group with its committed offsets.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GroupsAcrossNodesTest {
    static final String QUERY = "group=spread-group&topics=spread&from=earliest&session_timeout_ms=2000";

    @TempDir
    static Path dir;

    TestCluster cluster;

    @BeforeAll
    void start() {
        cluster = new TestCluster(dir, 3, 0, "offsets.topic.num.partitions=3", "replica.lag.time.max.ms=2000",
                "sluice.group.lag.refresh.ms=200");
    }

    @AfterAll
    void stop() {
        cluster.close();
    }

    private static void until(String what, List<GroupTestMember> members, BooleanSupplier condition) {
        GroupTestMember.until(what, members, Duration.ofSeconds(30), condition);
    }

    private static boolean covers(List<GroupTestMember> members, int partitions) {
        return GroupTestMember.partitionsCovered(members, partitions);
    }

    private static Set<Integer> distinct(List<GroupTestMember> members) {
        Set<Integer> out = new TreeSet<>();
        members.forEach(m -> m.processed.forEach(r -> out.add(r.getInteger("value"))));
        return out;
    }

    private static int processed(List<GroupTestMember> members) {
        return members.stream().mapToInt(m -> m.processed.size()).sum();
    }

    private static Set<String> memberIds(JsonObject group) {
        Set<String> out = new TreeSet<>();
        group.getJsonArray("members").forEach(o -> out.add(((JsonObject) o).getString("member_id")));
        return out;
    }

    private static JsonArray numbered(int from, int count) {
        JsonArray records = new JsonArray();
        for (int i = from; i < from + count; i++) {
            records.add(new JsonObject().put("key", "k" + i).put("value", i));
        }
        return records;
    }

    @Test
    void membersOnEveryNodeShareATopicAndCarryOnWhenTheCoordinatorsNodeStops() {
        List<HttpTestClient> clients = new ArrayList<>();
        List<GroupTestMember> members = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                clients.add(new HttpTestClient(cluster.node(i).port()));
            }
            clients.get(0).post("/topics", new JsonObject().put("name", "spread").put("partitions", 6).put("replication_factor", 3));
            // (The creation is answered once node 0 has the metadata; node 1 gets it a moment later.)
            Await.until("node 1 knows the topic", Duration.ofSeconds(10), () -> clients.get(1).get("/topics/spread").status() == 200);
            clients.get(1).produce("spread", numbered(0, 60));
            for (int i = 0; i < 3; i++) {
                members.add(new GroupTestMember(clients.get(i), "member-on-n" + i, QUERY, true));
            }
            // Members join one by one, so the first ones read and then hand partitions over: records
            // may be read twice on the way (at least once, as the contract says), never skipped.
            until("three members on three nodes split the six partitions and read all 60 records", members,
                    () -> covers(members, 6) && distinct(members).size() == 60);
            for (GroupTestMember m : members) {
                assertEquals(2, m.owned.size(), m.name + " " + m.owned);
            }
            Set<String> nodes = new TreeSet<>();
            JsonObject described = clients.get(2).get("/groups/spread-group").json();
            described.getJsonArray("members").forEach(o -> nodes.add(((JsonObject) o).getString("node")));
            assertEquals(Set.of(cluster.node(0).nodeId(), cluster.node(1).nodeId(), cluster.node(2).nodeId()), nodes, "each member is reported on the node it is connected to");
            until("every partition committed to its end", members, () -> {
                JsonArray offsets = clients.get(0).get("/groups/spread-group/offsets").json().getJsonArray("offsets");
                return offsets.size() == 6 && offsets.stream().mapToLong(o -> ((JsonObject) o).getLong("offset")).sum() == 60;
            });

            // Stop the node that coordinates the group (its member goes with it).
            int offsetsPartition = OffsetsTopic.partitionFor("spread-group", 3);
            String coordinator = clients.get(0).get("/topics/" + OffsetsTopic.NAME).json().getJsonArray("partitions")
                    .getJsonObject(offsetsPartition).getString("leader");
            int stopped = cluster.indexOf(coordinator);
            members.get(stopped).close();
            clients.get(stopped).close();
            List<GroupTestMember> left = new ArrayList<>(members);
            left.remove(stopped);
            HttpTestClient survivor = clients.get((stopped + 1) % 3);
            // The closed member leaves: the two others split its partitions, 3 and 3.
            until("the two members left share the six partitions", left,
                    () -> covers(left, 6) && left.stream().allMatch(m -> m.owned.size() == 3)
                            && survivor.get("/groups/spread-group").json().getJsonArray("members").size() == 2);
            int generationBefore = left.stream().mapToInt(m -> m.generation).max().orElseThrow();
            Set<String> idsBefore = memberIds(survivor.get("/groups/spread-group").json());
            List<Set<String>> ownedBefore = left.stream().map(m -> (Set<String>) new TreeSet<>(m.owned)).toList();
            cluster.stop(stopped);
            // The next coordinator restores the members from the group record and tells them a new
            // generation, in which (sticky) nothing moves: wait for it, so that no partition moves
            // while the next records are read.
            until("both members hear a generation of the new coordinator", left,
                    () -> left.stream().allMatch(m -> m.generation > generationBefore)
                            && left.get(0).generation == left.get(1).generation);
            for (int i = 0; i < left.size(); i++) {
                assertEquals(ownedBefore.get(i), left.get(i).owned, left.get(i).name + " keeps its partitions across the failover");
            }
            assertEquals(idsBefore, memberIds(survivor.get("/groups/spread-group").json()),
                    "the new coordinator knows the members: none had to join again");
            int[] marks = left.stream().mapToInt(m -> m.processed.size()).toArray();
            int[] errorMarks = left.stream().mapToInt(m -> m.errors.size()).toArray();
            int before = processed(left);
            survivor.produce("spread", numbered(60, 30));
            until("the new records are read", left, () -> processed(left) >= before + 30);
            Set<Integer> after = new TreeSet<>();
            for (int i = 0; i < left.size(); i++) {
                GroupTestMember m = left.get(i);
                m.processed.subList(marks[i], m.processed.size()).forEach(r -> after.add(r.getInteger("value")));
            }
            Set<Integer> expected = new TreeSet<>();
            for (int i = 60; i < 90; i++) {
                expected.add(i);
            }
            assertEquals(expected, after, "members that took partitions over started at the committed offsets: nothing re-read, nothing skipped");
            assertEquals(before + 30, processed(left), "no record read twice");
            for (int i = 0; i < left.size(); i++) {
                GroupTestMember m = left.get(i);
                assertEquals(List.of(), m.errors.subList(errorMarks[i], m.errors.size()), m.name + ": no error once the group is stable");
            }
            String newCoordinator = survivor.get("/topics/" + OffsetsTopic.NAME).json().getJsonArray("partitions")
                    .getJsonObject(offsetsPartition).getString("leader");
            assertTrue(!coordinator.equals(newCoordinator), "the offsets partition has a new leader: " + newCoordinator);
            JsonObject afterFailover = survivor.get("/groups/spread-group").json();
            assertEquals(2, afterFailover.getJsonArray("members").size(), afterFailover.encode());
            cluster.start(stopped);
        } finally {
            members.forEach(m -> {
                try {
                    m.close();
                } catch (RuntimeException ignored) {
                    // The socket of the stopped node's member is already gone.
                }
            });
            clients.forEach(c -> {
                try {
                    c.close();
                } catch (RuntimeException ignored) {
                    // Closed already.
                }
            });
        }
    }
}

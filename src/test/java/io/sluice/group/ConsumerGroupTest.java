package io.sluice.group;

import io.sluice.testing.Await;
import io.sluice.testing.HttpTestClient;
import io.sluice.testing.HttpTestClient.Resp;
import io.sluice.testing.RawWebSocket;
import io.sluice.testing.TestNode;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import static io.sluice.testing.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Consumer groups over real sockets on a real node. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsumerGroupTest {
    static final String SESSION = "session_timeout_ms=1500";

    @TempDir
    static Path dir;

    TestNode node;
    HttpTestClient http;

    @BeforeAll
    void start() {
        node = TestNode.start(dir, "offsets.topic.num.partitions=3", "sluice.group.lag.refresh.ms=200");
        http = new HttpTestClient(node.port());
    }

    @AfterAll
    void stop() {
        http.close();
        node.close();
    }

    private void produce(String topic, int from, int count) {
        JsonArray records = new JsonArray();
        for (int i = from; i < from + count; i++) {
            records.add(new JsonObject().put("key", "k" + i).put("value", i));
        }
        http.produce(topic, records);
    }

    /** Polls every member until {@code condition} holds. */
    private static void until(String what, List<GroupTestMember> members, java.util.function.BooleanSupplier condition) {
        GroupTestMember.until(what, members, Duration.ofSeconds(20), condition);
    }

    private static boolean partitionsCovered(List<GroupTestMember> members, int partitions) {
        return GroupTestMember.partitionsCovered(members, partitions);
    }

    @Test
    void threeMembersShareSixPartitionsAndAFourthMovesOnlyOne() {
        http.createTopic("six", 6, new JsonObject());
        List<GroupTestMember> members = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            members.add(new GroupTestMember(http, "m" + i, "topics=six&group=g6&" + SESSION, false));
        }
        until("3 members cover 6 partitions, 2 each", members, () -> partitionsCovered(members, 6)
                && members.stream().allMatch(m -> m.owned.size() == 2));
        Map<String, Set<String>> before = new HashMap<>();
        members.forEach(m -> before.put(m.name, new TreeSet<>(m.owned)));
        int generationBefore = members.get(0).generation;

        GroupTestMember fourth = new GroupTestMember(http, "m3", "topics=six&group=g6&" + SESSION, false);
        members.add(fourth);
        until("4 members cover 6 partitions", members, () -> fourth.owned.size() == 1 && partitionsCovered(members, 6));
        int moved = 0;
        for (GroupTestMember m : members.subList(0, 3)) {
            assertTrue(before.get(m.name).containsAll(m.owned), m.name + " only kept partitions it had");
            moved += before.get(m.name).size() - m.owned.size();
        }
        assertEquals(1, moved, "sticky: exactly one partition moved, to the new member");
        assertTrue(fourth.generation > generationBefore);

        // Closing a member hands its partitions to the others at once.
        GroupTestMember leaving = members.remove(1);
        leaving.close();
        until("3 members cover 6 partitions again", members, () -> partitionsCovered(members, 6));
        members.forEach(GroupTestMember::close);
    }

    @Test
    void aFrozenMemberLosesItsPartitionsWithinTheSessionTimeout() throws Exception {
        http.createTopic("frozen", 4, new JsonObject());
        GroupTestMember a = new GroupTestMember(http, "a", "topics=frozen&group=gf&" + SESSION, false);
        until("a owns all 4", List.of(a), () -> a.owned.size() == 4);
        try (RawWebSocket b = new RawWebSocket(node.port(), "/ws/consume?topics=frozen&group=gf&" + SESSION)) {
            JsonObject assigned = b.next("assigned", 10_000);
            assertEquals(2, assigned.getJsonArray("partitions").size());
            until("a gave two up", List.of(a), () -> a.owned.size() == 2);
            long frozeAt = System.nanoTime();
            b.freeze(); // no reads, no pongs: a process stopped with SIGSTOP
            until("the live member owns all 4 again", List.of(a), () -> a.owned.size() == 4);
            long tookMs = (System.nanoTime() - frozeAt) / 1_000_000;
            assertTrue(tookMs >= 1000 && tookMs < 1500 + 2000, "moved after the 1.5 s session timeout (+ detection): " + tookMs + " ms");
            assertEquals(1, http.get("/groups/gf").json().getJsonArray("members").size());
        }
        a.close();
    }

    @Test
    void commitAfterProcessWhileMembersComeAndGoLosesNothing() throws Exception {
        http.createTopic("seq", 6, new JsonObject());
        int total = 3000;
        List<GroupTestMember> members = new ArrayList<>();
        List<GroupTestMember> all = new ArrayList<>();
        GroupTestMember first = new GroupTestMember(http, "c0", "topics=seq&group=gseq&from=earliest&" + SESSION, true);
        members.add(first);
        all.add(first);
        until("first member assigned", members, () -> first.owned.size() == 6);
        AtomicBoolean producing = new AtomicBoolean(true);
        CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < total; i += 50) {
                produce("seq", i, 50);
            }
            producing.set(false);
        });
        int step = 0;
        Set<Integer> processed = new HashSet<>();
        long deadline = System.currentTimeMillis() + 60_000;
        while (processed.size() < total) {
            assertTrue(System.currentTimeMillis() < deadline, "processed only " + processed.size() + " of " + total);
            for (GroupTestMember m : new ArrayList<>(members)) {
                m.poll(Duration.ofMillis(5));
            }
            processed.clear();
            for (GroupTestMember m : all) {
                m.processed.forEach(r -> processed.add(r.getInteger("value")));
            }
            // Churn at thresholds: two joins, a clean leave, a freeze.
            if (step == 0 && processed.size() > total / 6) {
                GroupTestMember m = new GroupTestMember(http, "c1", "topics=seq&group=gseq&from=earliest&" + SESSION, true);
                members.add(m);
                all.add(m);
                step++;
            } else if (step == 1 && processed.size() > total / 3) {
                GroupTestMember m = new GroupTestMember(http, "c2", "topics=seq&group=gseq&from=earliest&" + SESSION, true);
                members.add(m);
                all.add(m);
                step++;
            } else if (step == 2 && processed.size() > total / 2) {
                members.remove(first);
                first.close();
                step++;
            } else if (step == 3 && processed.size() > 2 * total / 3) {
                GroupTestMember frozen = members.remove(0);
                frozen.socket.raw().pause();
                step++;
            }
        }
        producer.get(30, TimeUnit.SECONDS);
        assertEquals(4, step, "every churn step ran");
        for (int i = 0; i < total; i++) {
            assertTrue(processed.contains(i), "record " + i + " processed at least once");
        }
        // Committed ranges skip nothing: every record below a partition's committed offset was processed.
        until("final commits landed", members, () -> {
            JsonArray offsets = http.get("/groups/gseq/offsets").json().getJsonArray("offsets");
            long sum = offsets.stream().mapToLong(o -> ((JsonObject) o).getLong("offset")).sum();
            return sum == total;
        });
        Map<String, Set<Long>> processedOffsets = new HashMap<>();
        for (GroupTestMember m : all) {
            for (JsonObject r : m.processed) {
                processedOffsets.computeIfAbsent(GroupTestMember.key(r.getString("topic"), r.getInteger("partition")),
                        k -> new HashSet<>()).add(r.getLong("offset"));
            }
        }
        for (Object o : http.get("/groups/gseq/offsets").json().getJsonArray("offsets")) {
            JsonObject c = (JsonObject) o;
            Set<Long> seen = processedOffsets.get(GroupTestMember.key(c.getString("topic"), c.getInteger("partition")));
            for (long off = 0; off < c.getLong("offset"); off++) {
                assertTrue(seen.contains(off), "offset " + off + " of " + c + " was committed but never processed");
            }
        }
        members.forEach(GroupTestMember::close);
        all.forEach(GroupTestMember::close);
    }

    @Test
    void twoGroupsOnOneTopicEachSeeEveryRecord() {
        http.createTopic("shared", 3, new JsonObject());
        produce("shared", 0, 300);
        GroupTestMember a = new GroupTestMember(http, "a", "topics=shared&group=ga&from=earliest", false);
        GroupTestMember b1 = new GroupTestMember(http, "b1", "topics=shared&group=gb&from=earliest", false);
        GroupTestMember b2 = new GroupTestMember(http, "b2", "topics=shared&group=gb&from=earliest", false);
        List<GroupTestMember> all = List.of(a, b1, b2);
        until("both groups read all 300", all, () -> values(List.of(a)).size() == 300 && values(List.of(b1, b2)).size() == 300);
        all.forEach(GroupTestMember::close);
    }

    private static Set<Integer> values(List<GroupTestMember> members) {
        return members.stream().flatMap(m -> m.processed.stream()).map(r -> r.getInteger("value")).collect(Collectors.toSet());
    }

    @Test
    void reconnectingResumesFromTheCommittedOffsetAndFromOnlyAppliesWithoutOne() {
        http.createTopic("resume", 1, new JsonObject());
        produce("resume", 0, 10);
        GroupTestMember m = new GroupTestMember(http, "m", "topics=resume&group=gr&from=earliest", false);
        until("assigned", List.of(m), () -> m.processed.size() == 10);
        m.socket.send(new JsonObject().put("type", "commit").put("offsets", new JsonArray().add(
                new JsonObject().put("topic", "resume").put("partition", 0).put("offset", 4))));
        until("committed", List.of(m), () -> Long.valueOf(4).equals(m.lastCommitted.get("resume-0")));
        m.close();
        Await.until("group empty", Duration.ofSeconds(10), () -> http.get("/groups/gr").json().getJsonArray("members").isEmpty());
        GroupTestMember again = new GroupTestMember(http, "again", "topics=resume&group=gr&from=latest", false);
        until("resumed at the committed offset", List.of(again), () -> again.processed.size() == 6);
        assertEquals(4L, again.processed.get(0).getLong("offset"), "from=latest is ignored where an offset is committed");
        again.close();
    }

    @Test
    void autoCommitCommitsWhatWasDelivered() {
        http.createTopic("auto", 2, new JsonObject());
        produce("auto", 0, 40);
        GroupTestMember m = new GroupTestMember(http, "m", "topics=auto&group=gauto&from=earliest&auto_commit=true", false);
        until("auto commit reached the end", List.of(m), () -> m.processed.size() == 40
                && m.lastCommitted.values().stream().mapToLong(Long::longValue).sum() == 40);
        m.close();
        JsonArray stored = http.get("/groups/gauto/offsets").json().getJsonArray("offsets");
        assertEquals(40, stored.stream().mapToLong(o -> ((JsonObject) o).getLong("offset")).sum());
    }

    @Test
    void patternSubscriptionsAndNewPartitionsTriggerRebalances() {
        http.createTopic("metrics.cpu", 1, new JsonObject());
        String pattern = java.net.URLEncoder.encode("metrics\\..*", java.nio.charset.StandardCharsets.UTF_8);
        GroupTestMember m = new GroupTestMember(http, "m", "topics=" + pattern + "&group=gpat", false);
        until("pattern matched the existing topic", List.of(m), () -> m.owned.equals(Set.of("metrics.cpu-0")));
        http.createTopic("metrics.mem", 2, new JsonObject());
        until("a new matching topic joins", List.of(m), () -> m.owned.size() == 3);
        assertEquals(200, http.post("/topics/metrics.cpu/partitions", new JsonObject().put("count", 2)).status());
        until("added partitions join", List.of(m), () -> m.owned.contains("metrics.cpu-1"));
        http.createTopic("other", 1, new JsonObject());
        m.poll(Duration.ofMillis(200));
        assertTrue(m.owned.stream().noneMatch(k -> k.startsWith("other")));
        m.close();
    }

    @Test
    void adminListDescribeResetDeleteAndLagMetrics() {
        http.createTopic("admin", 2, new JsonObject());
        produce("admin", 0, 20);
        GroupTestMember m = new GroupTestMember(http, "m", "topics=admin&group=gadm&from=earliest", true);
        until("processed", List.of(m), () -> m.processed.size() == 20 && m.lastCommitted.size() == 2
                && m.lastCommitted.values().stream().mapToLong(Long::longValue).sum() == 20);
        produce("admin", 20, 5);
        JsonObject d = http.get("/groups/gadm").json();
        assertEquals("Stable", d.getString("state"));
        assertTrue(d.getInteger("generation") >= 1);
        JsonObject member = d.getJsonArray("members").getJsonObject(0);
        assertEquals(node.node().nodeId(), member.getString("node"));
        assertTrue(member.getString("client").contains("127.0.0.1"), member.encode());
        assertEquals(2, member.getJsonArray("assignment").size());
        assertTrue(http.get("/groups").jsonArray().stream().anyMatch(g -> ((JsonObject) g).getString("group_id").equals("gadm")));

        assertError(http.post("/groups/gadm/offsets/reset", new JsonObject().put("to", "earliest")), 409, 40902);
        assertError(http.delete("/groups/gadm"), 409, 40902);
        m.close();
        Await.until("group empty", Duration.ofSeconds(10), () -> "Empty".equals(http.get("/groups/gadm").json().getString("state")));
        Await.until("lag in /metrics", Duration.ofSeconds(10), () -> http.get("/metrics").text()
                .matches("(?s).*sluice_consumer_group_lag\\{group=\"gadm\",partition=\"[01]\",topic=\"admin\"} [1-9].*"));
        JsonObject withLag = http.get("/groups/gadm").json();
        long lag = withLag.getJsonArray("offsets").stream().mapToLong(o -> ((JsonObject) o).getLong("lag")).sum();
        assertEquals(5, lag);

        JsonArray earliest = http.post("/groups/gadm/offsets/reset", new JsonObject().put("to", "earliest")).json().getJsonArray("offsets");
        assertEquals(0, earliest.stream().mapToLong(o -> ((JsonObject) o).getLong("offset")).sum());
        JsonArray latest = http.post("/groups/gadm/offsets/reset", new JsonObject().put("to", "latest")).json().getJsonArray("offsets");
        assertEquals(25, latest.stream().mapToLong(o -> ((JsonObject) o).getLong("offset")).sum());
        JsonArray exact = http.post("/groups/gadm/offsets/reset", new JsonObject().put("to", "exact").put("offsets", new JsonArray()
                .add(new JsonObject().put("topic", "admin").put("partition", 0).put("offset", 3)))).json().getJsonArray("offsets");
        assertEquals(3L, exact.getJsonObject(0).getLong("offset"));
        JsonArray byTime = http.post("/groups/gadm/offsets/reset", new JsonObject().put("to", 0)).json().getJsonArray("offsets");
        assertEquals(0, byTime.stream().mapToLong(o -> ((JsonObject) o).getLong("offset")).sum());
        Resp committed = http.post("/groups/gadm/offsets", new JsonObject().put("offsets", new JsonArray()
                .add(new JsonObject().put("topic", "admin").put("partition", 1).put("offset", 7))));
        assertEquals(200, committed.status(), committed.toString());
        assertEquals(7L, http.get("/groups/gadm/offsets").json().getJsonArray("offsets").stream()
                .map(o -> (JsonObject) o).filter(o -> o.getInteger("partition") == 1).findFirst().orElseThrow().getLong("offset"));

        assertError(http.post("/groups/gadm/offsets/reset", new JsonObject().put("to", "sometime")), 400, 40001);
        assertError(http.post("/groups/gadm/offsets", new JsonObject().put("offsets", new JsonArray()
                .add(new JsonObject().put("topic", "ghost").put("partition", 0).put("offset", 1)))), 404, 40401);
        assertEquals(204, http.delete("/groups/gadm").status());
        assertError(http.get("/groups/gadm"), 404, 40403);
        assertError(http.delete("/groups/gadm"), 404, 40403);
        assertError(http.get("/groups/never"), 404, 40403);
        assertError(http.post("/groups/never/offsets/reset", new JsonObject().put("to", "earliest")), 404, 40403);
        assertError(http.get("/groups/bad%20id"), 400, 40001);
    }

    @Test
    void commitsForPartitionsNotOwnedAreRefusedAndOverwriteNothing() {
        http.createTopic("owned", 2, new JsonObject());
        GroupTestMember a = new GroupTestMember(http, "a", "topics=owned&group=gown&" + SESSION, false);
        GroupTestMember b = new GroupTestMember(http, "b", "topics=owned&group=gown&" + SESSION, false);
        List<GroupTestMember> both = List.of(a, b);
        until("split", both, () -> a.owned.size() == 1 && b.owned.size() == 1);
        String mine = a.owned.iterator().next();
        String theirs = b.owned.iterator().next();
        b.socket.send(new JsonObject().put("type", "commit").put("offsets", new JsonArray().add(offset(theirs, 5))));
        until("b committed its own", both, () -> Long.valueOf(5).equals(b.lastCommitted.get(theirs)));
        a.socket.send(new JsonObject().put("type", "commit").put("offsets", new JsonArray().add(offset(theirs, 99)).add(offset(mine, 1))));
        until("a told off", both, () -> !a.errors.isEmpty());
        assertEquals(40903, a.errors.get(0).getInteger("error_code"));
        JsonArray stored = http.get("/groups/gown/offsets").json().getJsonArray("offsets");
        assertEquals(1, stored.size(), "nothing of the refused commit was stored: " + stored);
        assertEquals(5L, stored.getJsonObject(0).getLong("offset"));
        a.socket.send(new JsonObject().put("type", "commit").put("offsets", "nope"));
        until("malformed commit refused", both, () -> a.errors.size() == 2);
        assertEquals(40008, a.errors.get(1).getInteger("error_code"));
        a.socket.sendText("{{{");
        until("malformed frame refused", both, () -> a.errors.size() == 3);
        assertEquals(40008, a.errors.get(2).getInteger("error_code"));
        assertEquals(400, http.get("/ws/consume?topics=owned&group=gown&assignor=magic").status());
        assertEquals(400, http.get("/ws/consume?topics=owned&group=gown&session_timeout_ms=10").status());
        assertEquals(400, http.get("/ws/consume?topics=owned&group=gown&partitions=0").status());
        assertEquals(404, http.get("/ws/consume?topics=ghost&group=gown").status());
        a.close();
        b.close();
    }

    private static JsonObject offset(String key, long offset) {
        int dash = key.lastIndexOf('-');
        return new JsonObject().put("topic", key.substring(0, dash)).put("partition", Integer.parseInt(key.substring(dash + 1)))
                .put("offset", offset);
    }
}

package io.sluice.group;

import io.sluice.bus.Acks;
import io.sluice.bus.TopicPartition;
import io.sluice.config.BrokerSettings;
import io.sluice.partition.PartitionClient;
import io.sluice.produce.ProduceOutcome;
import io.sluice.produce.ProduceService;
import io.sluice.produce.ProducerRecord;
import io.sluice.testing.Await;
import io.sluice.testing.HttpTestClient;
import io.sluice.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Committed offsets live in __consumer_offsets: they survive restarts, and compaction keeps the latest. */
class GroupDurabilityTest {
    @TempDir
    Path dir;

    @Test
    void aGroupWhoseRecordIsTooLargeForTheOffsetsTopicStillRebalances() {
        // Each member takes a few hundred bytes of the group record: six are over this limit.
        TestNode node = TestNode.start(dir, "offsets.topic.num.partitions=1", "message.max.bytes=1200");
        List<GroupTestMember> members = new java.util.ArrayList<>();
        try (HttpTestClient http = new HttpTestClient(node.port())) {
            http.createTopic("wide", 6, new JsonObject());
            for (int i = 0; i < 6; i++) {
                members.add(new GroupTestMember(http, "m" + i, "topics=wide&group=crowd", false));
            }
            GroupTestMember.until("six members with one partition each", members, Duration.ofSeconds(20),
                    () -> GroupTestMember.partitionsCovered(members, 6) && members.stream().allMatch(m -> m.owned.size() == 1));
            JsonObject described = http.get("/groups/crowd").json();
            assertEquals(6, described.getJsonArray("members").size(), described.encode());
            assertEquals("Stable", described.getString("state"));
        } finally {
            members.forEach(GroupTestMember::close);
            node.close();
        }
    }

    @Test
    void aRestartedNodeKeepsCommittedOffsetsAndMembersResumeFromThem() {
        TestNode node = TestNode.start(dir, "offsets.topic.num.partitions=2");
        try {
            try (HttpTestClient http = new HttpTestClient(node.port())) {
                http.createTopic("orders", 2, new JsonObject());
                JsonArray records = new JsonArray();
                for (int i = 0; i < 20; i++) {
                    records.add(new JsonObject().put("value", i).put("partition", i % 2));
                }
                http.produce("orders", records);
                GroupTestMember m = new GroupTestMember(http, "m", "topics=orders&group=billing&from=earliest", true);
                Await.until("all processed and committed", Duration.ofSeconds(20), () -> {
                    m.poll(Duration.ofMillis(10));
                    return m.lastCommitted.values().stream().mapToLong(Long::longValue).sum() == 20;
                });
                m.close();
            }
            node = node.restart();
            try (HttpTestClient http = new HttpTestClient(node.port())) {
                JsonArray offsets = http.get("/groups/billing/offsets").json().getJsonArray("offsets");
                assertEquals(20, offsets.stream().mapToLong(o -> ((JsonObject) o).getLong("offset")).sum(), offsets.encode());
                http.produce("orders", new JsonArray().add(new JsonObject().put("value", "after").put("partition", 1)));
                GroupTestMember back = new GroupTestMember(http, "back", "topics=orders&group=billing&from=earliest", false);
                Await.until("resumed after the restart", Duration.ofSeconds(20), () -> {
                    back.poll(Duration.ofMillis(10));
                    return !back.processed.isEmpty();
                });
                assertEquals(1, back.processed.size(), "only the record produced after the commit: " + back.processed);
                assertEquals("after", back.processed.get(0).getString("value"));
                back.close();
            }
        } finally {
            node.close();
        }
    }

    @Test
    void compactionOfTheOffsetsTopicKeepsTheLatestCommitPerKey() {
        try (TestNode node = TestNode.start(dir, "offsets.topic.num.partitions=1", "offsets.topic.segment.bytes=1024",
                "log.cleaner.backoff.ms=100");
             HttpTestClient http = new HttpTestClient(node.port())) {
            http.createTopic("events", 2, new JsonObject());
            for (int round = 1; round <= 60; round++) {
                JsonArray offsets = new JsonArray();
                for (int p = 0; p < 2; p++) {
                    offsets.add(new JsonObject().put("topic", "events").put("partition", p).put("offset", round * 10 + p));
                }
                assertEquals(200, http.post("/groups/ledger/offsets", new JsonObject().put("offsets", offsets)).status());
            }
            Await.until("__consumer_offsets compacted", Duration.ofSeconds(20), () -> commitRecords(http).size() < 30);
            Map<OffsetsTopicCodec.Key, Long> latest = new HashMap<>();
            for (JsonObject r : commitRecords(http)) {
                latest.put(key(r), OffsetsTopicCodec.decodeOffsetValue(Base64.getDecoder().decode(r.getString("value"))).offset());
            }
            assertEquals(Map.of(
                    new OffsetsTopicCodec.OffsetKey("ledger", new TopicPartition("events", 0)), 600L,
                    new OffsetsTopicCodec.OffsetKey("ledger", new TopicPartition("events", 1)), 601L), latest,
                    "the newest commit of each key survives compaction");
            assertEquals(List.of(600L, 601L), http.get("/groups/ledger/offsets").json().getJsonArray("offsets").stream()
                    .map(o -> ((JsonObject) o).getLong("offset")).toList());
        }
    }

    /** Offset-commit records of __consumer_offsets partition 0, read through the public fetch API. */
    private static List<JsonObject> commitRecords(HttpTestClient http) {
        List<JsonObject> out = new java.util.ArrayList<>();
        JsonObject o = http.get("/topics/__consumer_offsets/partitions/0/offsets").json();
        long offset = o.getLong("log_start_offset");
        while (offset < o.getLong("high_watermark")) {
            JsonObject page = http.get("/topics/__consumer_offsets/partitions/0/records?format=binary&max_records=1000&offset="
                    + offset).json();
            for (Object r : page.getJsonArray("records")) {
                JsonObject rec = (JsonObject) r;
                if (key(rec) instanceof OffsetsTopicCodec.OffsetKey && rec.getValue("value") != null) {
                    out.add(rec);
                }
            }
            offset = page.getLong("next_offset");
        }
        assertTrue(out.size() >= 2);
        return out;
    }

    private static OffsetsTopicCodec.Key key(JsonObject record) {
        return OffsetsTopicCodec.decodeKey(Base64.getDecoder().decode(record.getString("key")));
    }

    /**
     * A node upgraded over a data directory whose offsets topic holds the JSON records of earlier
     * versions keeps those commits; a newer (binary) commit supersedes one, and a deletion removes
     * both.
     */
    @Test
    void commitsWrittenAsJsonByEarlierVersionsSurviveTheUpgrade() {
        TestNode node = TestNode.start(dir, "offsets.topic.num.partitions=1");
        try {
            try (HttpTestClient http = new HttpTestClient(node.port())) {
                http.createTopic("orders", 2, new JsonObject());
                // Creates the offsets topic (as any first commit would have).
                commit(http, "warmup", 0, 1);
            }
            writeAsEarlierVersions(node, List.of(
                    legacy("{\"type\":\"offset\",\"group\":\"old\",\"topic\":\"orders\",\"partition\":0}",
                            "{\"offset\":42,\"committed_at\":1700000000000}"),
                    legacy("{\"type\":\"offset\",\"group\":\"old\",\"topic\":\"orders\",\"partition\":1}",
                            "{\"offset\":7,\"committed_at\":1700000000000}"),
                    legacy("{\"type\":\"group\",\"group\":\"old\"}",
                            "{\"assignor\":\"range\",\"generation\":4,\"updated_at\":1700000000000}")));
            node = node.restart();
            try (HttpTestClient http = new HttpTestClient(node.port())) {
                assertEquals(Map.of(0, 42L, 1, 7L), committed(http, "old"), "commits of the JSON records");
                commit(http, "old", 1, 9);
            }
            node = node.restart();
            try (HttpTestClient http = new HttpTestClient(node.port())) {
                assertEquals(Map.of(0, 42L, 1, 9L), committed(http, "old"), "the binary commit supersedes the JSON one");
                assertEquals(204, http.delete("/groups/old").status());
            }
            node = node.restart();
            try (HttpTestClient http = new HttpTestClient(node.port())) {
                assertEquals(404, http.get("/groups/old/offsets").status(), "deleted under both keys");
            }
        } finally {
            node.close();
        }
    }

    private static void commit(HttpTestClient http, String group, int partition, long offset) {
        JsonArray offsets = new JsonArray().add(new JsonObject().put("topic", "orders").put("partition", partition).put("offset", offset));
        assertEquals(200, http.post("/groups/" + group + "/offsets", new JsonObject().put("offsets", offsets)).status());
    }

    private static Map<Integer, Long> committed(HttpTestClient http, String group) {
        Map<Integer, Long> out = new HashMap<>();
        for (Object o : http.get("/groups/" + group + "/offsets").json().getJsonArray("offsets")) {
            out.put(((JsonObject) o).getInteger("partition"), ((JsonObject) o).getLong("offset"));
        }
        return out;
    }

    private static ProducerRecord legacy(String key, String value) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        return new ProducerRecord(k, 0, k.length, v, 0, v.length, List.of(), ProducerRecord.ABSENT, 0,
                ProducerRecord.ABSENT, (short) 0, ProducerRecord.ABSENT, 0);
    }

    /** Appends {@code records} to offsets partition 0 as earlier versions did (clients cannot: it is internal). */
    private static void writeAsEarlierVersions(TestNode node, List<ProducerRecord> records) {
        ProduceService produce = new ProduceService(new PartitionClient(node.node().vertx(), node.node().metadata()),
                BrokerSettings.defaults(), node.node().metrics());
        ProduceOutcome outcome = Await.result(produce.produce(node.node().metadata().topic(OffsetsTopic.NAME), records,
                Acks.ALL, 10_000, null), Duration.ofSeconds(20));
        assertEquals(records.size(), outcome.succeeded(), outcome.firstMessage());
    }
}

package io.sluice.group;

import io.sluice.testing.Await;
import io.sluice.testing.HttpTestClient;
import io.sluice.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
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
            Map<String, Long> latest = new HashMap<>();
            for (JsonObject r : commitRecords(http)) {
                latest.put(r.getJsonObject("key").encode(), r.getJsonObject("value").getLong("offset"));
            }
            assertEquals(Map.of(
                    OffsetsTopic.offsetKey("ledger", new io.sluice.bus.TopicPartition("events", 0)).encode(), 600L,
                    OffsetsTopic.offsetKey("ledger", new io.sluice.bus.TopicPartition("events", 1)).encode(), 601L), latest,
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
            JsonObject page = http.get("/topics/__consumer_offsets/partitions/0/records?max_records=1000&offset=" + offset).json();
            for (Object r : page.getJsonArray("records")) {
                JsonObject rec = (JsonObject) r;
                if ("offset".equals(rec.getJsonObject("key").getString("type"))) {
                    out.add(rec);
                }
            }
            offset = page.getLong("next_offset");
        }
        assertTrue(out.size() >= 2);
        return out;
    }
}

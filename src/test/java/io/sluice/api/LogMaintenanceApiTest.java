package io.sluice.api;

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
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Retention and compaction running on their own schedules inside a node, while it serves traffic. */
class LogMaintenanceApiTest {
    @TempDir
    Path dir;

    /** Every record of partition 0, following next_offset (a fetch returns one segment at most). */
    static JsonArray readAll(HttpTestClient http, String topic) {
        JsonArray all = new JsonArray();
        long hw = http.get("/topics/" + topic + "/partitions/0/offsets").json().getLong("high_watermark");
        long offset = 0;
        while (offset < hw) {
            JsonObject page = http.get("/topics/" + topic + "/partitions/0/records?offset=" + offset + "&max_records=1000").json();
            page.getJsonArray("records").forEach(all::add);
            offset = page.getLong("next_offset");
        }
        return all;
    }

    @Test
    void retentionAndCompactionRunOnTheirOwnSchedule() {
        try (TestNode node = TestNode.start(dir, "log.retention.check.interval.ms=200", "log.cleaner.backoff.ms=200");
             HttpTestClient http = new HttpTestClient(node.port())) {
            http.createTopic("expiring", 1, new JsonObject().put("segment.bytes", 1024).put("retention.ms", 60_000));
            for (int i = 0; i < 30; i++) {
                http.produce("expiring", new JsonArray().add(new JsonObject().put("value", "x".repeat(100)).put("timestamp", 1000 + i)));
            }
            http.produce("expiring", new JsonArray().add(new JsonObject().put("value", "fresh")));
            Await.until("old segments deleted by retention", Duration.ofSeconds(20),
                    () -> http.get("/topics/expiring/partitions/0/offsets").json().getLong("log_start_offset") > 0);
            long start = http.get("/topics/expiring/partitions/0/offsets").json().getLong("log_start_offset");
            assertEquals(416, http.get("/topics/expiring/partitions/0/records?offset=0").status());
            assertEquals(200, http.get("/topics/expiring/partitions/0/records?offset=" + start).status());

            http.createTopic("latest", 1, new JsonObject().put("cleanup.policy", "compact").put("segment.bytes", 1024)
                    .put("min.cleanable.dirty.ratio", 0.01));
            Map<String, Integer> newest = new HashMap<>();
            for (int round = 0; round < 20; round++) {
                JsonArray batch = new JsonArray();
                for (int k = 0; k < 5; k++) {
                    batch.add(new JsonObject().put("key", "k" + k).put("value", round).put("headers", new JsonObject().put("pad", "p".repeat(40))));
                    newest.put("\"k" + k + "\"", round);
                }
                http.produce("latest", batch);
            }
            Await.until("older values compacted away", Duration.ofSeconds(20), () -> readAll(http, "latest").size() < 50);
            JsonArray left = readAll(http, "latest");
            Map<String, Integer> seen = new HashMap<>();
            long last = -1;
            for (Object o : left) {
                JsonObject r = (JsonObject) o;
                assertTrue(r.getLong("offset") > last, "offsets keep increasing over compacted gaps");
                last = r.getLong("offset");
                seen.put("\"" + r.getString("key") + "\"", r.getInteger("value"));
            }
            assertEquals(newest, seen, "the latest value of every key survives");
            assertEquals(99L, last);
            String metrics = http.get("/metrics").text();
            assertTrue(metrics.contains("sluice_partition_log_rolls_total{partition=\"0\",topic=\"latest\"}"), metrics);
            assertTrue(metrics.contains("sluice_partition_high_watermark{partition=\"0\",topic=\"latest\"} 100.0"));
        }
    }
}

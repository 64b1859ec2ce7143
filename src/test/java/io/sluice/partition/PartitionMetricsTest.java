package io.sluice.partition;

import io.sluice.testing.Await;
import io.sluice.testing.HttpTestClient;
import io.sluice.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every local replica's series in {@code /metrics}, read at scrape time by one collector: present
 * with their values once the replica runs, with Prometheus types, and gone when it stops.
 */
class PartitionMetricsTest {
    @TempDir
    Path dir;

    @Test
    void eachLocalReplicaHasItsSeriesWhileItRuns() {
        try (TestNode node = TestNode.start(dir); HttpTestClient http = new HttpTestClient(node.port())) {
            http.createTopic("metered", 2, new JsonObject());
            http.produce("metered", new JsonArray().add(new JsonObject().put("value", "a").put("partition", 1))
                    .add(new JsonObject().put("value", "b").put("partition", 1)));
            String scrape = http.get("/metrics").text();
            String p1 = "{partition=\"1\",topic=\"metered\"}";
            for (String series : List.of("sluice_partition_log_start_offset" + p1 + " 0.0",
                    "sluice_partition_log_end_offset" + p1 + " 2.0", "sluice_partition_high_watermark" + p1 + " 2.0",
                    "sluice_partition_log_batches_total" + p1 + " 1.0", "sluice_partition_log_writes_total" + p1,
                    "sluice_partition_log_fsyncs_total" + p1, "sluice_partition_log_rolls_total" + p1 + " 0.0",
                    "sluice_partition_consumer_fetches_total" + p1 + " 0.0", "sluice_partition_log_size_bytes" + p1,
                    "sluice_partition_log_end_offset{partition=\"0\",topic=\"metered\"} 0.0")) {
                assertTrue(scrape.contains(series), series + " in\n" + scrape);
            }
            assertTrue(scrape.contains("# TYPE sluice_partition_log_rolls_total counter"), scrape);
            assertTrue(scrape.contains("# TYPE sluice_partition_log_size_bytes gauge"), scrape);

            assertEquals(204, http.delete("/topics/metered").status());
            Await.until("the deleted topic's replicas stopped", Duration.ofSeconds(10),
                    () -> node.node().replicas().locals().isEmpty());
            assertFalse(http.get("/metrics").text().lines().anyMatch(l -> l.startsWith("sluice_partition_") && l.contains("topic=\"metered\"")),
                    "no series left for a stopped replica");
        }
    }
}

package io.sluice.api;

import io.sluice.testing.HttpTestClient;
import io.sluice.testing.HttpTestClient.Resp;
import io.sluice.testing.HttpTestClient.Socket;
import io.sluice.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /health}, {@code /ready}, {@code /cluster} and {@code /metrics}. */
class ObservabilityApiTest {
    @TempDir
    Path dir;

    @Test
    void healthReadinessClusterAndPrometheusMetrics() {
        try (TestNode node = TestNode.start(dir); HttpTestClient http = new HttpTestClient(node.port())) {
            assertEquals("UP", http.get("/health").json().getString("status"));
            Resp ready = http.get("/ready");
            assertEquals(200, ready.status());
            JsonObject cluster = http.get("/cluster").json();
            assertEquals(node.node().nodeId(), cluster.getString("controller"));
            assertEquals(1, cluster.getJsonArray("nodes").size());

            http.createTopic("observed", 2, new JsonObject());
            http.produce("observed", new JsonArray().add(new JsonObject().put("value", "a").put("partition", 0))
                    .add(new JsonObject().put("value", "b").put("partition", 1)));
            http.get("/topics/observed/partitions/0/records?offset=0");
            try (Socket s = http.connect("/ws/consume?topics=observed&from=earliest")) {
                s.next("assigned");
                s.next("records");
                JsonObject leaders = http.get("/cluster").json().getJsonArray("nodes").getJsonObject(0);
                assertEquals(2, leaders.getInteger("leaders"));
                String metrics = http.get("/metrics").text();
                assertTrue(metrics.contains("sluice_produce_records_total{topic=\"observed\"} 2.0"), metrics);
                assertTrue(metrics.contains("sluice_produce_bytes_total{topic=\"observed\"}"));
                assertTrue(metrics.matches("(?s).*sluice_fetch_records_total\\{topic=\"observed\"} [1-9].*"));
                assertTrue(metrics.contains("vertx_http_server_response_time_seconds"), "request latencies");
                assertTrue(metrics.contains("route=\"/topics/:topic/records\""), "latency per route");
                assertTrue(metrics.matches("(?s).*vertx_http_server_active_ws_connections\\{[^}]*} [1-9].*"), "open sockets");
            }
        }
    }
}

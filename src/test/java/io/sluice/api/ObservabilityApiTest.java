package io.sluice.api;

import io.sluice.testing.Await;
import io.sluice.testing.HttpTestClient;
import io.sluice.testing.HttpTestClient.Resp;
import io.sluice.testing.HttpTestClient.Socket;
import io.sluice.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
                assertTrue(metrics.matches("(?s).*sluice_http_server_response_time_seconds_count\\{code=\"200\",method=\"POST\","
                        + "route=\"/topics/:topic/records\"} 1\n.*"), metrics);
                assertTrue(metrics.matches("(?s).*sluice_http_server_response_time_seconds_count\\{code=\"200\",method=\"GET\","
                        + "route=\"/topics/:topic/partitions/:partition/records\"} 1\n.*"), "one fetch");
                assertEquals(1.0, gauge(http, "sluice_http_server_active_websockets"), "the open socket");
                try (Socket producer = http.connect("/ws/produce?topic=observed")) {
                    // Its session starts right after the handshake is written, so poll for it.
                    Await.until("a produce socket counted too", Duration.ofSeconds(10),
                            () -> gauge(http, "sluice_http_server_active_websockets") == 2.0);
                }
                assertFalse(metrics.contains("vertx_http_server_requests"), "Vert.x's per-request meters are off");
            }
            Await.until("the closed socket leaves the gauge", Duration.ofSeconds(10),
                    () -> gauge(http, "sluice_http_server_active_websockets") == 0.0);
            assertEquals(400, http.post("/topics/observed/records", new JsonObject().put("records", "not a list")).status());
            assertTrue(http.get("/metrics").text().matches("(?s).*sluice_http_server_response_time_seconds_count\\{code=\"400\","
                    + "method=\"POST\",route=\"/topics/:topic/records\"} 1\n.*"), "a refused produce, under its route");
        }
    }

    private static double gauge(HttpTestClient http, String name) {
        return http.get("/metrics").text().lines().filter(l -> l.startsWith(name + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(name.length() + 1))).findFirst().orElseThrow();
    }
}

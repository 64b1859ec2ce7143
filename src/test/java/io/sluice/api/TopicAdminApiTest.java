package io.sluice.api;

import io.sluice.testing.HttpTestClient;
import io.sluice.testing.HttpTestClient.Resp;
import io.sluice.testing.TestNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static io.sluice.testing.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Topic administration, durable across restarts, with every error a user can cause. */
class TopicAdminApiTest {
    @TempDir
    Path dir;

    @Test
    void createDescribeChangeGrowDeleteAndSurviveARestart() {
        TestNode node = TestNode.start(dir);
        try {
            HttpTestClient http = new HttpTestClient(node.port());
            try {
                Resp created = http.post("/topics", new JsonObject().put("name", "orders").put("partitions", 3)
                        .put("replication_factor", 1).put("configs", new JsonObject().put("retention.ms", 3_600_000)
                                .put("cleanup.policy", "compact").put("segment.bytes", 1 << 20)));
                assertEquals(201, created.status(), created.toString());
                JsonObject t = created.json();
                assertEquals("orders", t.getString("name"));
                assertEquals(3, t.getJsonArray("partitions").size());
                JsonObject p0 = t.getJsonArray("partitions").getJsonObject(0);
                assertEquals(node.node().nodeId(), p0.getString("leader"));
                assertEquals(new JsonArray().add(node.node().nodeId()), p0.getJsonArray("isr"));
                assertEquals(0, p0.getLong("high_watermark"));
                assertEquals(3_600_000L, t.getJsonObject("configs").getLong("retention.ms"));
                assertEquals("compact", t.getJsonObject("configs").getString("cleanup.policy"));
                assertEquals(86_400_000L, t.getJsonObject("configs").getLong("delete.retention.ms"));

                assertError(http.post("/topics", new JsonObject().put("name", "orders")), 409, 40901);
                assertError(http.post("/topics", new JsonObject().put("name", "bad name!")), 400, 40003);
                assertError(http.post("/topics", new JsonObject().put("name", "__private")), 400, 40003);
                assertError(http.post("/topics", new JsonObject().put("name", "x".repeat(250))), 400, 40003);
                assertError(http.post("/topics", new JsonObject().put("name", "z").put("partitions", 0)), 400, 40005);
                assertError(http.post("/topics", new JsonObject().put("name", "z").put("partitions", "many")), 400, 40005);
                assertError(http.post("/topics", new JsonObject().put("name", "z").put("replication_factor", 3)), 400, 40006);
                assertError(http.post("/topics", new JsonObject().put("name", "z")
                        .put("configs", new JsonObject().put("retention.ms", "soon"))), 400, 40004);
                assertError(http.post("/topics", new JsonObject().put("name", "z")
                        .put("configs", new JsonObject().put("no.such.config", 1))), 400, 40004);
                assertError(http.post("/topics", new JsonObject().put("name", "z").put("colour", "red")), 400, 40001);
                assertError(http.send(HttpMethod.POST, "/topics", "application/json", Buffer.buffer("{nope")), 400, 40001);
                assertError(http.send(HttpMethod.POST, "/topics", "application/json", Buffer.buffer("[]")), 400, 40001);
                assertEquals(404, http.get("/topics/z").status(), "no half-created topic after refusals");

                JsonArray names = http.get("/topics").jsonArray();
                assertEquals(new JsonArray().add("orders"), names);

                Resp changed = http.patch("/topics/orders/configs", new JsonObject().put("retention.ms", 60_000)
                        .putNull("cleanup.policy"));
                assertEquals(200, changed.status(), changed.toString());
                assertEquals(60_000L, changed.json().getJsonObject("configs").getLong("retention.ms"));
                assertEquals("delete", changed.json().getJsonObject("configs").getString("cleanup.policy"));
                assertError(http.patch("/topics/orders/configs", new JsonObject().put("min.cleanable.dirty.ratio", 7)), 400, 40004);
                assertError(http.patch("/topics/ghost/configs", new JsonObject().put("retention.ms", 1)), 404, 40401);

                Resp grown = http.post("/topics/orders/partitions", new JsonObject().put("count", 5));
                assertEquals(200, grown.status(), grown.toString());
                assertEquals(5, grown.json().getJsonArray("partitions").size());
                assertError(http.post("/topics/orders/partitions", new JsonObject().put("count", 2)), 400, 40005);
                assertError(http.post("/topics/orders/partitions", new JsonObject()), 400, 40005);

                http.produce("orders", new JsonArray().add(new JsonObject().put("value", "o1").put("partition", 4))
                        .add(new JsonObject().put("value", "o2").put("partition", 0)));
                http.createTopic("doomed", 1, new JsonObject());
                http.produce("doomed", new JsonArray().add(new JsonObject().put("value", 1)));
                assertTrue(Files.isDirectory(dir.resolve("logs/doomed-0")));
                assertEquals(204, http.delete("/topics/doomed").status());
                assertEquals(404, http.get("/topics/doomed").status());
                assertError(http.delete("/topics/doomed"), 404, 40401);
                io.sluice.testing.Await.until("log directory of a deleted topic removed", java.time.Duration.ofSeconds(10),
                        () -> !Files.exists(dir.resolve("logs/doomed-0")));
            } finally {
                http.close();
            }
            node = node.restart();
            http = new HttpTestClient(node.port());
            try {
                JsonObject t = http.get("/topics/orders").json();
                assertEquals(5, t.getJsonArray("partitions").size(), "topics survive a restart");
                assertEquals(60_000L, t.getJsonObject("configs").getLong("retention.ms"), "configs survive a restart");
                assertEquals("o1", http.get("/topics/orders/partitions/4/records?offset=0").json().getJsonArray("records")
                        .getJsonObject(0).getString("value"), "data survives a restart");
                assertEquals(404, http.get("/topics/doomed").status());
                assertFalse(Files.exists(dir.resolve("logs/doomed-0")));
                // A re-created topic of the same name starts empty.
                http.createTopic("doomed", 1, new JsonObject());
                assertEquals(0, http.get("/topics/doomed/partitions/0/offsets").json().getLong("log_end_offset"));
            } finally {
                http.close();
            }
        } finally {
            node.close();
        }
    }
    /**
     * Creations sent at once are decided together by the controller (one metadata version for those
     * that wait while it commits): each name is created exactly once, every other request for it is
     * a 409, and each topic answered 201 is served with its leaders at once.
     */
    @Test
    void topicsCreatedConcurrentlyAreEachCreatedOnceAndLedAtOnce() throws Exception {
        TestNode node = TestNode.start(dir);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            java.util.List<java.util.concurrent.Future<int[]>> sent = new java.util.ArrayList<>();
            for (int i = 0; i < 60; i++) {
                int topic = i % 30;
                sent.add(pool.submit(() -> {
                    try (HttpTestClient http = new HttpTestClient(node.port())) {
                        Resp r = http.post("/topics", new JsonObject().put("name", "c" + topic).put("partitions", 2)
                                .put("replication_factor", 1));
                        if (r.status() == 201) {
                            assertEquals(node.node().nodeId(), r.json().getJsonArray("partitions").getJsonObject(1).getString("leader"),
                                    r.toString());
                        }
                        return new int[] {topic, r.status()};
                    }
                }));
            }
            int[] created = new int[30];
            int conflicts = 0;
            for (java.util.concurrent.Future<int[]> f : sent) {
                int[] r = f.get(60, java.util.concurrent.TimeUnit.SECONDS);
                if (r[1] == 201) {
                    created[r[0]]++;
                } else {
                    assertEquals(409, r[1], "topic c" + r[0]);
                    conflicts++;
                }
            }
            for (int t = 0; t < 30; t++) {
                assertEquals(1, created[t], "topic c" + t + " created exactly once");
            }
            assertEquals(30, conflicts);
            try (HttpTestClient http = new HttpTestClient(node.port())) {
                assertEquals(30, http.get("/topics").jsonArray().size());
            }
        } finally {
            pool.shutdownNow();
            node.close();
        }
    }
}

package io.sluice.api;

import io.sluice.testing.Await;
import io.sluice.testing.HttpTestClient;
import io.sluice.testing.HttpTestClient.Socket;
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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Consuming and producing over WebSockets against a real node. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebSocketApiTest {
    @TempDir
    static Path dir;

    TestNode node;
    HttpTestClient http;

    @BeforeAll
    void start() {
        node = TestNode.start(dir, "sluice.ws.max.frame.bytes=16384");
        http = new HttpTestClient(node.port());
    }

    @AfterAll
    void stop() {
        http.close();
        node.close();
    }

    private void produceValues(String topic, int partition, int from, int count) {
        JsonArray records = new JsonArray();
        for (int i = from; i < from + count; i++) {
            records.add(new JsonObject().put("value", i).put("partition", partition));
        }
        http.produce(topic, records);
    }

    /** Reads records frames until {@code count} records arrived; returns their values. */
    private static List<JsonObject> records(Socket s, int count) {
        List<JsonObject> out = new ArrayList<>();
        while (out.size() < count) {
            JsonObject f = s.next("records");
            f.getJsonArray("records").forEach(r -> out.add((JsonObject) r));
        }
        return out;
    }

    @Test
    void consumesFromEarliestThenReceivesRecordsAsTheyAreAppended() {
        http.createTopic("live", 2, new JsonObject());
        produceValues("live", 0, 0, 5);
        produceValues("live", 1, 100, 5);
        try (Socket s = http.connect("/ws/consume?topics=live&from=earliest")) {
            JsonObject assigned = s.next("assigned");
            assertEquals(2, assigned.getJsonArray("partitions").size());
            assertEquals(0L, assigned.getJsonArray("partitions").getJsonObject(0).getLong("offset"));
            List<JsonObject> first = records(s, 10);
            assertEquals(10, first.size());
            long p0 = first.stream().filter(r -> r.getInteger("partition") == 0).count();
            assertEquals(5, p0);
            List<Integer> inOrder = first.stream().filter(r -> r.getInteger("partition") == 0).map(r -> r.getInteger("value")).toList();
            assertEquals(List.of(0, 1, 2, 3, 4), inOrder);
            // Pushed, not polled: produce after subscribing and the record arrives.
            produceValues("live", 0, 5, 1);
            JsonObject pushed = records(s, 1).get(0);
            assertEquals(5, pushed.getInteger("value"));
            assertEquals(5L, pushed.getLong("offset"));
        }
    }

    @Test
    void startsFromLatestAnOffsetOrATimestampAndOnChosenPartitions() {
        http.createTopic("starts", 3, new JsonObject());
        JsonArray recs = new JsonArray();
        for (int i = 0; i < 10; i++) {
            recs.add(new JsonObject().put("value", i).put("partition", 1).put("timestamp", 1000 + i * 100));
        }
        http.produce("starts", recs);
        try (Socket latest = http.connect("/ws/consume?topics=starts&partitions=1")) {
            assertEquals(10L, latest.next("assigned").getJsonArray("partitions").getJsonObject(0).getLong("offset"));
            produceValues("starts", 1, 10, 1);
            assertEquals(10, records(latest, 1).get(0).getInteger("value"));
        }
        try (Socket at = http.connect("/ws/consume?topics=starts&partitions=1,2&offsets=7,0")) {
            JsonArray parts = at.next("assigned").getJsonArray("partitions");
            assertEquals(2, parts.size());
            assertEquals(7, records(at, 1).get(0).getInteger("value"));
        }
        try (Socket ts = http.connect("/ws/consume?topics=starts&partitions=1&from=1450")) {
            assertEquals(5L, ts.next("assigned").getJsonArray("partitions").getJsonObject(0).getLong("offset"));
            assertEquals(5, records(ts, 1).get(0).getInteger("value"));
        }
    }

    @Test
    void creditBoundsWhatTheServerSendsAndSeekRepositions() {
        http.createTopic("credit", 1, new JsonObject());
        produceValues("credit", 0, 0, 100);
        try (Socket s = http.connect("/ws/consume?topics=credit&from=earliest&credit=10")) {
            s.next("assigned");
            List<JsonObject> first = records(s, 10);
            assertEquals(10, first.size());
            // A frame the server answers in order acts as a barrier: had it ignored the credit,
            // more records would already be queued before the answer.
            s.send(new JsonObject().put("type", "ping?"));
            JsonObject barrier = s.next();
            assertEquals("error", barrier.getString("type"), "no records beyond the credit: " + barrier);
            s.send(new JsonObject().put("type", "credit").put("records", 5));
            List<JsonObject> more = records(s, 5);
            assertEquals(5, more.size());
            assertEquals(10L, more.get(0).getLong("offset"));
            s.send(new JsonObject().put("type", "ping?"));
            assertEquals("error", s.next().getString("type"));

            s.send(new JsonObject().put("type", "seek").put("topic", "credit").put("partition", 0).put("offset", 50));
            s.send(new JsonObject().put("type", "credit").put("records", 3));
            List<JsonObject> afterSeek = records(s, 3);
            assertEquals(List.of(50L, 51L, 52L), afterSeek.stream().map(r -> r.getLong("offset")).toList());
        }
    }

    @Test
    void producerAndConsumerRunningTogetherSeeEveryRecordInOrder() throws Exception {
        http.createTopic("together", 1, new JsonObject());
        int total = 3000;
        try (Socket consumer = http.connect("/ws/consume?topics=together&from=earliest&credit=100000")) {
            consumer.next("assigned");
            CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < total; i += 100) {
                    produceValues("together", 0, i, 100);
                }
            });
            List<JsonObject> got = records(consumer, total);
            producer.get(60, TimeUnit.SECONDS);
            for (int i = 0; i < total; i++) {
                assertEquals(i, got.get(i).getInteger("value"));
                assertEquals(i, got.get(i).getLong("offset"));
            }
        }
    }

    @Test
    void produceSocketAnswersInOrderWithContexts() {
        http.createTopic("wsprod", 2, new JsonObject());
        try (Socket p = http.connect("/ws/produce?topic=wsprod")) {
            for (int i = 0; i < 50; i++) {
                p.send(new JsonObject().put("key", "k" + (i % 3)).put("value", i).put("context", new JsonObject().put("n", i)));
            }
            p.send(new JsonObject().put("records", new JsonArray().add(new JsonObject().put("value", "a"))
                    .add(new JsonObject().put("value", "b"))).put("context", "batch"));
            p.sendText("{broken");
            p.send(new JsonObject().put("value", "after").put("context", 99));
            for (int i = 0; i < 50; i++) {
                JsonObject ack = p.next();
                assertEquals(i, ack.getJsonObject("context").getInteger("n"), "answers keep frame order");
                assertEquals(1, ack.getJsonArray("offsets").size());
            }
            JsonObject batch = p.next();
            assertEquals("batch", batch.getString("context"));
            assertEquals(2, batch.getJsonArray("offsets").size());
            JsonObject error = p.next();
            assertEquals(40002, error.getInteger("error_code"), error.encode());
            JsonObject after = p.next();
            assertEquals(99, after.getInteger("context"), "the socket carries on after a bad frame");
        }
        long total = 0;
        for (int part = 0; part < 2; part++) {
            total += http.get("/topics/wsprod/partitions/" + part + "/offsets").json().getLong("high_watermark");
        }
        assertEquals(53, total);
    }

    @Test
    void badSocketRequestsAndFrames() {
        http.createTopic("wsbad", 1, new JsonObject());
        assertEquals(404, http.get("/ws/consume?topics=ghost").status());
        assertEquals(400, http.get("/ws/consume").status());
        assertEquals(400, http.get("/ws/consume?topics=wsbad&from=yesterday").status());
        assertEquals(404, http.get("/ws/consume?topics=wsbad&partitions=4").status());
        assertEquals(400, http.get("/ws/consume?topics=wsbad&partitions=0&offsets=1,2").status());
        assertEquals(400, http.get("/ws/produce").status());
        assertEquals(404, http.get("/ws/produce?topic=ghost").status());
        assertNotNull(http.connectFailure("/ws/consume?topics=ghost"));

        try (Socket s = http.connect("/ws/consume?topics=wsbad")) {
            s.next("assigned");
            s.sendText("not json");
            assertEquals(40008, s.next("error").getInteger("error_code"));
            s.send(new JsonObject().put("type", "dance"));
            assertEquals(40008, s.next("error").getInteger("error_code"));
            s.send(new JsonObject().put("type", "credit").put("records", -5));
            assertEquals(40008, s.next("error").getInteger("error_code"));
            s.send(new JsonObject().put("type", "seek").put("topic", "wsbad").put("partition", 3).put("offset", 0));
            assertEquals(40903, s.next("error").getInteger("error_code"));
            s.send(new JsonObject().put("type", "commit").put("offsets", new JsonArray()));
            assertEquals(40008, s.next("error").getInteger("error_code"));
            // Still usable after all that.
            produceValues("wsbad", 0, 0, 1);
            assertEquals(0, records(s, 1).get(0).getInteger("value"));
            // A frame over sluice.ws.max.frame.bytes closes the socket with "message too big".
            s.sendText("{\"type\":\"credit\",\"pad\":\"" + "x".repeat(20_000) + "\"}");
            // (The close handler, which records the status, runs after the socket reports closed.)
            Await.until("socket closed with a status", Duration.ofSeconds(10), () -> s.closeStatus() != null);
            assertEquals((short) 1009, s.closeStatus());
            assertTrue(s.closeReason().contains("sluice.ws.max.frame.bytes"), s.closeReason());
        }
        assertEquals(200, http.get("/health").status(), "the node is unharmed");
    }

    @Test
    void seekBeyondTheEndIsReportedAndResetToTheEnd() {
        http.createTopic("range", 1, new JsonObject());
        produceValues("range", 0, 0, 3);
        try (Socket s = http.connect("/ws/consume?topics=range&from=earliest")) {
            s.next("assigned");
            records(s, 3);
            s.send(new JsonObject().put("type", "seek").put("topic", "range").put("partition", 0).put("offset", 500));
            JsonObject err = s.next("error");
            assertEquals(41601, err.getInteger("error_code"));
            assertTrue(err.getString("message").contains("continuing at 3"), err.encode());
            produceValues("range", 0, 3, 1);
            assertEquals(3L, records(s, 1).get(0).getLong("offset"));
        }
    }
}

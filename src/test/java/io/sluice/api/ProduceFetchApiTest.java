package io.sluice.api;

import io.sluice.testing.HttpTestClient;
import io.sluice.testing.HttpTestClient.Resp;
import io.sluice.testing.TestNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static io.sluice.testing.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Produce and fetch over HTTP against a real node: formats, acks, idempotence, long polls, errors. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProduceFetchApiTest {
    @TempDir
    static Path dir;

    TestNode node;
    HttpTestClient http;

    @BeforeAll
    void start() {
        node = TestNode.start(dir, "sluice.http.max.body.bytes=65536");
        http = new HttpTestClient(node.port());
    }

    @AfterAll
    void stop() {
        http.close();
        node.close();
    }

    @Test
    void producesJsonRecordsAndFetchesThemBackAsTheContractShows() {
        http.createTopic("clicks", 3, new JsonObject());
        JsonObject resp = http.produce("clicks", new JsonArray()
                .add(new JsonObject().put("key", "user-42").put("value", new JsonObject().put("page", "/home"))
                        .put("headers", new JsonObject().put("src", "web")))
                .add(new JsonObject().put("value", "x"))
                .add(new JsonObject().put("key", "user-42").put("value", 7).put("partition", 2).put("timestamp", 1234)));
        JsonArray offsets = resp.getJsonArray("offsets");
        assertEquals(3, offsets.size());
        int p0 = offsets.getJsonObject(0).getInteger("partition");
        assertEquals(2, offsets.getJsonObject(2).getInteger("partition"));
        JsonObject fetched = http.get("/topics/clicks/partitions/" + p0 + "/records?offset=0").json();
        JsonObject rec = fetched.getJsonArray("records").getJsonObject(0);
        assertEquals("clicks", rec.getString("topic"));
        assertEquals(p0, rec.getInteger("partition"));
        assertEquals(offsets.getJsonObject(0).getLong("offset"), rec.getLong("offset"));
        assertEquals("user-42", rec.getString("key"));
        assertEquals(new JsonObject().put("page", "/home"), rec.getJsonObject("value"));
        assertEquals(new JsonObject().put("src", "web"), rec.getJsonObject("headers"));
        assertTrue(rec.getLong("timestamp") > 1_600_000_000_000L, "broker-set timestamp");
        JsonObject explicit = http.get("/topics/clicks/partitions/2/records?offset="
                + offsets.getJsonObject(2).getLong("offset")).json().getJsonArray("records").getJsonObject(0);
        assertEquals(7, explicit.getInteger("value"));
        assertEquals(1234, explicit.getLong("timestamp"));
    }

    @Test
    void confluentPathAndContentTypesForBinaryAndText() {
        http.createTopic("formats", 1, new JsonObject());
        byte[] raw = {0, 1, 2, (byte) 0xff, 'z'};
        String b64 = Base64.getEncoder().encodeToString(raw);
        Resp bin = http.send(HttpMethod.POST, "/topics/formats", "application/vnd.kafka.binary.v2+json",
                new JsonObject().put("records", new JsonArray().add(new JsonObject().put("key", b64).put("value", b64))).toBuffer());
        assertEquals(200, bin.status(), bin.toString());
        Resp text = http.send(HttpMethod.POST, "/topics/formats", "application/vnd.kafka.text.v2+json",
                new JsonObject().put("records", new JsonArray().add(new JsonObject().put("key", "u1").put("value", "héllo"))).toBuffer());
        assertEquals(200, text.status(), text.toString());
        Resp json = http.send(HttpMethod.POST, "/topics/formats", "application/vnd.kafka.json.v2+json",
                new JsonObject().put("records", new JsonArray().add(new JsonObject().put("key", "u1").put("value", true))).toBuffer());
        assertEquals(200, json.status(), json.toString());

        JsonArray asBinary = http.get("/topics/formats/partitions/0/records?offset=0&format=binary").json().getJsonArray("records");
        assertEquals(b64, asBinary.getJsonObject(0).getString("value"));
        assertEquals(Base64.getEncoder().encodeToString("u1".getBytes(StandardCharsets.UTF_8)),
                asBinary.getJsonObject(1).getString("key"), "text format stores the 2 raw bytes of u1");
        assertEquals(Base64.getEncoder().encodeToString("\"u1\"".getBytes(StandardCharsets.UTF_8)),
                asBinary.getJsonObject(2).getString("key"), "json format stores the 4 bytes \"u1\", quotes included");
        JsonArray asText = http.get("/topics/formats/partitions/0/records?offset=1&format=text").json().getJsonArray("records");
        assertEquals("héllo", asText.getJsonObject(0).getString("value"));
        assertEquals("true", asText.getJsonObject(1).getString("value"));
    }

    @Test
    void ndjsonStreamsBulkIngestInOrder() {
        http.createTopic("bulk", 1, new JsonObject());
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 2500; i++) {
            body.append("{\"value\":{\"n\":").append(i).append("}}\n");
        }
        Resp r = http.send(HttpMethod.POST, "/topics/bulk/records", "application/x-ndjson", Buffer.buffer(body.toString()));
        assertEquals(200, r.status(), r.toString());
        JsonArray offsets = r.json().getJsonArray("offsets");
        assertEquals(2500, offsets.size());
        for (int i = 0; i < 2500; i++) {
            assertEquals(i, offsets.getJsonObject(i).getLong("offset"));
        }
        JsonObject page = http.get("/topics/bulk/partitions/0/records?offset=1000&max_records=3").json();
        assertEquals(1000, page.getJsonArray("records").getJsonObject(0).getJsonObject("value").getInteger("n"));
        assertEquals(1003, page.getLong("next_offset"));
        assertEquals(2500, page.getLong("high_watermark"));

        Resp bad = http.send(HttpMethod.POST, "/topics/bulk/records", "application/x-ndjson",
                Buffer.buffer("{\"value\":1}\n{\"value\":2}\n{not json}\n{\"value\":4}\n"));
        assertEquals(400, bad.status());
        assertTrue(bad.json().getString("message").startsWith("line 3"), bad.toString());
        assertTrue(bad.json().getString("message").contains("2 record(s) before it were stored"), bad.toString());
        assertEquals(2502, http.get("/topics/bulk/partitions/0/offsets").json().getLong("high_watermark"));
    }

    @Test
    void aNodeCallsItsOwnReplicasDirectlyNotOverTheEventBus() {
        http.createTopic("direct", 1, new JsonObject());
        io.sluice.testing.Await.until("the local replica", java.time.Duration.ofSeconds(10),
                () -> node.node().replicas().local(new io.sluice.bus.TopicPartition("direct", 0)) != null);
        AtomicInteger partitionMessages = new AtomicInteger();
        node.node().vertx().eventBus().addOutboundInterceptor(ctx -> {
            if (ctx.message().address().startsWith("sluice.replicas.")) {
                partitionMessages.incrementAndGet();
            }
            ctx.next();
        });
        JsonObject produced = http.produce("direct", new JsonArray().add(new JsonObject().put("value", "a")));
        assertEquals(0, produced.getJsonArray("offsets").getJsonObject(0).getLong("offset"));
        JsonArray fetched = http.get("/topics/direct/partitions/0/records?offset=0").json().getJsonArray("records");
        assertEquals("a", fetched.getJsonObject(0).getString("value"));
        assertEquals(0, http.get("/topics/direct/partitions/0/offsets").json().getLong("log_start_offset"));
        assertEquals(0, partitionMessages.get(), "produce, fetch and offsets reached the local leader without the bus");
    }

    @Test
    void acksZeroAnswersAcceptedAtOnce() {
        http.createTopic("fire", 1, new JsonObject());
        // acks=0 promises nothing while the new partition is not online yet (POST /topics answers
        // once the topic is committed, as Kafka's CreateTopics does).
        io.sluice.testing.Await.until("the new partition online", java.time.Duration.ofSeconds(10),
                () -> http.get("/topics/fire/partitions/0/offsets").status() == 200);
        Resp r = http.send(HttpMethod.POST, "/topics/fire/records?acks=0", "application/json",
                new JsonObject().put("records", new JsonArray().add(new JsonObject().put("value", 1))).toBuffer());
        assertEquals(202, r.status(), r.toString());
        io.sluice.testing.Await.until("acks=0 record stored", java.time.Duration.ofSeconds(10),
                () -> http.get("/topics/fire/partitions/0/offsets").json().getLong("high_watermark") == 1);
        Resp all = http.send(HttpMethod.POST, "/topics/fire/records?acks=all", "application/json",
                new JsonObject().put("records", new JsonArray().add(new JsonObject().put("value", 2))).toBuffer());
        assertEquals(200, all.status());
        assertEquals(1, all.json().getJsonArray("offsets").getJsonObject(0).getLong("offset"));
    }

    @Test
    void idempotentProducersAndIdempotencyKeysStoreRetriesOnce() {
        http.createTopic("idem", 2, new JsonObject());
        JsonObject batch = new JsonObject().put("records", new JsonArray()
                .add(new JsonObject().put("value", "a").put("partition", 0).put("producer_id", 77).put("sequence", 0))
                .add(new JsonObject().put("value", "b").put("partition", 0).put("producer_id", 77).put("sequence", 1)));
        Resp first = http.post("/topics/idem/records", batch);
        Resp retry = http.post("/topics/idem/records", batch);
        assertEquals(200, retry.status());
        assertEquals(first.json(), retry.json(), "a retry gets the same offsets");
        JsonObject gap = new JsonObject().put("records", new JsonArray()
                .add(new JsonObject().put("value", "z").put("partition", 0).put("producer_id", 77).put("sequence", 5)));
        Resp outOfOrder = http.post("/topics/idem/records", gap);
        assertEquals(400, outOfOrder.status(), outOfOrder.toString());
        assertEquals(40009, outOfOrder.json().getJsonArray("offsets").getJsonObject(0).getInteger("error_code"));

        JsonObject keyed = new JsonObject().put("records", new JsonArray()
                .add(new JsonObject().put("value", "k1")).add(new JsonObject().put("key", "x").put("value", "k2")));
        Map<String, String> key = Map.of("Idempotency-Key", "order-123");
        Resp k1 = http.send(HttpMethod.POST, "/topics/idem/records", "application/json", keyed.toBuffer(), key);
        Resp k2 = http.send(HttpMethod.POST, "/topics/idem/records", "application/json", keyed.toBuffer(), key);
        assertEquals(200, k1.status(), k1.toString());
        assertEquals(k1.json(), k2.json());
        long stored = 0;
        for (int p = 0; p < 2; p++) {
            stored += http.get("/topics/idem/partitions/" + p + "/offsets").json().getLong("high_watermark");
        }
        assertEquals(4, stored, "2 records of the producer and 2 of the keyed request, once each");
    }

    @Test
    void fetchLongPollsUntilRecordsArrive() throws Exception {
        http.createTopic("poll", 1, new JsonObject());
        java.util.concurrent.CompletableFuture<Resp> waiting = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> http.get("/topics/poll/partitions/0/records?offset=0&timeout_ms=20000"));
        io.sluice.testing.Await.until("fetch parked", java.time.Duration.ofSeconds(10), () -> !waiting.isDone());
        long start = System.nanoTime();
        http.produce("poll", new JsonArray().add(new JsonObject().put("value", "late")));
        Resp r = waiting.get(15, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(System.nanoTime() - start < 10_000_000_000L, "answered when the record came, not at the timeout");
        assertEquals("late", r.json().getJsonArray("records").getJsonObject(0).getString("value"));
        JsonObject empty = http.get("/topics/poll/partitions/0/records?offset=1&timeout_ms=0").json();
        assertEquals(0, empty.getJsonArray("records").size());
        assertEquals(1, empty.getLong("next_offset"));
    }

    @Test
    void offsetsEndpointAndTimestampLookup() {
        http.createTopic("times", 1, new JsonObject());
        http.produce("times", new JsonArray().add(new JsonObject().put("value", 1).put("timestamp", 1000))
                .add(new JsonObject().put("value", 2).put("timestamp", 2000)).add(new JsonObject().put("value", 3).put("timestamp", 3000)));
        JsonObject o = http.get("/topics/times/partitions/0/offsets").json();
        assertEquals(new JsonObject().put("log_start_offset", 0).put("high_watermark", 3).put("log_end_offset", 3), o);
        assertEquals(1, http.get("/topics/times/partitions/0/offsets?timestamp=1500").json().getLong("timestamp_offset"));
        assertEquals(3, http.get("/topics/times/partitions/0/offsets?timestamp=9999").json().getLong("timestamp_offset"));
    }

    @Test
    void badInputGetsAClearErrorAndLosesNothing() {
        http.createTopic("strict", 2, new JsonObject());
        http.produce("strict", new JsonArray().add(new JsonObject().put("value", "keep").put("partition", 0)));
        assertError(http.send(HttpMethod.POST, "/topics/strict/records", "application/json", Buffer.buffer("{\"records\":[")), 400, 40002);
        assertError(http.send(HttpMethod.POST, "/topics/strict/records", "application/json", Buffer.buffer("[1,2]")), 400, 40002);
        assertError(http.post("/topics/strict/records", new JsonObject().put("records", new JsonArray().add(
                new JsonObject().put("value", 1).put("timestamp", "yesterday")))), 400, 40002);
        assertError(http.post("/topics/strict/records", new JsonObject().put("records", new JsonArray().add(
                new JsonObject().put("vaule", 1)))), 400, 40002);
        assertError(http.post("/topics/nope/records", new JsonObject().put("records", new JsonArray().add(
                new JsonObject().put("value", 1)))), 404, 40401);
        assertError(http.post("/topics/strict/records", new JsonObject().put("records", new JsonArray().add(
                new JsonObject().put("value", 1).put("partition", 9)))), 404, 40402);
        assertError(http.send(HttpMethod.POST, "/topics/strict/records", "text/csv", Buffer.buffer("a,b")), 415, 41501);
        assertError(http.send(HttpMethod.POST, "/topics/strict/records", "application/vnd.kafka.binary.v2+json",
                new JsonObject().put("records", new JsonArray().add(new JsonObject().put("value", "!!not base64!!"))).toBuffer()), 400, 40002);
        byte[] big = new byte[70_000];
        java.util.Arrays.fill(big, (byte) 'a');
        assertError(http.post("/topics/strict/records", new JsonObject().put("records", new JsonArray().add(
                new JsonObject().put("value", new String(big, StandardCharsets.US_ASCII))))), 413, 41302);
        assertError(http.get("/topics/strict/partitions/0/records?offset=99"), 416, 41601);
        assertError(http.get("/topics/strict/partitions/0/records?offset=-1"), 400, 40007);
        assertError(http.get("/topics/strict/partitions/0/records?offset=abc"), 400, 40007);
        assertError(http.get("/topics/strict/partitions/7/records"), 404, 40402);
        assertError(http.get("/topics/strict/partitions/x/offsets"), 404, 40402);
        assertError(http.get("/topics/strict/partitions/0/records?max_records=0"), 400, 40001);
        assertError(http.get("/topics/strict/partitions/0/records?format=xml"), 400, 40001);
        assertError(http.post("/topics/strict/records?acks=2", new JsonObject().put("records", new JsonArray())), 400, 40001);
        assertError(http.get("/no/such/route"), 404, 40404);
        assertError(http.send(HttpMethod.PUT, "/topics/strict", "application/json", Buffer.buffer("{}")), 405, 40501);
        // Nothing of the above was stored, and what was stored is intact.
        JsonObject page = http.get("/topics/strict/partitions/0/records?offset=0").json();
        assertEquals(1, page.getJsonArray("records").size());
        assertEquals("keep", page.getJsonArray("records").getJsonObject(0).getString("value"));
        assertEquals(0, http.get("/topics/strict/partitions/1/offsets").json().getLong("log_end_offset"));
        assertEquals(200, http.get("/health").status());
    }

    @Test
    void theProduceHotPathAndTheRouterAnswerAlike() {
        http.createTopic("alike", 1, new JsonObject());
        JsonObject one = new JsonObject().put("records", new JsonArray().add(new JsonObject().put("value", "x")));
        // A percent-encoded topic takes the router's route; the plain path is taken ahead of it.
        Resp routed = http.post("/topics/al%69ke/records", one);
        Resp direct = http.post("/topics/alike/records", one);
        assertEquals(200, routed.status(), routed.body().toString());
        assertEquals(200, direct.status(), direct.body().toString());
        assertEquals(0, routed.json().getJsonArray("offsets").getJsonObject(0).getLong("offset"));
        assertEquals(1, direct.json().getJsonArray("offsets").getJsonObject(0).getLong("offset"));
        assertEquals(http.post("/topics/n%6Fpe/records", one).body(), http.post("/topics/nope/records", one).body());
        assertError(http.post("/topics/n%6Fpe/records", one), 404, 40401);
        assertEquals(http.post("/topics/al%69ke/records?acks=2", one).body(), http.post("/topics/alike/records?acks=2", one).body());
        assertError(http.post("/topics/alike/records?acks=2", one), 400, 40001);
        assertEquals(2, http.get("/topics/alike/partitions/0/offsets").json().getLong("log_end_offset"));
    }

    /** Sends a POST with a chunked body (no Content-Length) on a raw socket; returns the status line and body. */
    private String[] postChunked(String path, String... chunks) throws java.io.IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", node.port())) {
            socket.setSoTimeout(10_000);
            StringBuilder req = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
            for (String c : chunks) {
                req.append(Integer.toHexString(c.length())).append("\r\n").append(c).append("\r\n");
            }
            req.append("0\r\n\r\n");
            java.io.OutputStream out = socket.getOutputStream();
            try {
                out.write(req.toString().getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (java.net.SocketException closedEarly) {
                // (The node may answer 413 and close before the whole body is sent.)
            }
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new String[] {response.substring(0, response.indexOf("\r\n")), response.substring(response.indexOf("\r\n\r\n") + 4)};
        }
    }

    @Test
    void aChunkedBodyWithoutContentLengthIsReadAndStillBoundedByTheBodyLimit() throws Exception {
        http.createTopic("chunked", 1, new JsonObject());
        String[] ok = postChunked("/topics/chunked/records", "{\"records\":[{\"value\":", "\"a\"},{\"value\":\"b\"}]}");
        assertTrue(ok[0].startsWith("HTTP/1.1 200"), ok[0]);
        assertTrue(ok[1].contains("\"offset\":1"), ok[1]);
        // 70,000 bytes in chunks of 10,000, with no length announced: cut off at the 65,536-byte limit.
        String[] chunks = new String[8];
        chunks[0] = "{\"records\":[{\"value\":\"";
        for (int i = 1; i < 7; i++) {
            chunks[i] = "a".repeat(10_000);
        }
        chunks[7] = "a".repeat(10_000) + "\"}]}";
        String[] big = postChunked("/topics/chunked/records", chunks);
        assertTrue(big[0].startsWith("HTTP/1.1 413"), big[0]);
        assertEquals(41302, new JsonObject(big[1]).getInteger("error_code"));
        assertEquals(2, http.get("/topics/chunked/partitions/0/offsets").json().getLong("log_end_offset"), "nothing of it stored");
    }

    @Test
    void recordsOverMaxMessageBytesAreRefusedWhole() {
        http.createTopic("tiny", 1, new JsonObject().put("max.message.bytes", 200));
        Resp r = http.post("/topics/tiny/records", new JsonObject().put("records", new JsonArray()
                .add(new JsonObject().put("value", "ok")).add(new JsonObject().put("value", "x".repeat(400)))));
        assertError(r, 413, 41301);
        assertEquals(0, http.get("/topics/tiny/partitions/0/offsets").json().getLong("log_end_offset"));
    }

    @Test
    void keyedRecordsSpreadByKeyAndKeylessOnesOnePartitionPerRequest() {
        http.createTopic("spread", 4, new JsonObject());
        JsonArray keyed = new JsonArray();
        for (int i = 0; i < 40; i++) {
            keyed.add(new JsonObject().put("key", "k" + i).put("value", i));
        }
        JsonArray offsets = http.produce("spread", keyed).getJsonArray("offsets");
        Set<Integer> used = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            used.add(offsets.getJsonObject(i).getInteger("partition"));
        }
        assertEquals(4, used.size());
        JsonArray again = http.produce("spread", keyed).getJsonArray("offsets");
        for (int i = 0; i < 40; i++) {
            assertEquals(offsets.getJsonObject(i).getInteger("partition"), again.getJsonObject(i).getInteger("partition"),
                    "same key, same partition");
        }
        Set<Integer> keyless = new HashSet<>();
        for (int r = 0; r < 8; r++) {
            JsonArray o = http.produce("spread", new JsonArray().add(new JsonObject().put("value", 1))
                    .add(new JsonObject().put("value", 2))).getJsonArray("offsets");
            assertEquals(o.getJsonObject(0).getInteger("partition"), o.getJsonObject(1).getInteger("partition"));
            keyless.add(o.getJsonObject(0).getInteger("partition"));
        }
        assertTrue(keyless.size() > 1, "keyless requests rotate over partitions: " + keyless);
    }

}

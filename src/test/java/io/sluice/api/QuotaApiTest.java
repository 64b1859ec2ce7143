package io.sluice.api;

import io.sluice.security.AuditLog;
import io.sluice.testing.Await;
import io.sluice.testing.HttpTestClient;
import io.sluice.testing.HttpTestClient.Resp;
import io.sluice.testing.HttpTestClient.Socket;
import io.sluice.testing.TestNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.sluice.testing.ApiAssertions.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Client quotas and the audit log on a real node: a producer held to its byte rate within 10%, a
 * request far over quota answered 429 with Retry-After, a WebSocket consumer delayed (not dropped)
 * by its byte rate, the connection limits, the throttle time in /metrics, and audit lines for a 401
 * and a 403 that name who, what and where and no secret.
 */
class QuotaApiTest {
    @TempDir
    Path dir;

    @Test
    void aProducerIsHeldToItsByteRate() {
        int quota = 200 * 1024;
        try (TestNode node = TestNode.start(dir, "quota.producer.byte.rate=" + quota, "quota.window.num=3",
                "quota.window.size.seconds=1");
             HttpTestClient http = new HttpTestClient(node.port())) {
            http.createTopic("orders", 1, new JsonObject());
            Buffer body = new JsonObject().put("records", new JsonArray().add(new JsonObject().put("value", "x".repeat(25_000))))
                    .toBuffer();
            // Past the first window (which may take a burst), then measured over 6 s. (Large requests:
            // the time a request takes to reach the node is not throttle time, as in Kafka.)
            long warmUpEnd = System.nanoTime() + Duration.ofSeconds(4).toNanos();
            while (System.nanoTime() < warmUpEnd) {
                assertEquals(200, http.send(HttpMethod.POST, "/topics/orders/records?client_id=loader", "application/json", body).status());
            }
            // Over whole windows (see aClientIsHeldToItsRequestRate), what was answered within them.
            long start = System.nanoTime();
            long end = start + Duration.ofSeconds(6).toNanos();
            long bytes = 0;
            while (true) {
                Resp r = http.send(HttpMethod.POST, "/topics/orders/records?client_id=loader", "application/json", body);
                assertEquals(200, r.status(), "delayed, never refused: " + r);
                if (System.nanoTime() > end) {
                    break;
                }
                bytes += body.length();
            }
            double rate = bytes / 6.0;
            assertTrue(rate > 0.9 * quota && rate < 1.1 * quota, "achieved " + rate + " B/s against a quota of " + quota);

            String metrics = http.get("/metrics").text();
            double throttled = metric(metrics, "sluice_quota_throttle_time_milliseconds_sum", "User:ANONYMOUS", "loader");
            assertTrue(throttled > 1000, "throttle time per principal and client id in /metrics: " + throttled);
            assertTrue(metric(metrics, "sluice_quota_limit", "User:ANONYMOUS", "loader") == quota);
        }
    }

    @Test
    void aClientIsHeldToItsRequestRate() {
        int quota = 20;
        try (TestNode node = TestNode.start(dir, "quota.request.rate=" + quota, "quota.window.num=3",
                "quota.window.size.seconds=1");
             HttpTestClient http = new HttpTestClient(node.port(), Map.of("x-client-id", "poller"))) {
            long warmUpEnd = System.nanoTime() + Duration.ofSeconds(4).toNanos();
            while (System.nanoTime() < warmUpEnd) {
                assertEquals(200, http.get("/topics").status());
            }
            // Over whole windows: a closed-loop client's pace follows the window's samples (a burst when
            // a full sample expires, then delays), so only whole windows of it average to the quota.
            long start = System.nanoTime();
            long end = start + Duration.ofSeconds(6).toNanos();
            int requests = 0;
            while (true) {
                assertEquals(200, http.get("/topics").status(), "delayed, never refused");
                if (System.nanoTime() > end) {
                    break;
                }
                requests++;
            }
            double rate = requests / 6.0;
            assertTrue(rate > 0.9 * quota && rate < 1.1 * quota, "achieved " + rate + " requests/s against a quota of " + quota);
        }
    }

    @Test
    void aRequestFarOverQuotaIsRefusedWithRetryAfter() {
        try (TestNode node = TestNode.start(dir, "quota.overrides=client-id:greedy:producer_byte_rate=10000",
                "quota.window.num=2", "quota.window.size.seconds=1");
             HttpTestClient http = new HttpTestClient(node.port())) {
            http.createTopic("orders", 1, new JsonObject());
            Buffer big = new JsonObject().put("records", new JsonArray().add(new JsonObject().put("value", "x".repeat(500_000))))
                    .toBuffer();
            Map<String, String> greedy = Map.of("x-client-id", "greedy");
            try (HttpTestClient other = new HttpTestClient(node.port())) {
                long start = System.nanoTime();
                java.util.concurrent.CompletableFuture<Resp> first = java.util.concurrent.CompletableFuture.supplyAsync(() ->
                        http.send(HttpMethod.POST, "/topics/orders/records", "application/json", big, greedy));
                Await.until("the first request is recorded", Duration.ofSeconds(10), () -> other.get("/metrics").text()
                        .contains("sluice_quota_throttle_time_milliseconds_count{client_id=\"greedy\""));
                // While the first is held back, a second one on another connection: no delay can bring it within quota.
                Resp refused = other.send(HttpMethod.POST, "/topics/orders/records", "application/json", big, greedy);
                assertEquals(200, first.join().status());
                long delayedMs = (System.nanoTime() - start) / 1_000_000;
                assertTrue(delayedMs >= 1900, "answered after the throttle time, at most the window (2 s): " + delayedMs);
                assertError(refused, 429, 42901);
                assertTrue(Long.parseLong(refused.headers().get("retry-after")) > 2, refused.headers().toString());
            }
            assertEquals(1, http.get("/topics/orders/partitions/0/offsets").json().getLong("high_watermark"),
                    "the refused request did nothing");
            assertEquals(200, http.send(HttpMethod.POST, "/topics/orders/records", "application/json", big).status(),
                    "another client id has no quota");
        }
    }

    @Test
    void aWebSocketConsumerIsDelayedNotDropped() {
        int quota = 100_000;
        try (TestNode node = TestNode.start(dir, "quota.consumer.byte.rate=" + quota, "quota.window.num=2",
                "quota.window.size.seconds=1");
             HttpTestClient http = new HttpTestClient(node.port())) {
            http.createTopic("clicks", 1, new JsonObject());
            for (int i = 0; i < 40; i++) {
                http.produce("clicks", new JsonArray().add(new JsonObject().put("value", i + "-" + "y".repeat(10_000))));
            }
            long start = System.nanoTime();
            int received = 0;
            try (Socket ws = http.connect("/ws/consume?topics=clicks&from=earliest&credit=1000&client_id=viewer")) {
                while (received < 40) {
                    JsonObject frame = ws.next("records");
                    JsonArray records = frame.getJsonArray("records");
                    for (int i = 0; i < records.size(); i++) {
                        assertTrue(records.getJsonObject(i).getString("value").startsWith(received + "-"), "in order, none lost");
                        received++;
                    }
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            // ~400 KB at 100 KB/s, of which the first window's second may come at once.
            assertTrue(seconds > 2.0, "delivered in " + seconds + " s");
            assertTrue(metric(http.get("/metrics").text(), "sluice_quota_throttle_time_milliseconds_sum", "User:ANONYMOUS", "viewer") > 0);
        }
    }

    @Test
    void streamingProducersAreReadNoFasterThanTheirQuota() {
        int quota = 100_000;
        try (TestNode node = TestNode.start(dir, "quota.producer.byte.rate=" + quota, "quota.window.num=2",
                "quota.window.size.seconds=1");
             HttpTestClient http = new HttpTestClient(node.port())) {
            http.createTopic("events", 1, new JsonObject());
            long start = System.nanoTime();
            try (Socket ws = http.connect("/ws/produce?topic=events&client_id=streamer")) {
                for (int i = 0; i < 40; i++) {
                    ws.send(new JsonObject().put("value", "z".repeat(10_000)).put("context", i));
                }
                for (int i = 0; i < 40; i++) {
                    JsonObject answer = ws.next(Duration.ofSeconds(20));
                    assertEquals(i, answer.getInteger("context"), answer.encode());
                    assertTrue(answer.containsKey("offsets"), "every frame produced, none refused: " + answer.encode());
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            // ~400 KB at 100 KB/s, of which the first window's second may come at once.
            assertTrue(seconds > 2.0, "read in " + seconds + " s");
            Buffer ndjson = Buffer.buffer();
            for (int i = 0; i < 40; i++) {
                ndjson.appendString(new JsonObject().put("value", "n".repeat(10_000)).encode()).appendString("\n");
            }
            long ndStart = System.nanoTime();
            Resp r = http.send(HttpMethod.POST, "/topics/events/records?client_id=ndjson", "application/x-ndjson", ndjson);
            assertEquals(200, r.status(), r.toString());
            double ndSeconds = (System.nanoTime() - ndStart) / 1e9;
            assertTrue(ndSeconds > 2.0, "an NDJSON stream of ~400 KB read in " + ndSeconds + " s");
            assertEquals(80, http.get("/topics/events/partitions/0/offsets").json().getLong("high_watermark"));
        }
    }

    @Test
    void connectionsPastTheLimitsAreRefused() throws Exception {
        try (TestNode node = TestNode.start(dir, "max.connections.per.ip=2");
             java.net.Socket a = new java.net.Socket();
             java.net.Socket b = new java.net.Socket()) {
            a.connect(new InetSocketAddress("127.0.0.1", node.port()));
            assertEquals(200, status(a));
            b.connect(new InetSocketAddress("127.0.0.1", node.port()));
            assertEquals(200, status(b));
            try (java.net.Socket c = new java.net.Socket()) {
                c.connect(new InetSocketAddress("127.0.0.1", node.port()));
                c.setSoTimeout(10_000);
                c.getOutputStream().write("GET /health HTTP/1.1\r\nhost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertEquals(-1, c.getInputStream().read(), "a third connection of the IP is closed unanswered");
            }
            b.close();
            Await.until("a slot of the IP is free again", Duration.ofSeconds(10), () -> {
                try (java.net.Socket d = new java.net.Socket()) {
                    d.connect(new InetSocketAddress("127.0.0.1", node.port()));
                    return status(d) == 200;
                } catch (Exception e) {
                    return false;
                }
            });
        }
    }

    @Test
    void webSocketsPastThePrincipalsLimitAreRefused() {
        try (TestNode node = TestNode.start(dir, "max.connections.per.principal=1");
             HttpTestClient http = new HttpTestClient(node.port())) {
            http.createTopic("t", 1, new JsonObject());
            try (Socket first = http.connect("/ws/consume?topics=t")) {
                Throwable second = http.connectFailure("/ws/produce?topic=t");
                assertTrue(second instanceof UpgradeRejectedException, String.valueOf(second));
                assertEquals(429, ((UpgradeRejectedException) second).getStatus());
            }
            Await.until("the principal's socket slot is given back", Duration.ofSeconds(10), () -> {
                try (Socket again = http.connect("/ws/produce?topic=t")) {
                    return true;
                } catch (RuntimeException e) {
                    return false;
                }
            });
        }
    }

    @Test
    void failedAuthenticationsAndDenialsAreAudited() {
        List<String> lines = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                lines.add(r.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger audit = Logger.getLogger(AuditLog.LOGGER);
        audit.addHandler(capture);
        try (TestNode node = TestNode.start(dir, SecurityApiTest.SECURED);
             HttpTestClient admin = HttpTestClient.withBasic(node.port(), "admin", SecurityApiTest.ADMIN_PW);
             HttpTestClient wrong = HttpTestClient.withBasic(node.port(), "admin", "Wr0ng-Guess-frobozz");
             HttpTestClient alice = HttpTestClient.withBasic(node.port(), "alice", SecurityApiTest.ALICE_PW)) {
            SecurityApiTest.createUser(admin, "alice", SecurityApiTest.ALICE_PW);
            admin.createTopic("orders", 1, new JsonObject());
            assertEquals(401, wrong.get("/topics/orders").status());
            assertEquals(403, alice.get("/topics/orders/partitions/0/offsets").status());
            Await.until("both lines", Duration.ofSeconds(10), () -> lines.size() >= 2);
            assertTrue(lines.contains("authentication failed: user=admin host=127.0.0.1 route=GET /topics/orders"), lines.toString());
            assertTrue(lines.contains("authorization denied: principal=User:alice operation=DESCRIBE resource=TOPIC:orders"
                    + " host=127.0.0.1"), lines.toString());
            // A flood is cut to security.audit.max.lines.per.second (20) and summed up.
            for (int i = 0; i < 60; i++) {
                wrong.get("/topics");
            }
            long failures = lines.stream().filter(l -> l.startsWith("authentication failed")).count();
            assertTrue(failures < 50, failures + " lines for 61 failures");
            String all = String.join("\n", lines);
            assertFalse(all.contains("Wr0ng") || all.contains(SecurityApiTest.ALICE_PW) || all.contains(SecurityApiTest.ADMIN_PW));
        } finally {
            audit.removeHandler(capture);
        }
    }

    @Test
    void aFloodOfWrongPasswordsFromOneIpIsCutOff() {
        String[] settings = java.util.stream.Stream.concat(java.util.Arrays.stream(SecurityApiTest.SECURED),
                java.util.stream.Stream.of("security.authentication.failures.max=3")).toArray(String[]::new);
        try (TestNode node = TestNode.start(dir, settings);
             HttpTestClient admin = HttpTestClient.withBasic(node.port(), "admin", SecurityApiTest.ADMIN_PW)) {
            assertEquals(200, admin.get("/topics").status());
            for (int i = 0; i < 3; i++) {
                try (HttpTestClient guess = HttpTestClient.withBasic(node.port(), "admin", "guess-" + i)) {
                    assertError(guess.get("/topics"), 401, 40101);
                    if (i == 0) {
                        // The same wrong password again costs no derivation (cached) and does not count.
                        assertError(guess.get("/topics"), 401, 40101);
                        assertError(guess.get("/topics"), 401, 40101);
                    }
                }
            }
            try (HttpTestClient guess = HttpTestClient.withBasic(node.port(), "admin", "guess-3")) {
                Resp refused = guess.get("/topics");
                assertError(refused, 429, 42901);
                assertTrue(Long.parseLong(refused.headers().get("retry-after")) >= 1);
            }
            assertError(admin.get("/topics"), 429, 42901);
            assertEquals(200, admin.get("/health").status(), "the probes still answer");
        }
    }

    /** Sends GET /health on a raw connection and reads the status. */
    private static int status(java.net.Socket s) throws Exception {
        s.setSoTimeout(10_000);
        OutputStream out = s.getOutputStream();
        out.write("GET /health HTTP/1.1\r\nhost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = s.getInputStream();
        byte[] head = new byte[12];
        int n = 0;
        while (n < head.length) {
            int r = in.read(head, n, head.length - n);
            if (r < 0) {
                return -1;
            }
            n += r;
        }
        // Drain what else came, so that the next request reads its own answer.
        in.skip(in.available());
        return Integer.parseInt(new String(head, 9, 3, StandardCharsets.US_ASCII));
    }

    /** The value of a Prometheus sample of {@code name} for the user and client id. */
    private static double metric(String scrape, String name, String user, String clientId) {
        Pattern p = Pattern.compile("(?m)^" + name + "\\{([^}]*)\\} (\\S+)$");
        Matcher m = p.matcher(scrape);
        while (m.find()) {
            String labels = m.group(1);
            if (labels.contains("user=\"" + user + "\"") && labels.contains("client_id=\"" + clientId + "\"")) {
                return Double.parseDouble(m.group(2));
            }
        }
        throw new AssertionError("no " + name + " for " + user + "/" + clientId + " in:\n" + scrape.lines()
                .filter(l -> l.contains("quota")).toList());
    }
}

package io.sluice.partition;

import io.sluice.bus.Acks;
import io.sluice.bus.FetchRequest;
import io.sluice.bus.FetchResponse;
import io.sluice.bus.ProduceRequest;
import io.sluice.bus.ProduceResponse;
import io.sluice.bus.TopicPartition;
import io.sluice.log.LogStats;
import io.sluice.log.LogTestSupport;
import io.sluice.testing.HttpTestClient;
import io.sluice.testing.TestNode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A leader appends the small produce requests that reach it in one iteration of its event loop
 * with one write, in arrival order, and answers each with its own offsets. The requests are sent
 * from one task on the partition's own context, which hands each over at once (the caller shares
 * the partition's loop): all of them arrive in one iteration, deterministically.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProduceTurnTest {
    @TempDir
    static Path dir;

    TestNode node;
    HttpTestClient http;

    @BeforeAll
    void start() {
        node = TestNode.start(dir);
        http = new HttpTestClient(node.port());
    }

    @AfterAll
    void stop() {
        http.close();
        node.close();
    }

    private PartitionVerticle leaderOf(String topic) {
        http.createTopic(topic, 1, new JsonObject());
        // (The topic's creation is answered once the metadata is here; the replica starts right after.)
        TopicPartition tp = new TopicPartition(topic, 0);
        io.sluice.testing.Await.until("the local replica of " + tp, java.time.Duration.ofSeconds(10),
                () -> node.node().replicas().local(tp) != null);
        return node.node().replicas().local(tp);
    }

    private static ProduceRequest request(TopicPartition tp, String... values) {
        // (Timestamps of now: a segment whose first record is older than segment.ms is rolled, and
        // an append that would roll goes through the writer, not inline.)
        return new ProduceRequest(tp, List.of(LogTestSupport.batch(System.currentTimeMillis(), values)), Acks.LEADER, 30_000);
    }

    /**
     * Sends {@code requests} to the replica from one task on its context, so that they arrive in one turn,
     * once its log writer is idle: only this context gives the writer work for this topic (a
     * checkpoint each second), so the writer stays idle until the turn has been appended.
     */
    private List<ProduceResponse> inOneTurn(PartitionVerticle replica, List<ProduceRequest> requests) throws Exception {
        CompletableFuture<List<Future<Object>>> queued = new CompletableFuture<>();
        Runnable[] attempt = new Runnable[1];
        attempt[0] = () -> {
            if (!replica.writer().idle()) {
                node.node().vertx().setTimer(5, id -> replica.execute(attempt[0]));
                return;
            }
            List<Future<Object>> answers = new ArrayList<>();
            for (ProduceRequest r : requests) {
                Promise<Object> answer = Promise.promise();
                replica.call(r, answer);
                answers.add(answer.future());
            }
            queued.complete(answers);
        };
        replica.execute(attempt[0]);
        List<ProduceResponse> out = new ArrayList<>();
        for (Future<Object> f : queued.get(10, TimeUnit.SECONDS)) {
            out.add((ProduceResponse) f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
        }
        return out;
    }

    private static void assertInArrivalOrder(List<ProduceRequest> requests, List<ProduceResponse> answers, long from) {
        long expected = from;
        for (int i = 0; i < answers.size(); i++) {
            assertEquals(expected, answers.get(i).results().get(0).firstOffset(), "request " + i + " in arrival order");
            expected += requests.get(i).batches().get(0).recordCount();
        }
    }

    @Test
    void theSmallRequestsOfOneTurnAreAppendedWithOneWriteInArrivalOrder() throws Exception {
        PartitionVerticle replica = leaderOf("turn");
        TopicPartition tp = replica.topicPartition();
        List<ProduceRequest> requests = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            requests.add(i % 2 == 0 ? request(tp, "v" + i) : request(tp, "v" + i, "w" + i));
        }
        LogStats stats = replica.log().stats();
        long writes = stats.writes();
        long batches = stats.appendedBatches();

        List<ProduceResponse> answers = inOneTurn(replica, requests);

        assertEquals(1, stats.writes() - writes, "twenty requests of one turn, one write");
        assertEquals(20, stats.appendedBatches() - batches);
        assertInArrivalOrder(requests, answers, 0);
        assertEquals(30, replica.log().logEndOffset());
    }

    @Test
    void aCallFromThePartitionsOwnEventLoopIsHandledAtOnceButNeverAnsweredInsideTheCall() throws Exception {
        PartitionVerticle replica = leaderOf("turn-here");
        TopicPartition tp = replica.topicPartition();
        http.produce("turn-here", new io.vertx.core.json.JsonArray().add(new JsonObject().put("value", 1)));
        CompletableFuture<boolean[]> seen = new CompletableFuture<>();
        CompletableFuture<Object> answered = new CompletableFuture<>();
        replica.execute(() -> {
            // The caller's own context on the partition's loop, as an HTTP connection's can be.
            Promise<Object> answer = ((ContextInternal) node.node().vertx().getOrCreateContext())
                    .owner().contextBuilder().withEventLoop(((ContextInternal) Vertx.currentContext()).nettyEventLoop())
                    .build().promise();
            answer.future().onComplete(ar -> answered.complete(ar.succeeded() ? ar.result() : ar.cause()));
            long fetches = replica.consumerFetches();
            replica.call(FetchRequest.consumer(tp, 0, 1 << 20, 0), answer);
            // Handled before call returned (no task queued behind this one), while its answer,
            // ready at once, waits for a task: a consumer fetching again from its answer must not
            // recurse into the partition once per fetch.
            seen.complete(new boolean[]{replica.consumerFetches() == fetches + 1, answered.isDone()});
        });
        boolean[] atReturn = seen.get(10, TimeUnit.SECONDS);
        assertTrue(atReturn[0], "handled before call returned");
        assertFalse(atReturn[1], "the answer's listener ran inside the call");
        FetchResponse fetched = (FetchResponse) answered.get(10, TimeUnit.SECONDS);
        assertEquals(1, fetched.highWatermark());
        assertTrue(fetched.records().remaining() > 0, "the record stored before");
    }

    @Test
    void aTurnOverTheInlineLimitIsCutIntoWritesUnderItAndALargeRequestKeepsItsPlace() throws Exception {
        PartitionVerticle replica = leaderOf("turn-large");
        TopicPartition tp = replica.topicPartition();
        String value = "x".repeat(1200);
        List<ProduceRequest> six = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            six.add(request(tp, value, value)); // two records with ~1.2 KiB keys and values: ~4.9 KiB
        }
        LogStats stats = replica.log().stats();
        long writes = stats.writes();

        assertInArrivalOrder(six, inOneTurn(replica, six), 0);
        assertTrue(six.get(0).sizeInBytes() * 3 <= 16 * 1024 && six.get(0).sizeInBytes() * 4 > 16 * 1024,
                "request size " + six.get(0).sizeInBytes());
        // Three of ~4.9 KiB fit under the 16 KiB limit (sluice.partition.inline.append.max.bytes), four do not.
        assertEquals(2, stats.writes() - writes, "six requests, two writes of three");

        String[] twentyKib = new String[10];
        java.util.Arrays.fill(twentyKib, "x".repeat(1024));
        List<ProduceRequest> mixed = List.of(request(tp, "a"), request(tp, "b"), request(tp, twentyKib), request(tp, "c"));
        // The large one goes through the writer, after the two before it and before the one after it.
        assertTrue(mixed.get(2).sizeInBytes() > 16 * 1024, "request size " + mixed.get(2).sizeInBytes());
        assertInArrivalOrder(mixed, inOneTurn(replica, mixed), 12);
        assertEquals(12 + 13, replica.log().logEndOffset());
    }
}

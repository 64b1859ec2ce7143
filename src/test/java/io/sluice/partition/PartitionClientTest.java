package io.sluice.partition;

import io.sluice.bus.Acks;
import io.sluice.bus.BusCodecs;
import io.sluice.bus.ProduceRequest;
import io.sluice.bus.ProduceResponse;
import io.sluice.bus.ProduceResponse.BatchResult;
import io.sluice.bus.TopicPartition;
import io.sluice.cluster.ClusterMetadata;
import io.sluice.cluster.MetadataCache;
import io.sluice.cluster.PartitionAssignment;
import io.sluice.cluster.TopicMetadata;
import io.sluice.log.LogTestSupport;
import io.sluice.testing.Await;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The event bus drops a request that reaches a replica as it unregisters, without an answer: the
 * client must notice from the metadata that its target no longer leads and retry at the new
 * leader, instead of holding the request for its whole timeout (30 s here). The replicas are
 * plain bus endpoints on a real event bus, so that one can drop a request on purpose.
 */
class PartitionClientTest {
    private static final TopicPartition TP = new TopicPartition("moving", 0);

    private Vertx vertx;
    private MetadataCache cache;
    private PartitionClient client;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        BusCodecs.register(vertx.eventBus());
        cache = new MetadataCache(vertx);
        cache.apply(ledBy(1, "a"));
        client = new PartitionClient(vertx, cache);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static ClusterMetadata ledBy(long version, String leader) {
        PartitionAssignment pa = new PartitionAssignment(0, List.of("a", "b"), leader, (int) version, List.of("a", "b"));
        return new ClusterMetadata(1, version, Map.of(TP.topic(), new TopicMetadata(TP.topic(), "id", Map.of(), List.of(pa))));
    }

    private static ProduceResponse storedAt(long offset) {
        return new ProduceResponse(List.of(new BatchResult(offset, -1, null, null)));
    }

    private Future<ProduceResponse> produce() {
        return client.produce(new ProduceRequest(TP, List.of(LogTestSupport.batch(1, "x")), Acks.ALL, 30_000));
    }

    @Test
    void aRequestTheFormerLeaderDroppedIsRetriedAtTheNewLeaderLongBeforeItsTimeout() throws Exception {
        AtomicInteger droppedAtA = new AtomicInteger();
        vertx.eventBus().consumer(ReplicaEndpoint.address("a"), msg -> droppedAtA.incrementAndGet());
        vertx.eventBus().consumer(ReplicaEndpoint.address("b"), msg -> msg.reply(storedAt(7)));

        Future<ProduceResponse> answer = produce();
        Await.until("the request reached the leader a", Duration.ofSeconds(5), () -> droppedAtA.get() == 1);
        cache.apply(ledBy(2, "b"));

        // Well within the request's 30 s: the attempt at a was given up after the grace period.
        ProduceResponse r = answer.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(7, r.results().get(0).firstOffset());
    }

    @Test
    void anAnswerFromTheFormerLeaderWithinTheGraceCountsAndNothingIsSentAgain() throws Exception {
        AtomicInteger receivedByB = new AtomicInteger();
        AtomicInteger receivedByA = new AtomicInteger();
        vertx.eventBus().consumer(ReplicaEndpoint.address("a"), msg -> {
            receivedByA.incrementAndGet();
            // Written before the move; the answer is on its way when the metadata changes.
            vertx.setTimer(PartitionClient.MOVED_GRACE_MS / 10, id -> msg.reply(storedAt(3)));
        });
        vertx.eventBus().consumer(ReplicaEndpoint.address("b"), msg -> {
            receivedByB.incrementAndGet();
            msg.reply(storedAt(9));
        });

        Future<ProduceResponse> answer = produce();
        Await.until("the request reached the leader a", Duration.ofSeconds(5), () -> receivedByA.get() == 1);
        cache.apply(ledBy(2, "b"));

        ProduceResponse r = answer.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(3, r.results().get(0).firstOffset(), "the former leader's answer is the one that counts");
        assertEquals(0, receivedByB.get(), "the request was not sent again");
    }
}

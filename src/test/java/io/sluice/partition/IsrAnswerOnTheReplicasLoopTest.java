package io.sluice.partition;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.bus.BusCodecs;
import io.sluice.bus.TopicPartition;
import io.sluice.cluster.BrokerLease;
import io.sluice.cluster.ClusterMetadata;
import io.sluice.cluster.MetadataCache;
import io.sluice.cluster.PartitionAssignment;
import io.sluice.cluster.TopicMetadata;
import io.sluice.common.Clock;
import io.sluice.config.BrokerSettings;
import io.sluice.testing.Await;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The answer to a leader's ISR change may come back on any thread (the node's controller client
 * completed it on the thread that applied the new metadata version, before that wait was bound to
 * the caller's context). The leader handles it on its own loop all the same: a refused change is
 * forgotten there, so the leader asks again.
 */
class IsrAnswerOnTheReplicasLoopTest {
    private static final TopicPartition TP = new TopicPartition("isr", 0);

    @TempDir
    Path dataDir;
    private final Vertx vertx = Vertx.vertx();
    private LogManager logs;

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        if (logs != null) {
            logs.close();
        }
    }

    @Test
    void anIsrChangeAnsweredOnAnotherThreadIsHandledOnTheReplicasLoop() throws Exception {
        BusCodecs.register(vertx.eventBus());
        // n2 never fetches: after the lag time the leader asks to shrink the ISR to itself.
        BrokerSettings broker = BrokerSettings.defaults().with(Map.of("replica.lag.time.max.ms", "100"));
        logs = new LogManager(dataDir, broker, Clock.SYSTEM);
        MetadataCache cache = new MetadataCache(vertx);
        cache.apply(new ClusterMetadata(1, 1, Map.of(TP.topic(), new TopicMetadata(TP.topic(), "id", Map.of(),
                List.of(new PartitionAssignment(0, List.of("n1", "n2"), "n1", 1, List.of("n1", "n2")))))));
        LinkedBlockingQueue<Promise<Void>> asked = new LinkedBlockingQueue<>();
        IsrChanges controller = (tp, leader, epoch, isr) -> {
            Promise<Void> answer = Promise.promise();
            asked.add(answer);
            return answer.future();
        };
        ReplicaManager rm = new ReplicaManager("n1", logs, cache, broker, new SimpleMeterRegistry(),
                ReplicationSettings.of(broker, controller, BrokerLease.always()), Clock.SYSTEM);
        Await.result(vertx.deployVerticle(rm));
        Await.until("the replica leads", Duration.ofSeconds(30), () -> rm.local(TP) != null);

        Promise<Void> first = asked.poll(30, TimeUnit.SECONDS);
        assertNotNull(first, "the leader asks to shrink the ISR");
        onAnotherThread(() -> first.fail("refused"));
        // Refused: the leader forgets the change in flight and asks again at its next check.
        Promise<Void> second = asked.poll(30, TimeUnit.SECONDS);
        assertNotNull(second, "the leader asks again after a refusal");
        onAnotherThread(second::complete);
        assertEquals(List.of("n1", "n2"), Await.result(rm.local(TP).describe()).getJsonObject("leader_state")
                .getJsonArray("isr").getList(), "the committed ISR comes with the metadata, not with the answer");
    }

    /** Runs {@code task} on a thread of its own, as the thread that applies metadata would, and waits for it. */
    private static void onAnotherThread(Runnable task) throws InterruptedException {
        Thread t = new Thread(task, "metadata-applier");
        t.start();
        t.join();
    }
}

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
import io.sluice.testing.ProvokesConfinementViolations;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A partition replica's state is confined to its event loop, and that is checked: its package
 * methods, called from anywhere but its loop (rather than through {@link PartitionVerticle#execute}),
 * fail at once, naming the replica, its loop and the intruder; the doors meant for any thread
 * ({@code call}, {@code describe}, {@code execute}) hop to the loop and pass.
 */
class PartitionConfinementTest {
    private static final TopicPartition TP = new TopicPartition("confined", 0);
    private static final PartitionAssignment ASSIGNMENT = new PartitionAssignment(0, List.of("n1"), "n1", 1, List.of("n1"));

    @TempDir
    Path dataDir;
    private final Vertx vertx = Vertx.vertx();
    private LogManager logs;
    private PartitionVerticle replica;

    @BeforeEach
    void startTheReplica() throws Exception {
        BusCodecs.register(vertx.eventBus());
        BrokerSettings broker = BrokerSettings.defaults();
        logs = new LogManager(dataDir, broker, Clock.SYSTEM);
        MetadataCache cache = new MetadataCache(vertx);
        cache.apply(new ClusterMetadata(1, 1, Map.of(TP.topic(), new TopicMetadata(TP.topic(), "id", Map.of(),
                List.of(ASSIGNMENT)))));
        ReplicationSettings replication = ReplicationSettings.of(broker, (tp, leader, epoch, isr) -> Future.succeededFuture(),
                BrokerLease.always());
        ReplicaManager rm = new ReplicaManager("n1", logs, cache, broker, new SimpleMeterRegistry(), replication, Clock.SYSTEM);
        Await.result(vertx.deployVerticle(rm));
        Await.until("the replica leads", Duration.ofSeconds(30), rm::ready);
        replica = rm.local(TP);
    }

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        if (logs != null) {
            logs.close();
        }
    }

    @Test
    @ProvokesConfinementViolations
    void aStateChangeFromTheTestThreadFails() {
        String loop = Await.result(loopOf(replica));
        AssertionError e = assertThrows(AssertionError.class, () -> replica.applyAssignment(ASSIGNMENT));
        assertEquals("confinement violated: PartitionVerticle " + TP + " is confined to its event loop, thread '" + loop
                + "', but was entered on thread '" + Thread.currentThread().getName() + "'", e.getMessage());
        assertThrows(AssertionError.class, () -> replica.stepDown("a test"));
        assertThrows(AssertionError.class, replica::deleteOnStop);
    }

    @Test
    @ProvokesConfinementViolations
    void aStateChangeFromAWorkerThreadFails() {
        // Where blocking work continues: a worker is as foreign to the replica as any thread.
        Future<Object> fromWorker = vertx.executeBlocking(() -> {
            replica.stepDown("a worker");
            return null;
        });
        Throwable failure = assertThrows(Exception.class, () -> Await.result(fromWorker));
        AssertionError e = assertInstanceOf(AssertionError.class, failure.getCause());
        assertTrue(e.getMessage().contains("but was entered on thread 'vert.x-worker-thread-"), e.getMessage());
    }

    @Test
    void theDoorsForAnyThreadHopToTheReplicasLoop() {
        replica.execute(() -> replica.applyAssignment(ASSIGNMENT));
        assertEquals("leader", Await.result(replica.describe()).getString("role"));
    }

    /** The name of {@code replica}'s event-loop thread, asked on it. */
    private Future<String> loopOf(PartitionVerticle replica) {
        io.vertx.core.Promise<String> name = io.vertx.core.Promise.promise();
        replica.execute(() -> name.complete(Thread.currentThread().getName()));
        return name.future();
    }
}

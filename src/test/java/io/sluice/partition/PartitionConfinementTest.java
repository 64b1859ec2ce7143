package io.sluice.partition;

import io.sluice.bus.TopicPartition;
import io.sluice.cluster.PartitionAssignment;
import io.sluice.config.BrokerSettings;
import io.sluice.testing.Await;
import io.sluice.testing.ProvokesConfinementViolations;
import io.vertx.core.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

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
    private LocalReplicas node;
    private PartitionVerticle replica;

    @BeforeEach
    void startTheReplica() throws Exception {
        node = LocalReplicas.start(dataDir, BrokerSettings.defaults(), LocalReplicas.oneTopic(1, TP, Map.of(), ASSIGNMENT));
        replica = node.replica(TP);
    }

    @AfterEach
    void close() throws Exception {
        if (node != null) {
            node.close();
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
        Future<Object> fromWorker = node.vertx.executeBlocking(() -> {
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
        assertEquals("leader", Await.result(replica.describe()).role());
    }

    /** The name of {@code replica}'s event-loop thread, asked on it. */
    private Future<String> loopOf(PartitionVerticle replica) {
        io.vertx.core.Promise<String> name = io.vertx.core.Promise.promise();
        replica.execute(() -> name.complete(Thread.currentThread().getName()));
        return name.future();
    }
}

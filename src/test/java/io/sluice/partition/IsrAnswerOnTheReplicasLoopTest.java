package io.sluice.partition;

import io.sluice.bus.TopicPartition;
import io.sluice.cluster.PartitionAssignment;
import io.sluice.config.BrokerSettings;
import io.sluice.testing.Await;
import io.vertx.core.Promise;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
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
    private LocalReplicas node;

    @AfterEach
    void close() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void anIsrChangeAnsweredOnAnotherThreadIsHandledOnTheReplicasLoop() throws Exception {
        // n2 never fetches: after the lag time the leader asks to shrink the ISR to itself.
        BrokerSettings broker = BrokerSettings.defaults().with(Map.of("replica.lag.time.max.ms", "100"));
        LinkedBlockingQueue<Promise<Void>> asked = new LinkedBlockingQueue<>();
        IsrChanges controller = (tp, leader, epoch, isr) -> {
            Promise<Void> answer = Promise.promise();
            asked.add(answer);
            return answer.future();
        };
        node = LocalReplicas.start(dataDir, broker, controller, LocalReplicas.oneTopic(1, TP, Map.of(),
                new PartitionAssignment(0, List.of("n1", "n2"), "n1", 1, List.of("n1", "n2"))));
        ReplicaManager rm = node.manager;
        Promise<Void> first = asked.poll(30, TimeUnit.SECONDS);
        assertNotNull(first, "the leader asks to shrink the ISR");
        onAnotherThread(() -> first.fail("refused"));
        // Refused: the leader forgets the change in flight and asks again at its next check.
        Promise<Void> second = asked.poll(30, TimeUnit.SECONDS);
        assertNotNull(second, "the leader asks again after a refusal");
        onAnotherThread(second::complete);
        assertEquals(List.of("n1", "n2"), Await.result(rm.local(TP).describe()).leading().isr(), "the committed ISR comes with the metadata, not with the answer");
    }

    /** Runs {@code task} on a thread of its own, as the thread that applies metadata would, and waits for it. */
    private static void onAnotherThread(Runnable task) throws InterruptedException {
        Thread t = new Thread(task, "metadata-applier");
        t.start();
        t.join();
    }
}

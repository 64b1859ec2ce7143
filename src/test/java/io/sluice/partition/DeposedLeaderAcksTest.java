package io.sluice.partition;

import io.sluice.bus.Acks;
import io.sluice.bus.ProduceRequest;
import io.sluice.bus.TopicPartition;
import io.sluice.cluster.ClusterMetadata;
import io.sluice.cluster.PartitionAssignment;
import io.sluice.common.ErrorCode;
import io.sluice.record.RecordBatch;
import io.sluice.record.RecordBatchBuilder;
import io.sluice.common.SluiceException;
import io.sluice.config.BrokerSettings;
import io.sluice.log.LogTestSupport;
import io.sluice.testing.Await;
import io.vertx.core.Promise;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An acks=all write appended by a leader that stops leading before its followers have it is
 * answered NOT_ENOUGH_REPLICAS (written, not acknowledged), not NOT_LEADER: the node's partition
 * client retries NOT_LEADER at the new leader by itself, and where the new leader had replicated
 * the records already they were stored twice (a duplicate ClusterTest caught under load). An
 * idempotent producer's write is the exception: retried, it is stored once, so it gets NOT_LEADER.
 */
class DeposedLeaderAcksTest {
    private static final TopicPartition TP = new TopicPartition("deposed", 0);

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
    void aWriteWaitingForItsFollowersWhenTheLeaderIsDeposedIsNotRetriedAsNotLeader() throws Exception {
        assertEquals(ErrorCode.NOT_ENOUGH_REPLICAS, deposedWhileWaiting(LogTestSupport.batch(1, "w")));
    }

    @Test
    void anIdempotentProducersWriteIsAnsweredNotLeaderAndSoRetriedAtTheNewLeader() throws Exception {
        // Its sequence numbers make a copy the new leader already holds a duplicate, answered with its first offsets.
        RecordBatch idempotent = new RecordBatchBuilder().producer(7, (short) 0, 0)
                .append(1, null, "w".getBytes(java.nio.charset.StandardCharsets.UTF_8), List.of()).build();
        assertEquals(ErrorCode.NOT_LEADER, deposedWhileWaiting(idempotent));
    }

    /** The code an acks=all write of {@code batch} gets when its leader is deposed while it waits for n2. */
    private ErrorCode deposedWhileWaiting(RecordBatch batch) throws Exception {
        // n1 leads with n2 in the ISR; n2 never fetches, so an acks=all write waits.
        node = LocalReplicas.start(dataDir, BrokerSettings.defaults(), metadata(1, "n1", 3));
        PartitionVerticle replica = node.replica(TP);

        Promise<Object> answer = Promise.promise();
        replica.call(new ProduceRequest(TP, List.of(batch), Acks.ALL, 30_000), answer);
        Await.until("the write is in the log, waiting for n2", Duration.ofSeconds(10),
                () -> Await.result(replica.describe()).offsets().logEndOffset() == 1);
        assertFalse(answer.future().isComplete());

        node.cache.apply(metadata(2, "n2", 4));   // n2 leads now, in epoch 4
        Await.until("the write is answered", Duration.ofSeconds(10), () -> answer.future().isComplete());
        assertTrue(answer.future().failed());
        return assertInstanceOf(SluiceException.class, answer.future().cause()).code();
    }

    private static ClusterMetadata metadata(long version, String leader, int epoch) {
        return LocalReplicas.oneTopic(version, TP, Map.of("min.insync.replicas", "2"),
                new PartitionAssignment(0, List.of("n1", "n2"), leader, epoch, List.of("n1", "n2")));
    }
}

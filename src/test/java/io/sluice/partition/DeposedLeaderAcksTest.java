package io.sluice.partition;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.bus.Acks;
import io.sluice.bus.BusCodecs;
import io.sluice.bus.ProduceRequest;
import io.sluice.bus.TopicPartition;
import io.sluice.cluster.BrokerLease;
import io.sluice.cluster.ClusterMetadata;
import io.sluice.cluster.MetadataCache;
import io.sluice.cluster.PartitionAssignment;
import io.sluice.cluster.TopicMetadata;
import io.sluice.common.Clock;
import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.config.BrokerSettings;
import io.sluice.log.LogTestSupport;
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
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An acks=all write appended by a leader that stops leading before its followers have it is
 * answered NOT_ENOUGH_REPLICAS (written, not acknowledged), never NOT_LEADER: the node's partition
 * client retries NOT_LEADER at the new leader by itself, and where the new leader had replicated
 * the records already they were stored twice (a duplicate ClusterTest caught under load).
 */
class DeposedLeaderAcksTest {
    private static final TopicPartition TP = new TopicPartition("deposed", 0);

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
    void aWriteWaitingForItsFollowersWhenTheLeaderIsDeposedIsNotRetriedAsNotLeader() throws Exception {
        BusCodecs.register(vertx.eventBus());
        BrokerSettings broker = BrokerSettings.defaults();
        logs = new LogManager(dataDir, broker, Clock.SYSTEM);
        MetadataCache cache = new MetadataCache(vertx);
        // n1 leads with n2 in the ISR; n2 never fetches, so an acks=all write waits.
        cache.apply(metadata(1, "n1", 3));
        ReplicationSettings replication = ReplicationSettings.of(broker, (tp, leader, epoch, isr) -> Future.succeededFuture(),
                BrokerLease.always());
        ReplicaManager rm = new ReplicaManager("n1", logs, cache, broker, new SimpleMeterRegistry(), replication, Clock.SYSTEM);
        Await.result(vertx.deployVerticle(rm));
        Await.until("the replica leads", Duration.ofSeconds(30), rm::ready);
        PartitionVerticle replica = rm.local(TP);

        Promise<Object> answer = Promise.promise();
        replica.call(new ProduceRequest(TP, List.of(LogTestSupport.batch(1, "w")), Acks.ALL, 30_000), answer);
        Await.until("the write is in the log, waiting for n2", Duration.ofSeconds(10),
                () -> Await.result(replica.describe()).getLong("log_end_offset") == 1);
        assertFalse(answer.future().isComplete());

        cache.apply(metadata(2, "n2", 4));   // n2 leads now, in epoch 4
        Await.until("the write is answered", Duration.ofSeconds(10), () -> answer.future().isComplete());
        assertTrue(answer.future().failed());
        SluiceException e = assertInstanceOf(SluiceException.class, answer.future().cause());
        assertEquals(ErrorCode.NOT_ENOUGH_REPLICAS, e.code(), e.getMessage());
    }

    private static ClusterMetadata metadata(long version, String leader, int epoch) {
        return new ClusterMetadata(1, version, Map.of(TP.topic(), new TopicMetadata(TP.topic(), "id", Map.of("min.insync.replicas", "2"),
                List.of(new PartitionAssignment(0, List.of("n1", "n2"), leader, epoch, List.of("n1", "n2"))))));
    }
}

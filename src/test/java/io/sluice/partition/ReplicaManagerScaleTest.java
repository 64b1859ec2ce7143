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
import io.sluice.config.BrokerSettings;
import io.sluice.log.LogTestSupport;
import io.sluice.testing.Await;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node's replicas share one timer and one high-watermark checkpoint: the periodic work of
 * {@value #PARTITIONS} partitions costs the node a constant number of Vert.x timers, and their high
 * watermarks survive a stop in {@code replication-offset-checkpoint}, from which restarted replicas
 * take them.
 */
class ReplicaManagerScaleTest {
    private static final int PARTITIONS = 200;
    private static final String TOPIC = "many";

    @TempDir
    Path dataDir;
    private final Vertx vertx = Vertx.vertx();
    private final BrokerSettings broker = BrokerSettings.defaults()
            .with(Map.of("replica.high.watermark.checkpoint.interval.ms", "50"));
    private final List<LogManager> logManagers = new ArrayList<>();
    /** The deployment of the latest ReplicaManager. */
    private String deployment;

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        logManagers.forEach(LogManager::close);
    }

    @Test
    void manyReplicasShareOneTimerAndRestartFromTheirCheckpointedHighWatermarks() throws Exception {
        BusCodecs.register(vertx.eventBus());
        long timersBefore = probeTimerId();
        ReplicaManager first = startReplicas(ledBy("n1", 1));
        long timersAfter = probeTimerId();
        // Before: a retention, an ISR and a checkpoint timer per replica (600 here). Now one for all,
        // plus the few a node sets once (none of which grows with the partitions).
        assertTrue(timersAfter - timersBefore - 1 <= 5,
                "Vert.x timers set to start " + PARTITIONS + " replicas: " + (timersAfter - timersBefore - 1));
        assertEquals(PARTITIONS + 1, first.scheduler().size(),
                "a retention task per leader (an ISR of the leader alone needs no lag check), one checkpoint task");

        for (int p = 0; p < PARTITIONS; p++) {
            TopicPartition tp = new TopicPartition(TOPIC, p);
            Promise<Object> answered = Promise.promise();
            first.local(tp).call(new ProduceRequest(tp, List.of(LogTestSupport.batch(1, values(p % 7 + 1))), Acks.LEADER, 5_000),
                    answered);
            Await.result(answered.future());
        }
        Await.until("every high watermark at its log end", Duration.ofSeconds(10), () -> allHighWatermarksMatch(first));
        Path checkpoint = dataDir.resolve("logs").resolve(HighWatermarkCheckpoints.FILE_NAME);
        Await.until("the periodic checkpoint has every partition", Duration.ofSeconds(10), () -> checkpointHolds(checkpoint));
        // A follower joins the last partition's ISR: from then on its leader checks the follower's lag.
        PartitionVerticle last = first.local(new TopicPartition(TOPIC, PARTITIONS - 1));
        last.execute(() -> last.applyAssignment(new PartitionAssignment(PARTITIONS - 1, List.of("n1", "n2"), "n1", 1,
                List.of("n1", "n2"))));
        Await.until("an ISR lag check for the partition with a follower in its ISR", Duration.ofSeconds(5),
                () -> first.scheduler().size() == PARTITIONS + 2);

        Await.result(vertx.undeploy(deployment));
        logManagers.get(0).close();
        assertTrue(checkpointHolds(checkpoint));
        try (var files = Files.walk(dataDir.resolve("logs"))) {
            assertFalse(files.anyMatch(f -> f.getFileName().toString().equals(HighWatermarkCheckpoints.LEGACY_FILE)),
                    "no per-partition high-watermark file");
        }

        // Restarted as followers of a leader that never answers: nothing but the checkpoint can
        // give them their high watermarks.
        ReplicaManager second = startReplicas(ledBy("n2", 2));
        for (int p = 0; p < PARTITIONS; p++) {
            assertEquals(p % 7 + 1, second.local(new TopicPartition(TOPIC, p)).highWatermark(), "partition " + p);
        }
    }

    @Test
    void replicasStartAFewAtATimeSoThatNothingQueuesBehindThousandsOfStarts() throws Exception {
        BusCodecs.register(vertx.eventBus());
        ReplicaManager rm = startReplicas(ledBy("n1", 1), broker.with(Map.of("sluice.partition.start.concurrency", "4")));
        int peak = rm.peakStarting();
        assertTrue(peak >= 1 && peak <= 4, "at most 4 replicas starting at once, saw " + peak);
        for (int p = 0; p < PARTITIONS; p++) {
            assertTrue(rm.local(new TopicPartition(TOPIC, p)) != null, "partition " + p + " started");
        }
    }

    private ReplicaManager startReplicas(ClusterMetadata metadata) throws Exception {
        return startReplicas(metadata, broker);
    }

    private ReplicaManager startReplicas(ClusterMetadata metadata, BrokerSettings broker) throws Exception {
        LogManager logs = new LogManager(dataDir, broker, Clock.SYSTEM);
        logManagers.add(logs);
        MetadataCache cache = new MetadataCache(vertx);
        cache.apply(metadata);
        ReplicationSettings replication = ReplicationSettings.of(broker, (tp, leader, epoch, isr) -> Future.succeededFuture(),
                BrokerLease.always());
        ReplicaManager rm = new ReplicaManager("n1", logs, cache, broker, new SimpleMeterRegistry(), replication, Clock.SYSTEM);
        deployment = Await.result(vertx.deployVerticle(rm));
        Await.until("every replica up", Duration.ofSeconds(30), rm::ready);
        return rm;
    }

    private boolean allHighWatermarksMatch(ReplicaManager rm) {
        for (int p = 0; p < PARTITIONS; p++) {
            if (rm.local(new TopicPartition(TOPIC, p)).highWatermark() != p % 7 + 1) {
                return false;
            }
        }
        return true;
    }

    private static boolean checkpointHolds(Path file) {
        try {
            Map<TopicPartition, Long> read = new OffsetCheckpointFile(file).read();
            for (int p = 0; p < PARTITIONS; p++) {
                if (read.getOrDefault(new TopicPartition(TOPIC, p), -1L) != p % 7 + 1) {
                    return false;
                }
            }
            return read.size() == PARTITIONS;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static String[] values(int n) {
        String[] v = new String[n];
        for (int i = 0; i < n; i++) {
            v[i] = "v" + i;
        }
        return v;
    }

    private static ClusterMetadata ledBy(String leader, int epoch) {
        List<PartitionAssignment> parts = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            parts.add(new PartitionAssignment(p, List.of("n1", "n2"), leader, epoch, List.of("n1")));
        }
        return new ClusterMetadata(1, epoch, Map.of(TOPIC, new TopicMetadata(TOPIC, "topic-id", Map.of(), parts)));
    }

    private long probeTimerId() {
        long id = vertx.setTimer(60_000, t -> { });
        vertx.cancelTimer(id);
        return id;
    }
}

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
import io.vertx.core.Vertx;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The replicas of node {@code n1} in a Vert.x of their own, for tests of one partition's replica:
 * a real {@link ReplicaManager} over real logs in {@code dataDir}, fed metadata through a
 * {@link MetadataCache} the test controls, with a lease that never runs out. Started once every
 * replica it holds is up; closing it closes the Vert.x and the logs.
 */
final class LocalReplicas implements AutoCloseable {
    final Vertx vertx = Vertx.vertx();
    final MetadataCache cache = new MetadataCache(vertx);
    final ReplicaManager manager;
    private final LogManager logs;

    private LocalReplicas(Path dataDir, BrokerSettings broker, IsrChanges isrChanges, ClusterMetadata metadata) throws Exception {
        BusCodecs.register(vertx.eventBus());
        logs = new LogManager(dataDir, broker, Clock.SYSTEM);
        cache.apply(metadata);
        manager = new ReplicaManager("n1", logs, cache, broker, new SimpleMeterRegistry(),
                ReplicationSettings.of(broker, isrChanges, BrokerLease.always()), Clock.SYSTEM);
        Await.result(vertx.deployVerticle(manager));
        Await.until("the replicas are up", Duration.ofSeconds(30), manager::ready);
    }

    /** Node n1's replicas of {@code metadata}, whose ISR changes the controller grants at once. */
    static LocalReplicas start(Path dataDir, BrokerSettings broker, ClusterMetadata metadata) throws Exception {
        return start(dataDir, broker, (tp, leader, epoch, isr) -> Future.succeededFuture(), metadata);
    }

    static LocalReplicas start(Path dataDir, BrokerSettings broker, IsrChanges isrChanges, ClusterMetadata metadata)
            throws Exception {
        return new LocalReplicas(dataDir, broker, isrChanges, metadata);
    }

    /** Metadata version {@code version} holding one topic of one partition, placed as {@code pa}. */
    static ClusterMetadata oneTopic(long version, TopicPartition tp, Map<String, String> configs, PartitionAssignment pa) {
        return new ClusterMetadata(1, version, Map.of(tp.topic(), new TopicMetadata(tp.topic(), "id", configs, List.of(pa))));
    }

    PartitionVerticle replica(TopicPartition tp) {
        return manager.local(tp);
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        logs.close();
    }
}

package io.sluice.api;

import io.sluice.api.json.ProduceParser;
import io.sluice.cluster.ClusterMembership;
import io.sluice.cluster.ControllerClient;
import io.sluice.cluster.MetadataCache;
import io.sluice.common.Clock;
import io.sluice.config.BrokerSettings;
import io.sluice.metrics.SluiceMetrics;
import io.sluice.partition.PartitionClient;
import io.sluice.partition.ReplicaManager;
import io.sluice.produce.ProduceService;

/**
 * What the HTTP and WebSocket front ends use, shared by every server instance of the node. Every
 * member is thread-safe. {@code clock} is the node's; {@code security} its authenticators and access control;
 * {@code quotas} its client quotas; {@code registry} the schema registry as this node serves it; {@code schemas} validation and typed JSON over the node's schema
 * registry (null on a node built without one: the typed formats then answer 503).
 */
public record Api(io.vertx.core.Vertx vertx, String nodeId, BrokerSettings broker, MetadataCache metadata, PartitionClient partitions,
                  ProduceService produce, ControllerClient controller, ClusterMembership cluster, ReplicaManager replicas,
                  SluiceMetrics metrics, ProduceParser parser, io.sluice.group.GroupClient groups,
                  java.util.function.Supplier<io.sluice.cluster.QuorumStatus> quorum,
                  Clock clock, io.sluice.security.Security security, io.sluice.quota.Quotas quotas,
                  io.sluice.schema.registry.SchemaRegistry registry, io.sluice.schema.RecordSchemas schemas) {

    /** {@link #schemas}, or a 503 when this node was built without a schema registry. */
    public io.sluice.schema.RecordSchemas requireSchemas() {
        if (schemas == null) {
            throw new io.sluice.common.SluiceException(io.sluice.common.ErrorCode.UNAVAILABLE,
                    "this node serves no schema registry, which the typed formats need");
        }
        return schemas;
    }
}

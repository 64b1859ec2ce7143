package io.sluice.partition;

import io.sluice.bus.PartitionRequest;
import io.sluice.bus.TopicPartition;
import io.sluice.common.ErrorCode;
import io.sluice.bus.NodeDoor;
import io.vertx.core.eventbus.Message;

import java.util.function.Function;

/**
 * This node's one door on the clustered event bus for requests to its partition replicas
 * ({@link PartitionRequest}: produce, fetch, offsets, leader epoch) from other nodes: it looks up
 * the replica of the partition the request names and hands the request to it, on the replica's
 * context; a partition with no replica started here is answered with the retriable
 * {@code UNAVAILABLE}, as an address with no consumer was before.
 *
 * <p>Why one door per node rather than a bus address per replica: each clustered consumer is an
 * entry in Hazelcast's subscription map, written when the replica starts and removed when it
 * stops, and every other node resolves it on first use. At 10,000 partitions that is 10,000 map
 * writes before a node is ready, and as many lookups on each peer. Worse, when Hazelcast drops a
 * member, Vert.x can lose a survivor's registrations for seconds while it cleans up (vert.x issue
 * #4394): followers then found no leader for ~10 s after a failover. One registration, made when
 * the node starts and kept for its life, costs one write, and the followers' steady fetches keep
 * its address resolved on every peer.
 */
public final class ReplicaEndpoint extends NodeDoor {
    private final String nodeId;
    private final Function<TopicPartition, PartitionVerticle> replicas;

    /**
     * @param replicas the started replica of a partition on this node, or null (any thread)
     */
    public ReplicaEndpoint(String nodeId, Function<TopicPartition, PartitionVerticle> replicas) {
        super(address(nodeId));
        this.nodeId = nodeId;
        this.replicas = replicas;
    }

    /** The door of node {@code nodeId}'s partition replicas. */
    public static String address(String nodeId) {
        return "sluice.replicas." + nodeId;
    }

    @Override
    protected void handle(Message<Object> msg) {
        if (!(msg.body() instanceof PartitionRequest request)) {
            refuse(msg, "the replica door of node " + nodeId);
            return;
        }
        PartitionVerticle replica = replicas.apply(request.tp());
        if (replica == null) {
            msg.fail(ErrorCode.UNAVAILABLE.code(), request.tp() + " is not served on node " + nodeId + " right now");
            return;
        }
        replica.deliver(msg);
    }
}

package io.sluice.cluster;

import io.sluice.bus.BrokerHeartbeatRequest;
import io.sluice.bus.ControllerCommand;
import io.sluice.common.ErrorCode;
import io.sluice.common.Failures;
import io.sluice.common.SluiceException;
import io.sluice.bus.NodeDoor;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;

/**
 * This node's door on the clustered event bus ({@link #address}), registered once when the node
 * starts and kept for its whole life. It answers the reachability pings of every other member
 * ({@link BusReachability}) itself, and hands controller commands (a {@link ControllerCommand}) and broker
 * heartbeats (a {@link BrokerHeartbeatRequest}) to the {@link ControllerVerticle} that runs here,
 * which listens behind it on local addresses; while none does, the door answers the retriable
 * {@code UNAVAILABLE}.
 *
 * <p>Why one door, registered early, rather than consumers each controller registers for itself:
 * registering a clustered consumer writes Hazelcast's subscription map, and resolving an address
 * the node has not sent to before reads it; either waits when the map's partition is owned by the
 * very member that froze or was cut off, until Hazelcast evicts that member (its heartbeat timeout,
 * seconds). A controller elected in the meantime would hear no heartbeat and no command. The door
 * is registered while the cluster is whole, and every member's pings keep its address resolved on
 * every node (Vert.x caches the registrations of the addresses a node sends to, and keeps them up to
 * date), so a failover needs no Hazelcast operation at all.
 */
public final class NodeEndpoint extends NodeDoor {
    static final String PONG = "pong";

    private final String nodeId;
    private final long forwardTimeoutMs;
    private final Failures.Peer controllerHere;

    public NodeEndpoint(String nodeId, long forwardTimeoutMs) {
        super(address(nodeId));
        this.nodeId = nodeId;
        this.forwardTimeoutMs = forwardTimeoutMs;
        this.controllerHere = new Failures.Peer(ErrorCode.UNAVAILABLE, "no controller runs on node " + nodeId,
                "the controller on node " + nodeId + " did not answer");
    }

    /** The door of node {@code nodeId}: pings, controller commands and heartbeats. */
    public static String address(String nodeId) {
        return "sluice.node." + nodeId;
    }

    /** Where the controller running on {@code nodeId} takes commands (this JVM only). */
    static String localCommandAddress(String nodeId) {
        return "sluice.controller.local." + nodeId;
    }

    /** Where the controller running on {@code nodeId} takes heartbeats (this JVM only). */
    static String localHeartbeatAddress(String nodeId) {
        return "sluice.controller.local.heartbeat." + nodeId;
    }

    @Override
    protected void handle(Message<Object> msg) {
        Object body = msg.body();
        if (body instanceof BrokerHeartbeatRequest) {
            forward(msg, localHeartbeatAddress(nodeId));
        } else if (body instanceof ControllerCommand) {
            forward(msg, localCommandAddress(nodeId));
        } else if (body instanceof String) {
            msg.reply(PONG);
        } else {
            refuse(msg, "node " + nodeId);
        }
    }

    private void forward(Message<Object> msg, String local) {
        DeliveryOptions options = new DeliveryOptions().setLocalOnly(true).setSendTimeout(forwardTimeoutMs)
                .setHeaders(msg.headers());
        vertx.eventBus().request(local, msg.body(), options).onComplete(ar -> {
            if (ar.succeeded()) {
                msg.reply(ar.result().body(), new DeliveryOptions().setHeaders(ar.result().headers()));
            } else {
                SluiceException e = Failures.toSluice(ar.cause(), controllerHere);
                msg.fail(e.code().code(), e.getMessage());
            }
        });
    }
}

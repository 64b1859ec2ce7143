package io.sluice.bus;

import io.sluice.common.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;

/**
 * A node's door on the clustered event bus: one address per node and purpose, registered when
 * the node starts and kept for its whole life, behind which the door routes each message to
 * whatever serves it on this node. A clustered registration is a write to Hazelcast's
 * subscription map, and resolving it on another node a read; one long-lived door per node keeps
 * both out of failovers and starts (see {@code NodeEndpoint} and {@code ReplicaEndpoint}).
 */
public abstract class NodeDoor extends VerticleBase {
    private final String address;
    private MessageConsumer<Object> door;

    protected NodeDoor(String address) {
        this.address = address;
    }

    /**
     * Delivery to node {@code target}'s door from node {@code self}, within {@code timeoutMs}: a
     * node's own door is reached locally, with no cluster lookup.
     */
    public static DeliveryOptions deliveryTo(String target, String self, long timeoutMs) {
        return new DeliveryOptions().setSendTimeout(timeoutMs).setLocalOnly(target.equals(self));
    }

    @Override
    public final Future<?> start() {
        door = vertx.eventBus().consumer(address, this::handle);
        return door.completion();
    }

    @Override
    public final Future<?> stop() {
        return door.unregister();
    }

    /** Routes one message that reached the door (on the door's context). */
    protected abstract void handle(Message<Object> msg);

    /** Refuses a message this door takes no such body for ({@code BAD_REQUEST}). */
    protected static void refuse(Message<Object> msg, String who) {
        Object body = msg.body();
        msg.fail(ErrorCode.BAD_REQUEST.code(), who + " takes no " + (body == null ? "empty message" : body.getClass().getSimpleName()));
    }
}

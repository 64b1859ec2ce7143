package io.sluice.cluster;

import io.sluice.common.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * This node's doors to the controller on the clustered event bus: the command address and the
 * heartbeat address of the node, registered once when the node starts and kept for its whole
 * life. A {@link ControllerVerticle} that runs here later listens behind them on local addresses;
 * while none does, the doors answer the retriable {@code UNAVAILABLE}.
 *
 * <p>Why not let each controller register its own clustered consumers: a registration is a write
 * to Hazelcast's subscription map, whose partitions may be owned by the very member that froze or
 * was cut off. The write then waits until Hazelcast evicts that member (its heartbeat timeout,
 * seconds), and a controller elected in the meantime would hear no heartbeat and no command.
 * Registered while the cluster is whole, the doors make a failover need no Hazelcast write at all.
 */
public final class ControllerEndpoint extends VerticleBase {
    private final String nodeId;
    private final long forwardTimeoutMs;
    private MessageConsumer<Object> commands;
    private MessageConsumer<Object> heartbeats;

    public ControllerEndpoint(String nodeId, long forwardTimeoutMs) {
        this.nodeId = nodeId;
        this.forwardTimeoutMs = forwardTimeoutMs;
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
    public Future<?> start() {
        commands = vertx.eventBus().consumer(ControllerVerticle.address(nodeId),
                msg -> forward(msg, localCommandAddress(nodeId)));
        heartbeats = vertx.eventBus().consumer(ControllerVerticle.heartbeatAddress(nodeId),
                msg -> forward(msg, localHeartbeatAddress(nodeId)));
        return Future.all(commands.completion(), heartbeats.completion());
    }

    @Override
    public Future<?> stop() {
        return Future.join(commands.unregister(), heartbeats.unregister());
    }

    private void forward(Message<Object> msg, String local) {
        DeliveryOptions options = new DeliveryOptions().setLocalOnly(true).setSendTimeout(forwardTimeoutMs)
                .setHeaders(msg.headers());
        vertx.eventBus().request(local, msg.body(), options).onComplete(ar -> {
            if (ar.succeeded()) {
                msg.reply(ar.result().body(), new DeliveryOptions().setHeaders(ar.result().headers()));
            } else if (ar.cause() instanceof ReplyException re && re.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
                msg.fail(re.failureCode(), re.getMessage());
            } else if (ar.cause() instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS) {
                msg.fail(ErrorCode.UNAVAILABLE.code(), "no controller runs on node " + nodeId);
            } else {
                msg.fail(ErrorCode.REQUEST_TIMED_OUT.code(), "the controller on node " + nodeId + " did not answer");
            }
        });
    }
}

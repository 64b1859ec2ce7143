package io.sluice.cluster;

import io.sluice.bus.ErrorCode;
import io.sluice.bus.SluiceException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;

/**
 * Sends admin commands to the controller, wherever it runs, and completes once this node has
 * applied the resulting metadata version, so that a client sees its own change on the next
 * request to the same node.
 */
public final class ControllerClient {
    private static final long TIMEOUT_MS = 30_000;

    private static final long RETRY_BACKOFF_MS = 50;

    private final Vertx vertx;
    private final MetadataCache cache;
    private final ClusterMembership membership;

    public ControllerClient(Vertx vertx, MetadataCache cache, ClusterMembership membership) {
        this.vertx = vertx;
        this.cache = cache;
        this.membership = membership;
    }

    /** Runs {@code command} on the controller; completes with the new metadata version, applied here. */
    public Future<Long> execute(JsonObject command) {
        return request(command).compose(reply -> {
            long version = reply.getLong("version");
            return cache.awaitVersion(version, TIMEOUT_MS).map(version);
        });
    }

    /**
     * The controller's current metadata, for node {@code nodeId} that joins or restarts (which
     * also tells the controller that a node it saw shutting down is back).
     */
    public Future<ClusterMetadata> fetchMetadata(String nodeId) {
        return request(new JsonObject().put("op", "get_metadata").put("node", nodeId))
                .map(reply -> MetadataStore.fromJson(reply.getBuffer("metadata").getBytes()));
    }

    /** The controller's current metadata, for a node that found itself behind it. */
    public Future<ClusterMetadata> fetchMetadata() {
        return request(new JsonObject().put("op", "get_metadata"))
                .map(reply -> MetadataStore.fromJson(reply.getBuffer("metadata").getBytes()));
    }

    /**
     * Sends {@code command} to the current controller, retrying while there is none (one is
     * starting after the previous one left) until the timeout.
     */
    private Future<JsonObject> request(JsonObject command) {
        io.vertx.core.Promise<JsonObject> promise = io.vertx.core.Promise.promise();
        attempt(command, System.currentTimeMillis() + TIMEOUT_MS, promise);
        return promise.future();
    }

    private void attempt(JsonObject command, long deadline, io.vertx.core.Promise<JsonObject> promise) {
        String controller = membership.controllerId();
        vertx.eventBus().<JsonObject>request(ControllerVerticle.address(controller), command,
                new DeliveryOptions().setSendTimeout(Math.max(1, deadline - System.currentTimeMillis()))).onComplete(ar -> {
            if (ar.succeeded()) {
                promise.complete(ar.result().body());
                return;
            }
            SluiceException e = translate(ar.cause());
            if (e.code() == ErrorCode.UNAVAILABLE && System.currentTimeMillis() + RETRY_BACKOFF_MS < deadline) {
                vertx.setTimer(RETRY_BACKOFF_MS, id -> attempt(command, deadline, promise));
            } else {
                promise.fail(e);
            }
        });
    }

    private static SluiceException translate(Throwable e) {
        if (e instanceof ReplyException re && re.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
            return new SluiceException(ErrorCode.fromCode(re.failureCode()), re.getMessage());
        }
        if (e instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS) {
            return new SluiceException(ErrorCode.UNAVAILABLE, "no controller is available");
        }
        return new SluiceException(ErrorCode.REQUEST_TIMED_OUT, "the controller did not answer");
    }
}

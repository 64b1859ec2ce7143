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

    private final Vertx vertx;
    private final MetadataCache cache;

    public ControllerClient(Vertx vertx, MetadataCache cache) {
        this.vertx = vertx;
        this.cache = cache;
    }

    /** Runs {@code command} on the controller; completes with the new metadata version, applied here. */
    public Future<Long> execute(JsonObject command) {
        return request(command).compose(reply -> {
            long version = reply.getLong("version");
            return cache.awaitVersion(version, TIMEOUT_MS).map(version);
        });
    }

    /** The controller's current metadata (for a node that joins or restarts). */
    public Future<ClusterMetadata> fetchMetadata() {
        return request(new JsonObject().put("op", "get_metadata"))
                .map(reply -> MetadataStore.fromJson(reply.getBuffer("metadata").getBytes()));
    }

    private Future<JsonObject> request(JsonObject command) {
        return vertx.eventBus().<JsonObject>request(ControllerVerticle.ADDRESS, command,
                new DeliveryOptions().setSendTimeout(TIMEOUT_MS)).map(m -> m.body()).recover(e -> {
            if (e instanceof ReplyException re && re.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
                return Future.failedFuture(new SluiceException(ErrorCode.fromCode(re.failureCode()), re.getMessage()));
            }
            if (e instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS) {
                return Future.failedFuture(new SluiceException(ErrorCode.UNAVAILABLE, "no controller is available"));
            }
            return Future.failedFuture(new SluiceException(ErrorCode.REQUEST_TIMED_OUT, "the controller did not answer"));
        });
    }
}

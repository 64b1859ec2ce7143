package io.sluice.group;

import io.sluice.common.Monotonic;
import io.sluice.bus.ErrorCode;
import io.sluice.bus.SluiceException;
import io.sluice.cluster.ControllerClient;
import io.sluice.cluster.MetadataCache;
import io.sluice.cluster.PartitionAssignment;
import io.sluice.cluster.TopicMetadata;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;

/**
 * Reaches the coordinator of a group from any node: creates the offsets topic on first use,
 * finds the leader of the group's offsets partition, and sends the request to that node's
 * {@link GroupCoordinatorVerticle}, retrying while the coordinator moves or loads.
 */
public final class GroupClient {
    private static final long RETRY_FOR_MS = 30_000;
    private static final long BACKOFF_MS = 50;

    private final Vertx vertx;
    private final MetadataCache metadata;
    private final ControllerClient controller;

    public GroupClient(Vertx vertx, MetadataCache metadata, ControllerClient controller) {
        this.vertx = vertx;
        this.metadata = metadata;
        this.controller = controller;
    }

    /** Sends {@code request} (with {@code group} and {@code op} set) to the group's coordinator. */
    public Future<JsonObject> call(String group, JsonObject request) {
        request.put("group", group);
        return ensureOffsetsTopic().compose(v -> {
            Promise<JsonObject> promise = Promise.promise();
            attempt(group, request, Monotonic.millis() + RETRY_FOR_MS, promise);
            return promise.future();
        });
    }

    /** Sends {@code request} to the coordinator of node {@code nodeId} (listing its groups). */
    public Future<JsonObject> callNode(String nodeId, JsonObject request) {
        return vertx.eventBus().<JsonObject>request(GroupCoordinatorVerticle.address(nodeId), request,
                new DeliveryOptions().setSendTimeout(10_000)).map(m -> m.body());
    }

    public Future<Void> ensureOffsetsTopic() {
        if (metadata.current().topic(OffsetsTopic.NAME) != null) {
            return Future.succeededFuture();
        }
        return controller.execute(new JsonObject().put("op", "ensure_offsets_topic")).mapEmpty();
    }

    private void attempt(String group, JsonObject request, long deadline, Promise<JsonObject> promise) {
        TopicMetadata offsets = metadata.current().topic(OffsetsTopic.NAME);
        PartitionAssignment pa = offsets.partition(OffsetsTopic.partitionFor(group, offsets.partitionCount()));
        if (pa.leader() == null) {
            retry(group, request, deadline, promise, new SluiceException(ErrorCode.NOT_COORDINATOR, "group '" + group
                    + "' has no coordinator available"));
            return;
        }
        vertx.eventBus().<JsonObject>request(GroupCoordinatorVerticle.address(pa.leader()), request,
                new DeliveryOptions().setSendTimeout(15_000)).onComplete(ar -> {
            if (ar.succeeded()) {
                promise.complete(ar.result().body());
                return;
            }
            SluiceException e = translate(ar.cause());
            if (e.code() == ErrorCode.NOT_COORDINATOR || e.code() == ErrorCode.COORDINATOR_LOADING || e.code() == ErrorCode.UNAVAILABLE) {
                retry(group, request, deadline, promise, e);
            } else {
                promise.fail(e);
            }
        });
    }

    private void retry(String group, JsonObject request, long deadline, Promise<JsonObject> promise, SluiceException cause) {
        if (Monotonic.millis() + BACKOFF_MS > deadline) {
            promise.fail(cause);
            return;
        }
        vertx.setTimer(BACKOFF_MS, id -> attempt(group, request, deadline, promise));
    }

    static SluiceException translate(Throwable e) {
        if (e instanceof SluiceException se) {
            return se;
        }
        if (e instanceof ReplyException re) {
            if (re.failureType() == ReplyFailure.NO_HANDLERS) {
                return new SluiceException(ErrorCode.NOT_COORDINATOR, "the group coordinator is not reachable");
            }
            if (re.failureType() == ReplyFailure.TIMEOUT) {
                return new SluiceException(ErrorCode.REQUEST_TIMED_OUT, "the group coordinator did not answer");
            }
            return new SluiceException(ErrorCode.fromCode(re.failureCode()), re.getMessage());
        }
        return new SluiceException(ErrorCode.INTERNAL, String.valueOf(e.getMessage()));
    }
}

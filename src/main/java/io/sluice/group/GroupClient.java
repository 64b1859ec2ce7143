package io.sluice.group;

import io.sluice.bus.ControllerCommand;
import io.sluice.bus.GroupReply;
import io.sluice.bus.GroupReply.GroupListing;
import io.sluice.bus.GroupRequest;
import io.sluice.bus.GroupRequest.ListGroups;
import io.sluice.common.Clock;
import io.sluice.common.ErrorCode;
import io.sluice.common.Failures;
import io.sluice.common.RetryLoop;
import io.sluice.common.SluiceException;
import io.sluice.cluster.ControllerClient;
import io.sluice.cluster.MetadataCache;
import io.sluice.cluster.PartitionAssignment;
import io.sluice.cluster.TopicMetadata;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;

import java.util.EnumSet;

/**
 * Reaches the coordinator of a group from any node: creates the offsets topic on first use,
 * finds the leader of the group's offsets partition, and sends the {@link GroupRequest} to that
 * node's {@link GroupCoordinatorVerticle}, retrying while the coordinator moves or loads; the
 * answer is the request's own {@link GroupReply} type.
 */
public final class GroupClient {
    private static final long RETRY_FOR_MS = 30_000;
    private static final long BACKOFF_MS = 50;
    /** A coordinator that is not there has moved (or not started): the client looks it up again. */
    private static final Failures.Peer COORDINATOR = new Failures.Peer(ErrorCode.NOT_COORDINATOR,
            "the group coordinator is not reachable", "the group coordinator did not answer");

    private final Vertx vertx;
    private final MetadataCache metadata;
    private final ControllerClient controller;
    /** Retries while the coordinator moves (NOT_COORDINATOR), loads its offsets, or is not there. */
    private final RetryLoop retries;

    public GroupClient(Vertx vertx, MetadataCache metadata, ControllerClient controller, Clock clock) {
        this.vertx = vertx;
        this.metadata = metadata;
        this.controller = controller;
        this.retries = RetryLoop.on(vertx, clock, BACKOFF_MS,
                EnumSet.of(ErrorCode.NOT_COORDINATOR, ErrorCode.COORDINATOR_LOADING, ErrorCode.UNAVAILABLE));
    }

    /** Sends {@code request} to the coordinator of its group. */
    public <R extends GroupReply> Future<R> call(GroupRequest.ForGroup<R> request) {
        return ensureOffsetsTopic().compose(v -> retries.run(RETRY_FOR_MS, deadline -> attempt(request)));
    }

    /** The groups the coordinator of node {@code nodeId} holds. */
    public Future<GroupListing> listGroups(String nodeId) {
        return vertx.eventBus().<GroupListing>request(GroupCoordinatorVerticle.address(nodeId), new ListGroups(),
                new DeliveryOptions().setSendTimeout(10_000)).map(m -> m.body());
    }

    public Future<Void> ensureOffsetsTopic() {
        if (metadata.current().topic(OffsetsTopic.NAME) != null) {
            return Future.succeededFuture();
        }
        return controller.execute(new ControllerCommand.EnsureOffsetsTopic()).mapEmpty();
    }

    /** One send to the coordinator the metadata names now. */
    private <R extends GroupReply> Future<R> attempt(GroupRequest.ForGroup<R> request) {
        TopicMetadata offsets = metadata.current().topic(OffsetsTopic.NAME);
        PartitionAssignment pa = offsets.partition(OffsetsTopic.partitionFor(request.group(), offsets.partitionCount()));
        if (pa.leader() == null) {
            return Future.failedFuture(new SluiceException(ErrorCode.NOT_COORDINATOR, "group '" + request.group()
                    + "' has no coordinator available"));
        }
        // Stamped with the coordinator epoch it is meant for: a copy delivered late (held in a
        // connection to a node cut off, then retried elsewhere) is refused by a coordinator of
        // any other epoch instead of being applied after what was asked for since.
        GroupRequest<R> stamped = request.inCoordinatorEpoch(pa.leaderEpoch());
        // (The coordinator answers each request type with its own reply type: see GroupRequest.Handler.)
        return vertx.eventBus().<R>request(GroupCoordinatorVerticle.address(pa.leader()), stamped,
                        new DeliveryOptions().setSendTimeout(15_000))
                .transform(ar -> ar.succeeded() ? Future.succeededFuture(ar.result().body())
                        : Future.failedFuture(Failures.toSluice(ar.cause(), COORDINATOR)));
    }

}

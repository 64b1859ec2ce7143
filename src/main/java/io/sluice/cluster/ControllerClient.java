package io.sluice.cluster;

import io.sluice.bus.NodeDoor;
import io.sluice.bus.ControllerCommand;
import io.sluice.bus.ControllerReply;
import io.sluice.common.Clock;
import io.sluice.common.ErrorCode;
import io.sluice.common.Failures;
import io.sluice.common.RetryLoop;
import io.sluice.common.SluiceException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sends admin commands to the controller, wherever it runs (again to the next one if it leaves
 * the cluster before answering), and completes once this node has applied the resulting
 * metadata version, so that a client sees its own change on the next request to the same node.
 */
public final class ControllerClient {

    private static final long RETRY_BACKOFF_MS = 50;
    /**
     * No controller at the address is one starting after the last one left (retried); anything but
     * the controller's own answer means it did not answer.
     */
    private static final Failures.Peer CONTROLLER = new Failures.Peer(ErrorCode.UNAVAILABLE,
            "no controller is available", "the controller did not answer", true);
    /** How long a starting node waits for a controller (the voters may be starting too). */
    private static final long STARTUP_WAIT_MS = 120_000;

    private final Vertx vertx;
    /** How long a command may wait for a controller and its commit ({@code sluice.request.timeout.ms}). */
    private final long timeoutMs;
    private final MetadataCache cache;
    private final ClusterMembership membership;
    /** Sends waiting for an answer, each from the controller of its time. */
    private final Set<Attempt> inFlight = ConcurrentHashMap.newKeySet();
    /** Retries while there is no controller (one is starting after the last one left). */
    private final RetryLoop retries;
    /** Its monotonic time: the retries' deadlines, and what is left of them for a send. */
    private final Clock clock;

    public ControllerClient(Vertx vertx, MetadataCache cache, ClusterMembership membership, ControllerLocator locator,
                            long timeoutMs, Clock clock) {
        this.vertx = vertx;
        this.clock = clock;
        this.timeoutMs = timeoutMs;
        this.cache = cache;
        this.membership = membership;
        this.retries = RetryLoop.on(vertx, clock, RETRY_BACKOFF_MS, EnumSet.of(ErrorCode.UNAVAILABLE));
        membership.onChange(this::onMembershipChange);
        locator.onChange(this::onMembershipChange);
    }

    /**
     * Runs {@code command}, one that changes the metadata, on the controller; completes with the
     * new metadata version, applied here.
     */
    public Future<Long> execute(ControllerCommand command) {
        return request(command, timeoutMs).compose(reply -> {
            if (!(reply instanceof ControllerReply.Committed committed)) {
                return Future.failedFuture(unexpected(command, reply));
            }
            long version = committed.metadataVersion();
            return cache.awaitVersion(version, timeoutMs).map(version);
        });
    }

    /**
     * Deletes the ACLs {@code filters} match; completes with those deleted, once this node has
     * applied the change.
     */
    public Future<List<io.sluice.security.AclBinding>> deleteAcls(List<io.sluice.security.AclFilter> filters) {
        ControllerCommand command = new ControllerCommand.DeleteAcls(filters);
        return request(command, timeoutMs).compose(reply -> {
            if (!(reply instanceof ControllerReply.AclsDeleted deleted)) {
                return Future.failedFuture(unexpected(command, reply));
            }
            return cache.awaitVersion(deleted.metadataVersion(), timeoutMs).map(deleted.deleted());
        });
    }

    /**
     * Changes the quorum's voters ({@code id@host:port,...}); completes with the voters once Raft
     * committed them (a change in Raft's own log, no metadata version).
     */
    public Future<List<String>> setVoters(String voters) {
        return request(new ControllerCommand.SetVoters(voters), timeoutMs).compose(reply ->
                reply instanceof ControllerReply.VotersChanged changed ? Future.succeededFuture(changed.voters())
                        : Future.failedFuture(unexpected("SetVoters", reply)));
    }

    /**
     * The controller's current metadata, for node {@code nodeId} that joins or restarts (which
     * also tells the controller that a node it saw shutting down is back).
     */
    public Future<ClusterMetadata> fetchMetadata(String nodeId) {
        // At start a node may wait for the quorum itself to form: longer than any request.
        return fetchMetadata(new ControllerCommand.GetMetadata(nodeId), Math.max(timeoutMs, STARTUP_WAIT_MS));
    }

    /** The controller's current metadata, for a node that found itself behind it. */
    public Future<ClusterMetadata> fetchMetadata() {
        return fetchMetadata(new ControllerCommand.GetMetadata(null), timeoutMs);
    }

    private Future<ClusterMetadata> fetchMetadata(ControllerCommand.GetMetadata command, long timeoutMs) {
        return request(command, timeoutMs).compose(reply ->
                reply instanceof ControllerReply.MetadataImage image ? Future.succeededFuture(MetadataStore.fromJson(image.metadata()))
                        : Future.failedFuture(unexpected(command, reply)));
    }

    /** A controller that answers a command with another command's reply runs other code than this node: a bug, not a retry. */
    private static SluiceException unexpected(Object command, ControllerReply reply) {
        return new SluiceException(ErrorCode.INTERNAL, "the controller answered " + command + " with "
                + (reply == null ? "nothing" : reply.getClass().getSimpleName()));
    }

    /**
     * Sends {@code command} to the current controller, retrying while there is none (one is
     * starting after the previous one left) for {@code timeoutMs}.
     */
    private Future<ControllerReply> request(ControllerCommand command, long timeoutMs) {
        Context context = vertx.getOrCreateContext();
        return retries.run(timeoutMs, deadline -> attempt(command, deadline, context));
    }

    /** One send to the controller of the moment; fails UNAVAILABLE (retried) when abandoned. */
    private Future<ControllerReply> attempt(ControllerCommand command, long deadline, Context context) {
        String controller = membership.controllerId();
        Attempt a = new Attempt(controller == null ? "" : controller, context, Promise.promise());
        inFlight.add(a);
        if (!a.controller.equals(membership.controllerId())) {
            // (No controller, or it left between choosing it and registering this attempt, after
            // the membership listener ran.)
            abandon(a);
            return a.promise.future();
        }
        vertx.eventBus().<ControllerReply>request(NodeEndpoint.address(a.controller), command,
                NodeDoor.deliveryTo(a.controller, membership.nodeId(), Math.max(1, deadline - clock.monotonicMillis()))).onComplete(ar -> {
            if (!inFlight.remove(a)) {
                return; // abandoned: sent again to the next controller
            }
            if (ar.succeeded()) {
                a.promise.complete(ar.result().body());
            } else {
                a.promise.fail(Failures.toSluice(ar.cause(), CONTROLLER));
            }
        });
        return a.promise.future();
    }

    /**
     * The controller an attempt went to left the cluster or lost its leadership: it will not answer, and the bus would
     * only give up at the deadline. The command goes to the next controller, which holds what
     * the last one committed (Kafka's controller channel resends to the new controller too). An
     * ISR change carries the leader epoch it was made in, and one already committed is committed
     * again as it is. A topic creation whose first send was committed answers 409
     * {@code TOPIC_EXISTS}, as a retried CreateTopics does in Kafka.
     */
    private void onMembershipChange() {
        String controller = membership.controllerId();
        List<String> live = membership.ids();
        for (Attempt a : inFlight) {
            if (!a.controller.equals(controller) || !live.contains(a.controller)) {
                a.context.runOnContext(v -> abandon(a));
            }
        }
    }

    private void abandon(Attempt a) {
        if (inFlight.remove(a)) {
            a.promise.fail(new SluiceException(ErrorCode.UNAVAILABLE, "controller " + a.controller + " left the cluster"));
        }
    }

    /** One send of a command to one controller (a set member by identity). */
    private static final class Attempt {
        final String controller;
        final Context context;
        final Promise<ControllerReply> promise;

        Attempt(String controller, Context context, Promise<ControllerReply> promise) {
            this.controller = controller;
            this.context = context;
            this.promise = promise;
        }
    }
}

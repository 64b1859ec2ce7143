package io.sluice.cluster;

import io.sluice.bus.NodeDoor;
import io.sluice.bus.BrokerHeartbeatRequest;
import io.sluice.bus.BrokerHeartbeatResponse;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

import java.util.function.LongSupplier;

/**
 * Keeps this broker's {@link BrokerLease}: every {@code broker.heartbeat.interval.ms} it sends a
 * heartbeat to the controller it follows, and a granted answer extends the lease to the heartbeat's
 * <em>sending</em> time plus four fifths of {@code broker.session.timeout.ms}. The controller
 * fences the broker a whole session after it <em>received</em> the last heartbeat, so the lease
 * always ends first. A grant counts only once this node holds the metadata version the controller
 * answered with: a leader that was deposed while it was paused or cut off learns so before it
 * acts as leader again. Nor does it renew while {@link BusReachability} has not verified, since the
 * node started or merged back after a split, that it reaches every member.
 */
public final class BrokerHeartbeater extends VerticleBase {
    private static final System.Logger LOG = System.getLogger(BrokerHeartbeater.class.getName());

    private final String nodeId;
    private final long incarnation;
    /** Whether this start followed an unclean shutdown (see {@link #uncleanStartPending}). */
    private final boolean uncleanStart;
    private final ControllerLocator locator;
    private final MetadataCache cache;
    private final BrokerLease lease;
    private final long intervalMs;
    private final long leaseNanos;
    private final LongSupplier nanoClock;
    private final java.util.function.BooleanSupplier reachable;
    private long timer = -1;
    private boolean inFlight;
    private boolean granted;
    private final io.vertx.core.Promise<Void> firstLease = io.vertx.core.Promise.promise();

    public BrokerHeartbeater(String nodeId, long incarnation, boolean uncleanStart, ControllerLocator locator, MetadataCache cache,
                             BrokerLease lease, long intervalMs, long sessionTimeoutMs, LongSupplier nanoClock,
                             java.util.function.BooleanSupplier reachable) {
        this.reachable = reachable;
        this.nodeId = nodeId;
        this.incarnation = incarnation;
        this.uncleanStart = uncleanStart;
        this.locator = locator;
        this.cache = cache;
        this.lease = lease;
        this.intervalMs = intervalMs;
        this.leaseNanos = sessionTimeoutMs * 1_000_000 / 5 * 4;
        this.nanoClock = nanoClock;
    }

    @Override
    public Future<?> start() {
        timer = vertx.setPeriodic(0, intervalMs, id -> beat());
        // A controller found (or a new one elected) is asked at once, not at the next tick.
        locator.onChange(() -> context.runOnContext(v -> beat()));
        return Future.succeededFuture();
    }

    /** Completes when this start of the node first holds a lease. */
    public Future<Void> firstLease() {
        return firstLease.future();
    }

    private boolean stopped;

    @Override
    public Future<?> stop() {
        stopped = true;
        vertx.cancelTimer(timer);
        lease.revoke();
        return Future.succeededFuture();
    }

    private void beat() {
        String controller = locator.controllerId();
        if (inFlight || controller == null || stopped || !reachable.getAsBoolean()) {
            // (After a merge: not before every member's addresses are reachable again.)
            return;
        }
        inFlight = true;
        long sentNanos = nanoClock.getAsLong();
        vertx.eventBus().<BrokerHeartbeatResponse>request(NodeEndpoint.address(controller),
                new BrokerHeartbeatRequest(nodeId, incarnation, uncleanStartPending()),
                NodeDoor.deliveryTo(controller, nodeId, Math.max(100, 2 * intervalMs))).onComplete(ar -> {
            inFlight = false;
            if (ar.failed()) {
                return;
            }
            BrokerHeartbeatResponse r = ar.result().body();
            if (!r.leaseGranted() || !locator.observe(controller, r.controllerEpoch())) {
                return;
            }
            long until = sentNanos + leaseNanos;
            if (cache.current().version() >= r.metadataVersion()) {
                extend(until);
            } else {
                long leftMs = (until - nanoClock.getAsLong()) / 1_000_000;
                if (leftMs > 0) {
                    cache.awaitVersion(r.metadataVersion(), leftMs).onSuccess(v -> extend(until));
                }
            }
        });
    }

    /**
     * Whether heartbeats still say that this start was unclean: until the first lease. A controller
     * grants a lease to an unclean start only once it has committed the start's fencing (out of
     * every shared ISR, leaderships moved) to the quorum, so from then on the fencing is part of the
     * metadata every later controller inherits, and the node has rejoined ISRs only by catching up.
     * Saying it again would make the next controller (after a failover) fence the node again: a
     * node whose log is whole would be taken out of ISRs in favour of replicas that lost records.
     */
    boolean uncleanStartPending() {
        return uncleanStart && !granted;
    }

    private void extend(long untilNanos) {
        lease.extendTo(untilNanos);
        if (!granted) {
            granted = true;
            LOG.log(System.Logger.Level.INFO, "node " + nodeId + " holds a lease from controller " + locator.controllerId());
            firstLease.tryComplete();
        }
    }
}

package io.sluice.cluster;

import io.sluice.bus.BrokerHeartbeatRequest;
import io.sluice.bus.BrokerHeartbeatResponse;
import io.sluice.common.Clock;
import io.sluice.common.Confinement;
import io.sluice.quorum.MetadataQuorum;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The controller's side of broker leases: answers the heartbeats that reach
 * this node's {@link NodeEndpoint}, grants a lease only within {@link #grantWindowNanos}
 * of the start of the last round in which a majority of the voters confirmed this controller's
 * leadership (so a controller cut off from the majority stops granting at once), keeps the
 * {@link BrokerRegistry}, and tells the controller when the live set changes, a broker comes back,
 * or one starts after an unclean shutdown. Confined to the controller's event loop: the heartbeats,
 * the timer, the quorum's answers and the controller's calls are checked ({@link Confinement}).
 */
final class BrokerSessions {
    /** What the controller does about what the sessions show. */
    interface Events {
        /** The live set may have changed (a session ran out, a broker came back). */
        void liveChanged();

        /** {@code node} started after an unclean shutdown: fence it from the ISRs, then {@link #uncleanHandled}. */
        void uncleanStart(String node, long incarnation);
    }

    private final Vertx vertx;
    private final Context context;
    private final Confinement confinement;
    private final MetadataQuorum quorum;
    /** Its monotonic time times sessions and the grant window. */
    private final Clock clock;
    private final Supplier<ClusterMetadata> metadata;
    private final Events events;
    private final long intervalMs;
    private final long grantWindowNanos;
    private final BrokerRegistry registry;
    /** Unclean starts being acted on, by node: their incarnation. */
    private final Map<String, Long> uncleanPending = new HashMap<>();
    private MessageConsumer<BrokerHeartbeatRequest> heartbeats;
    private long timer = -1;
    private long confirmedAtNanos;
    private boolean confirmed;
    private boolean confirming;
    private boolean granting;
    private boolean stopped;
    private Set<String> lastLive = Set.of();
    private Supplier<Set<String>> known = Set::of;

    BrokerSessions(Vertx vertx, Context context, Confinement confinement, MetadataQuorum quorum, long heartbeatIntervalMs,
                   long sessionTimeoutMs, Clock clock, Supplier<ClusterMetadata> metadata, Events events) {
        this.clock = clock;
        this.vertx = vertx;
        this.context = context;
        this.confinement = confinement;
        this.quorum = quorum;
        this.metadata = metadata;
        this.events = events;
        this.intervalMs = heartbeatIntervalMs;
        // A lease is granted for at most this long after the confirmation it relies on began.
        this.grantWindowNanos = 2 * heartbeatIntervalMs * 1_000_000;
        this.registry = new BrokerRegistry(sessionTimeoutMs, clock.monotonicNanos(), grantWindowNanos);
    }

    /** Starts answering heartbeats at {@code address}; {@code knownNodes} are the nodes to judge. */
    Future<Void> start(String address, Supplier<Set<String>> knownNodes) {
        confinement.check();
        this.known = knownNodes;
        heartbeats = vertx.eventBus().localConsumer(address, this::onHeartbeat);
        timer = vertx.setPeriodic(intervalMs, id -> {
            confinement.check();
            confirmLeadership();
            checkLiveness();
        });
        confirmLeadership();
        return heartbeats.completion();
    }

    /** From now on leases may be granted (the controller's epoch is committed). */
    void grant() {
        confinement.check();
        granting = true;
    }

    Future<Void> stop() {
        confinement.check();
        stopped = true;
        vertx.cancelTimer(timer);
        return heartbeats == null ? Future.succeededFuture() : heartbeats.unregister();
    }

    /** Whether this controller's leadership was confirmed by a majority lately enough to decide. */
    boolean confirmedLately() {
        confinement.check();
        return granting && !stopped && confirmed && clock.monotonicNanos() - confirmedAtNanos <= grantWindowNanos;
    }

    /** Brokers whose sessions run, among the known nodes and every broker heard from. */
    Set<String> live() {
        confinement.check();
        return registry.live(known.get(), clock.monotonicNanos());
    }

    /** Whether {@code node} heartbeated to this controller within a session (see {@link BrokerRegistry#heardFrom}). */
    boolean heardFrom(String node) {
        confinement.check();
        return registry.heardFrom(node, clock.monotonicNanos());
    }

    /** The controller acted (or failed to act) on {@code node}'s unclean start. */
    void uncleanHandled(String node, long incarnation, boolean done) {
        confinement.check();
        uncleanPending.remove(node);
        if (done) {
            registry.registered(node, incarnation);
        }
    }

    private void confirmLeadership() {
        if (confirming || stopped) {
            return;
        }
        confirming = true;
        long started = clock.monotonicNanos();
        Future.fromCompletionStage(quorum.confirmLeadership(), context).onComplete(ar -> {
            confinement.check();
            confirming = false;
            if (ar.succeeded()) {
                confirmedAtNanos = started;
                confirmed = true;
            }
        });
    }

    private void onHeartbeat(Message<BrokerHeartbeatRequest> msg) {
        confinement.check();
        BrokerHeartbeatRequest hb = msg.body();
        BrokerRegistry.Outcome outcome = registry.heartbeat(hb.nodeId(), hb.incarnation(), hb.uncleanStart(), clock.monotonicNanos());
        if (outcome == BrokerRegistry.Outcome.UNCLEAN_START && !Long.valueOf(hb.incarnation()).equals(uncleanPending.get(hb.nodeId()))) {
            uncleanPending.put(hb.nodeId(), hb.incarnation());
            events.uncleanStart(hb.nodeId(), hb.incarnation());
        } else if (outcome == BrokerRegistry.Outcome.CAME_BACK) {
            events.liveChanged();
        }
        boolean grant = confirmedLately() && registry.mayLead(hb.nodeId(), hb.incarnation());
        ClusterMetadata m = metadata.get();
        msg.reply(new BrokerHeartbeatResponse(m.controllerEpoch(), m.version(), grant));
    }

    private void checkLiveness() {
        if (!granting || stopped) {
            return;
        }
        Set<String> live = live();
        if (!live.equals(lastLive)) {
            lastLive = live;
            events.liveChanged();
        }
    }
}

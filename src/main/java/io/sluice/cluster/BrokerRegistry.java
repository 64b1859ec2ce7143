package io.sluice.cluster;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The controller's record of broker sessions (KRaft's BrokerHeartbeatManager): when it last heard
 * each broker, and which start (incarnation) of it. A broker is live while its session runs:
 * {@code broker.session.timeout.ms} from its last heartbeat, on the monotonic clock. A controller
 * that has just taken over counts every broker as heard at its own start plus the previous
 * controller's grant window, so that no lease a deposed controller granted is still running when
 * it moves a leadership.
 *
 * <p>Plain state, used on the controller's context.
 */
final class BrokerRegistry {
    /** One broker's session. */
    private static final class Session {
        long lastHeartbeatNanos;
        long incarnation;
        /** The incarnation whose unclean start the controller has acted on (fenced from the ISRs). */
        long registeredIncarnation = Long.MIN_VALUE;
        boolean uncleanStart;
    }

    /** What a heartbeat tells the controller. */
    enum Outcome {
        /** Nothing new. */
        RENEWED,
        /** The broker was not live before: it may need replicas, and may rejoin ISRs. */
        CAME_BACK,
        /** A start after an unclean shutdown that the controller has not acted on yet. */
        UNCLEAN_START
    }

    private final long sessionNanos;
    private final long graceStartNanos;
    private final Map<String, Session> sessions = new HashMap<>();

    /**
     * @param startNanos         when this controller took over
     * @param grantWindowNanos   how long after its last confirmation a controller still grants leases
     */
    BrokerRegistry(long sessionMs, long startNanos, long grantWindowNanos) {
        this.sessionNanos = sessionMs * 1_000_000;
        this.graceStartNanos = startNanos + grantWindowNanos;
    }

    Outcome heartbeat(String node, long incarnation, boolean uncleanStart, long now) {
        Session s = sessions.get(node);
        boolean wasLive = s != null && live(node, now);
        if (s == null) {
            s = new Session();
            sessions.put(node, s);
        }
        // (A broker stops saying "unclean" once a controller granted it a lease: the fencing is in
        // the metadata log by then, and a controller that takes over must not do it again.)
        s.incarnation = incarnation;
        s.uncleanStart = uncleanStart;
        s.lastHeartbeatNanos = now;
        if (s.uncleanStart && s.registeredIncarnation != incarnation) {
            return Outcome.UNCLEAN_START;
        }
        return wasLive ? Outcome.RENEWED : Outcome.CAME_BACK;
    }

    /** The controller acted on {@code incarnation}'s unclean start. */
    void registered(String node, long incarnation) {
        Session s = sessions.get(node);
        if (s != null) {
            s.registeredIncarnation = incarnation;
        }
    }

    /** Whether {@code node}'s current start may hold a lease (its unclean start, if any, acted on). */
    boolean mayLead(String node, long incarnation) {
        Session s = sessions.get(node);
        return s != null && s.incarnation == incarnation && (!s.uncleanStart || s.registeredIncarnation == incarnation);
    }

    /**
     * Whether {@code node} itself heartbeated to this controller within a session: what joining an
     * ISR takes (KIP-841's rule that a fenced broker cannot join one). Being {@link #live} is not
     * enough: a controller that has just taken over counts every broker live for a grace period,
     * including one that left in a controlled shutdown its predecessor knew of and it does not.
     */
    boolean heardFrom(String node, long now) {
        Session s = sessions.get(node);
        return s != null && now - s.lastHeartbeatNanos <= sessionNanos;
    }

    boolean live(String node, long now) {
        Session s = sessions.get(node);
        long last = s == null ? graceStartNanos : Math.max(s.lastHeartbeatNanos, graceStartNanos);
        return now - last <= sessionNanos;
    }

    /** The live ones among {@code nodes} and every broker heard from. */
    Set<String> live(Collection<String> nodes, long now) {
        Set<String> out = new TreeSet<>();
        for (String n : nodes) {
            if (live(n, now)) {
                out.add(n);
            }
        }
        for (String n : sessions.keySet()) {
            if (live(n, now)) {
                out.add(n);
            }
        }
        return out;
    }
}

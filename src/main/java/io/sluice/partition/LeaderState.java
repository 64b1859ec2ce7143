package io.sluice.partition;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a partition leader knows of its followers in one leader epoch: how far each has fetched
 * and when it last caught up, the ISR the controller committed and the change to it in flight.
 * The high watermark is the smallest log end over the <em>maximal</em> ISR (the committed one plus
 * a pending addition; a pending removal still counts), so an acknowledged record is always on
 * every replica of the committed ISR, from which the next leader is elected (Kafka's KIP-497).
 *
 * <p>Plain state, confined to the partition's event loop: it has no way in of its own, and the
 * partition checks its own ({@link io.sluice.common.Confinement}).
 */
final class LeaderState {
    /** One follower's progress, updated on each of its fetches (Kafka's rule for "caught up"). */
    static final class Follower {
        long logEndOffset = -1;
        long lastCaughtUpMs;
        long lastFetchMs;
        long lastFetchLeaderEnd = -1;
    }

    private final String self;
    final int epoch;
    /** The leader's log end when it took over: a follower must reach it to join the ISR. */
    final long epochStartOffset;
    private List<String> replicas;
    private List<String> committedIsr;
    private List<String> pendingIsr;
    private final Map<String, Follower> followers = new HashMap<>();

    LeaderState(String self, int epoch, long epochStartOffset, List<String> replicas, List<String> isr, long now) {
        this.self = self;
        this.epoch = epoch;
        this.epochStartOffset = epochStartOffset;
        update(replicas, isr, now);
    }

    /** The controller's view of replicas and committed ISR (same epoch). */
    void update(List<String> newReplicas, List<String> newIsr, long now) {
        List<String> before = committedIsr;
        replicas = List.copyOf(newReplicas);
        committedIsr = List.copyOf(newIsr);
        // Any newly committed ISR answers the change in flight: the controller may have committed
        // it as asked, or transformed it (a reassignment completing drops the replicas it moved off).
        if (pendingIsr != null && (pendingIsr.equals(committedIsr) || !committedIsr.equals(before))) {
            pendingIsr = null;
        }
        for (String r : replicas) {
            if (!r.equals(self)) {
                // A replica is given the lag window from the moment this leader knows it.
                followers.computeIfAbsent(r, id -> {
                    Follower f = new Follower();
                    f.lastCaughtUpMs = now;
                    return f;
                });
            }
        }
        followers.keySet().retainAll(replicas);
    }

    /** The ISR, the change in flight and each follower's progress, for diagnostics. */
    ReplicaStatus.Leading describe(long now) {
        List<ReplicaStatus.FollowerProgress> out = new ArrayList<>(followers.size());
        followers.forEach((node, f) -> out.add(new ReplicaStatus.FollowerProgress(node, f.logEndOffset,
                f.lastFetchMs == 0 ? null : now - f.lastFetchMs, now - f.lastCaughtUpMs)));
        return new ReplicaStatus.Leading(epochStartOffset, committedIsr, pendingIsr, out);
    }

    boolean isReplica(String node) {
        return followers.containsKey(node);
    }

    List<String> committedIsr() {
        return committedIsr;
    }

    boolean changePending() {
        return pendingIsr != null;
    }

    void pending(List<String> isr) {
        pendingIsr = isr == null ? null : List.copyOf(isr);
    }

    /** Records a follower fetch from {@code fetchOffset}; {@code leaderEnd} is the leader's log end now. */
    void onFetch(String node, long fetchOffset, long leaderEnd, long now) {
        Follower f = followers.get(node);
        if (f == null) {
            return;
        }
        if (fetchOffset >= leaderEnd) {
            f.lastCaughtUpMs = Math.max(f.lastCaughtUpMs, now);
        } else if (fetchOffset >= f.lastFetchLeaderEnd) {
            f.lastCaughtUpMs = Math.max(f.lastCaughtUpMs, f.lastFetchMs);
        }
        f.logEndOffset = fetchOffset;
        f.lastFetchLeaderEnd = leaderEnd;
        f.lastFetchMs = now;
    }

    /** The ISR the high watermark is computed over. */
    Set<String> maximalIsr() {
        Set<String> out = new LinkedHashSet<>(committedIsr);
        if (pendingIsr != null) {
            out.addAll(pendingIsr);
        }
        return out;
    }

    long highWatermark(long leaderEnd) {
        long hw = leaderEnd;
        for (String r : maximalIsr()) {
            if (r.equals(self)) {
                continue;
            }
            Follower f = followers.get(r);
            if (f != null) {
                // (A pending ISR can name a node the controller has since removed from the replicas.)
                hw = Math.min(hw, f.logEndOffset);
            }
        }
        return hw;
    }

    /**
     * A larger ISR if {@code node}, which just fetched, is outside it and has caught up (to the
     * high watermark and to this leader's first offset), or null. Only a fetching follower can
     * join: one that stopped cannot be added back on old progress.
     */
    List<String> isrToExpand(String node, long highWatermark) {
        Follower f = followers.get(node);
        if (pendingIsr != null || f == null || committedIsr.contains(node)) {
            return null;
        }
        if (f.logEndOffset >= highWatermark && f.logEndOffset >= epochStartOffset) {
            List<String> next = new ArrayList<>(committedIsr);
            next.add(node);
            return next;
        }
        return null;
    }

    /** A smaller ISR if followers in it have not caught up for {@code lagMs}, or null. */
    List<String> isrToShrink(long now, long lagMs) {
        if (pendingIsr != null) {
            return null;
        }
        List<String> next = new ArrayList<>();
        for (String r : committedIsr) {
            Follower f = followers.get(r);
            if (r.equals(self) || f == null || now - f.lastCaughtUpMs <= lagMs) {
                next.add(r);
            }
        }
        return next.size() == committedIsr.size() ? null : next;
    }
}

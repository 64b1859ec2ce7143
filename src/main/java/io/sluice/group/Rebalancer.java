package io.sluice.group;

import io.sluice.bus.AssignmentChange.AssignedPartition;
import io.sluice.bus.AssignmentChange.PartitionsAssigned;
import io.sluice.bus.AssignmentChange.PartitionsRevoked;
import io.sluice.common.Clock;
import io.sluice.common.ErrorCode;
import io.sluice.common.SluiceException;
import io.sluice.bus.TopicPartition;
import io.sluice.cluster.ClusterMetadata;
import io.sluice.cluster.MetadataCache;
import io.sluice.group.ConsumerGroup.Member;
import io.sluice.group.ConsumerGroup.State;
import io.sluice.group.assign.PartitionAssignor;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a group's rebalances, incrementally and safely: the new assignment is computed (sticky by
 * default, so few partitions move); members losing partitions are told to stop reading them
 * ({@link PartitionsRevoked}) and must confirm before anyone else is given those partitions; then
 * every member gets its assignment for the new generation ({@link PartitionsAssigned}). Members
 * that keep their partitions keep reading throughout. One rebalance at a time per group; a request
 * that comes during one is run right after it.
 */
final class Rebalancer {
    private static final System.Logger LOG = System.getLogger(Rebalancer.class.getName());
    /** Wait before rebalancing again when a generation could not be stored. */
    private static final long STORE_RETRY_MS = 500;

    /** Whose topics each member may read: a member is assigned only partitions of those. */
    private final io.sluice.security.AccessControl access;
    private final Vertx vertx;
    private final MetadataCache metadata;
    private final OffsetsStore store;
    /** Stamps stored generations with its wall time. */
    private final Clock clock;
    /** Revocations waiting for the member's confirmation, by member id. */
    private final Map<String, Promise<Void>> pendingRevokes = new HashMap<>();

    Rebalancer(Vertx vertx, MetadataCache metadata, OffsetsStore store, io.sluice.security.AccessControl access, Clock clock) {
        this.access = access;
        this.clock = clock;
        this.vertx = vertx;
        this.metadata = metadata;
        this.store = store;
    }

    /**
     * Schedules a rebalance of {@code g} after the current event (so that joins arriving together
     * share one); {@code reason} goes into its log line.
     */
    void request(ConsumerGroup g, String reason) {
        g.rebalanceReasons.add(reason);
        vertx.getOrCreateContext().runOnContext(v -> {
            if (!g.rebalancing && !g.rebalanceReasons.isEmpty()) {
                run(g);
            }
        });
    }

    /** A member left or expired: whatever it was asked to give up is free now. */
    void memberGone(ConsumerGroup g, String memberId) {
        Promise<Void> pending = pendingRevokes.remove(memberId);
        if (pending != null) {
            pending.tryComplete();
        }
    }

    private void run(ConsumerGroup g) {
        if (g.abandoned) {
            return;
        }
        g.rebalancing = true;
        String reasons = String.join("; ", g.rebalanceReasons);
        g.rebalanceReasons.clear();
        if (!g.active()) {
            g.state = State.EMPTY;
            g.rebalancing = false;
            return;
        }
        g.state = State.PREPARING_REBALANCE;
        ClusterMetadata m = metadata.current();
        Map<String, Set<String>> subscriptions = g.subscriptions(m, access);
        Map<String, Integer> counts = ConsumerGroup.partitionCounts(subscriptions, m);
        Map<String, List<TopicPartition>> target = PartitionAssignor.named(g.assignor)
                .assign(subscriptions, counts, g.currentAssignment());
        int generation = g.generation + 1;
        LOG.log(System.Logger.Level.INFO, "group " + g.id + " generation " + generation + " (" + reasons + "): " + target);

        List<Future<Void>> revokes = new ArrayList<>();
        for (Member member : new ArrayList<>(g.members.values())) {
            List<TopicPartition> lost = new ArrayList<>(member.assigned);
            lost.removeAll(target.getOrDefault(member.id, List.of()));
            if (!lost.isEmpty()) {
                revokes.add(revoke(g, member, generation, lost));
            }
        }
        Future.join(revokes).onComplete(ignored -> assign(g, generation, target, counts));
    }

    private Future<Void> revoke(ConsumerGroup g, Member member, int generation, List<TopicPartition> lost) {
        Promise<Void> confirmed = Promise.promise();
        pendingRevokes.put(member.id, confirmed);
        PartitionsRevoked msg = new PartitionsRevoked(member.id, generation, lost);
        vertx.eventBus().request(member.address, msg, new DeliveryOptions().setSendTimeout(member.sessionTimeoutMs))
                .onComplete(ar -> {
                    if (ar.failed() && g.members.containsKey(member.id)) {
                        // A member that cannot give partitions up in time is treated as gone.
                        LOG.log(System.Logger.Level.INFO, "member " + member.id + " did not confirm revocation: " + ar.cause().getMessage());
                        g.members.remove(member.id);
                    }
                    pendingRevokes.remove(member.id);
                    confirmed.tryComplete();
                });
        return confirmed.future().onComplete(v -> member.assigned.removeAll(lost));
    }

    /**
     * Stores the new generation with every member's assignment, and only then tells the members
     * (Kafka's SyncGroup answers after the group record is written): the next coordinator, if
     * this one fails, starts from an assignment no member is ahead of.
     */
    private void assign(ConsumerGroup g, int generation, Map<String, List<TopicPartition>> target, Map<String, Integer> counts) {
        g.state = State.COMPLETING_REBALANCE;
        g.generation = generation;
        Map<String, PartitionsAssigned> messages = new LinkedHashMap<>();
        for (Member member : g.members.values()) {
            List<TopicPartition> next = target.getOrDefault(member.id, List.of());
            List<AssignedPartition> partitions = new ArrayList<>();
            for (TopicPartition tp : next) {
                // The committed offset goes with a kept partition too: a member that no longer
                // reads it (it gave it up under a coordinator that failed) starts from there.
                partitions.add(new AssignedPartition(tp, g.committed.getOrDefault(tp, AssignedPartition.NO_OFFSET),
                        member.assigned.contains(tp)));
            }
            member.assigned = new ArrayList<>(next);
            messages.put(member.id, new PartitionsAssigned(member.id, generation, partitions));
        }
        g.lastPartitionCounts = counts;
        storeGeneration(g).onComplete(ar -> {
            g.rebalancing = false;
            if (g.abandoned) {
                return; // the next coordinator restores the group and tells the members
            }
            if (ar.failed()) {
                LOG.log(System.Logger.Level.WARNING, "could not store generation " + generation + " of group " + g.id
                        + ": " + ar.cause().getMessage() + "; rebalancing again in " + STORE_RETRY_MS + " ms");
                vertx.setTimer(STORE_RETRY_MS, id -> request(g, "storing generation " + generation + " failed"));
                return;
            }
            for (Member member : new ArrayList<>(g.members.values())) {
                PartitionsAssigned msg = messages.get(member.id);
                if (msg != null) {
                    send(g, member, msg);
                }
            }
            g.state = g.active() ? State.STABLE : State.EMPTY;
            if (!g.rebalanceReasons.isEmpty()) {
                request(g, "asked for during generation " + generation);
            }
        });
    }

    /**
     * Writes the group record with its members; one too large for the offsets topic (a group of
     * thousands of members) is stored without them instead, so that the group still works: the
     * members then join again should the coordinator move, as they would without the record.
     */
    private Future<Void> storeGeneration(ConsumerGroup g) {
        long now = clock.wallMillis();
        return store.writeGroup(g.id, g.record(now)).recover(e -> {
            if (e instanceof SluiceException se && se.code() == ErrorCode.RECORD_TOO_LARGE) {
                LOG.log(System.Logger.Level.WARNING, "the record of group " + g.id + " with " + g.members.size()
                        + " members is larger than " + OffsetsTopic.NAME + " accepts; storing generation " + g.generation
                        + " without its members (they join again if the coordinator moves)");
                return store.writeGroup(g.id, OffsetsTopic.groupValue(g.assignor, g.generation, now));
            }
            return Future.failedFuture(e);
        });
    }

    private void send(ConsumerGroup g, Member member, PartitionsAssigned msg) {
        vertx.eventBus().request(member.address, msg, new DeliveryOptions().setSendTimeout(member.sessionTimeoutMs))
                .onFailure(e -> {
                    if (!g.abandoned && g.members.remove(member.id) != null) {
                        request(g, "member " + member.id + " unreachable: " + e.getMessage());
                    }
                });
    }
}

package io.sluice.cluster;

import java.util.ArrayList;
import java.util.List;

/**
 * Who holds one partition: its replicas (node ids, preferred leader first), the current leader
 * (null while no in-sync replica is available), the leader epoch (bumped on every leadership
 * change, so that a replica can tell a stale leader from the current one) and the in-sync
 * replicas. During a reassignment {@code adding} replicas are catching up (they are already in
 * {@code replicas}) and {@code removing} ones leave once every added replica is in sync.
 */
public record PartitionAssignment(int partition, List<String> replicas, String leader, int leaderEpoch,
                                  List<String> isr, List<String> adding, List<String> removing) {
    public PartitionAssignment {
        replicas = List.copyOf(replicas);
        isr = List.copyOf(isr);
        adding = adding == null ? List.of() : List.copyOf(adding);
        removing = removing == null ? List.of() : List.copyOf(removing);
    }

    public PartitionAssignment(int partition, List<String> replicas, String leader, int leaderEpoch, List<String> isr) {
        this(partition, replicas, leader, leaderEpoch, isr, List.of(), List.of());
    }

    /** A new leader (or none), in a new epoch, with {@code newIsr}. */
    public PartitionAssignment withLeader(String newLeader, List<String> newIsr) {
        return new PartitionAssignment(partition, replicas, newLeader, leaderEpoch + 1, newIsr, adding, removing);
    }

    public PartitionAssignment withIsr(List<String> newIsr) {
        return new PartitionAssignment(partition, replicas, leader, leaderEpoch, newIsr, adding, removing);
    }

    /**
     * Starts moving to {@code target}: replicas become the target (in its order, preferred leader
     * first) followed by those leaving; the new ones catch up before the old ones go.
     */
    public PartitionAssignment reassigning(List<String> target) {
        List<String> all = new ArrayList<>(target);
        List<String> add = new ArrayList<>();
        for (String r : target) {
            if (!replicas.contains(r)) {
                add.add(r);
            }
        }
        List<String> remove = new ArrayList<>();
        for (String r : replicas) {
            if (!target.contains(r)) {
                remove.add(r);
                all.add(r);
            }
        }
        return new PartitionAssignment(partition, all, leader, leaderEpoch, isr, add, remove);
    }

    public boolean reassigning() {
        return !adding.isEmpty() || !removing.isEmpty();
    }

    /** The replica set a reassignment in progress ends with. */
    public List<String> targetReplicas() {
        List<String> out = new ArrayList<>();
        for (String r : replicas) {
            if (!removing.contains(r)) {
                out.add(r);
            }
        }
        return out;
    }
}

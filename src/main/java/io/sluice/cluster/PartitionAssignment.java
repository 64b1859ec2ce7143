package io.sluice.cluster;

import java.util.List;

/**
 * Who holds one partition: its replicas (node ids, preferred leader first), the current leader
 * (null while none is available), the leader epoch (bumped on every leadership change) and the
 * in-sync replicas.
 */
public record PartitionAssignment(int partition, List<String> replicas, String leader, int leaderEpoch,
                                  List<String> isr) {
    public PartitionAssignment {
        replicas = List.copyOf(replicas);
        isr = List.copyOf(isr);
    }

    public PartitionAssignment withLeader(String newLeader, List<String> newIsr) {
        return new PartitionAssignment(partition, replicas, newLeader, leaderEpoch + 1, newIsr);
    }

    public PartitionAssignment withIsr(List<String> newIsr) {
        return new PartitionAssignment(partition, replicas, leader, leaderEpoch, newIsr);
    }

    public PartitionAssignment withReplicas(List<String> newReplicas, String newLeader, List<String> newIsr) {
        return new PartitionAssignment(partition, newReplicas, newLeader, leaderEpoch + 1, newIsr);
    }
}

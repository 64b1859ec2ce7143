package io.sluice.cluster;

import java.util.ArrayList;
import java.util.List;

/**
 * Places partition replicas on nodes the way Kafka's default assignor does: the first replica
 * (the preferred leader) of successive partitions walks round the node list from a starting
 * point, and the followers of each partition sit on the next nodes, so that leaders and replicas
 * spread evenly.
 */
public final class ReplicaAssigner {
    private ReplicaAssigner() {
    }

    /**
     * Replica lists for partitions {@code firstPartition .. firstPartition + count - 1}.
     *
     * @param nodes  live node ids, sorted; at least {@code replicationFactor} of them
     * @param offset where the walk starts (e.g. a hash of the topic), so that topics do not all
     *               lead on the same node
     */
    public static List<List<String>> assign(List<String> nodes, int firstPartition, int count, int replicationFactor,
                                            int offset) {
        if (replicationFactor > nodes.size()) {
            throw new IllegalArgumentException("replication factor " + replicationFactor + " is larger than the "
                    + nodes.size() + " available node(s)");
        }
        int n = nodes.size();
        List<List<String>> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int p = firstPartition + i;
            int first = Math.floorMod(offset + p, n);
            // Followers shift by a step that changes every n partitions, as Kafka's does, so that
            // a node's followers are not always the same neighbours.
            int shift = 1 + Math.floorMod(offset + p / n, Math.max(1, n - 1));
            List<String> replicas = new ArrayList<>(replicationFactor);
            replicas.add(nodes.get(first));
            for (int r = 1; r < replicationFactor; r++) {
                int idx = Math.floorMod(first + shift + r - 1, n);
                if (idx == first) {
                    idx = Math.floorMod(idx + 1, n);
                }
                String candidate = nodes.get(idx);
                while (replicas.contains(candidate)) {
                    idx = Math.floorMod(idx + 1, n);
                    candidate = nodes.get(idx);
                }
                replicas.add(candidate);
            }
            out.add(replicas);
        }
        return out;
    }
}

package io.sluice.cluster;

import java.util.List;

/** The ids of the nodes currently in the cluster, as the controller places replicas on them. */
@FunctionalInterface
public interface LiveNodes {
    List<String> ids();

    default List<String> sorted() {
        return ids().stream().sorted().toList();
    }
}

package io.sluice.cluster;

import java.util.List;

/** The nodes of the cluster as an operator sees them, and which one is the controller. */
public interface ClusterView {
    /** A node: its id and where its HTTP API listens. */
    record NodeInfo(String id, String httpHost, int httpPort) {
    }

    List<NodeInfo> nodes();

    String controllerId();

    String clusterName();
}

package io.sluice.node;

import io.sluice.cluster.ClusterView;
import io.sluice.config.NodeConfig;

import java.util.List;

/** The cluster as a node that runs alone sees it: itself, also the controller. */
final class SingleNodeView implements ClusterView {
    private final String nodeId;
    private final NodeConfig config;

    SingleNodeView(String nodeId, NodeConfig config) {
        this.nodeId = nodeId;
        this.config = config;
    }

    @Override
    public List<NodeInfo> nodes() {
        return List.of(new NodeInfo(nodeId, config.httpHost(), config.httpPort()));
    }

    @Override
    public String controllerId() {
        return nodeId;
    }

    @Override
    public String clusterName() {
        return config.clusterName();
    }
}

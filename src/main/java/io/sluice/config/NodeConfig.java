package io.sluice.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Everything a node is started with: where it listens, where its logs live, how it finds its cluster,
 * and its broker-wide settings. Built by {@link ConfigLoader}; the constructor accepts exactly the
 * values the loader would, normalized the same way, so a hand-built instance (in a test) is as valid
 * as a loaded one.
 *
 * @param nodeId         this node's name in the cluster, or null to let the cluster name it
 * @param httpHost       interface of the HTTP and WebSocket API
 * @param httpPort       port of the HTTP and WebSocket API; 0 for any free port
 * @param dataDir        directory holding the partition logs
 * @param clusterHost    address the Hazelcast member binds to and advertises
 * @param clusterPort    port of the Hazelcast member
 * @param clusterMembers {@code host} or {@code host:port} of members to join; null means just {@code clusterHost}
 * @param clusterName    only members with the same name form a cluster
 * @param controllerVoters the controller quorum as {@code id@host:port} entries, or null when not given
 *                       (the node then uses the quorum stored in its data directory, or forms or joins one:
 *                       see {@code QuorumBootstrap})
 * @param controllerPort the port this node's quorum endpoint binds to, or null for its voter entry's port
 * @param configFile     the config file that was read, or null
 * @param broker         broker-wide settings
 */
public record NodeConfig(String nodeId, String httpHost, int httpPort, Path dataDir, String clusterHost,
        int clusterPort, List<String> clusterMembers, String clusterName, List<String> controllerVoters,
        Integer controllerPort, Path configFile, BrokerSettings broker) {

    public NodeConfig {
        nodeId = nodeId == null ? null : valid(NodeOption.NODE_ID, nodeId);
        httpHost = valid(NodeOption.HTTP_HOST, Objects.requireNonNull(httpHost, "httpHost"));
        httpPort = valid(NodeOption.HTTP_PORT, httpPort);
        dataDir = valid(NodeOption.DATA_DIR, Objects.requireNonNull(dataDir, "dataDir"));
        clusterHost = valid(NodeOption.CLUSTER_HOST, Objects.requireNonNull(clusterHost, "clusterHost"));
        clusterPort = valid(NodeOption.CLUSTER_PORT, clusterPort);
        clusterMembers = clusterMembers == null ? List.of(clusterHost) : valid(NodeOption.CLUSTER_MEMBERS, clusterMembers);
        clusterName = valid(NodeOption.CLUSTER_NAME, Objects.requireNonNull(clusterName, "clusterName"));
        controllerVoters = controllerVoters == null ? null : valid(NodeOption.CONTROLLER_VOTERS, controllerVoters);
        controllerPort = controllerPort == null ? null : valid(NodeOption.CONTROLLER_PORT, controllerPort);
        Objects.requireNonNull(broker, "broker");
    }

    /** Runs a typed value through the loader's own parsing, so both paths accept and normalize alike. */
    @SuppressWarnings("unchecked")
    private static <T> T valid(NodeOption option, T value) {
        return (T) option.parse(option.format(value), option.key);
    }
}

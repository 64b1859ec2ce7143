package io.sluice.cluster;

import com.hazelcast.config.ClasspathXmlConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.FileSystemXmlConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.sluice.config.NodeConfig;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;

/**
 * Builds the Hazelcast configuration of a node: the top-level {@code cluster.xml} (shipped in the
 * jar; {@code -Dvertx.hazelcast.config=FILE} replaces it), with the node's flags applied on top:
 * cluster name, bind host, port and TCP-IP member list. Building it in code rather than letting
 * Vert.x look the file up avoids its silent fallback to a multicast default when a path is wrong.
 */
public final class HazelcastSetup {
    static final String PROPERTY = "vertx.hazelcast.config";

    private HazelcastSetup() {
    }

    /** The Hazelcast config of {@code node}, whose members carry their Sluice node id {@code nodeId}. */
    public static Config config(NodeConfig node, String nodeId) {
        Config cfg = load();
        cfg.getMemberAttributeConfig().setAttribute(ClusterMembership.NODE_ID_ATTRIBUTE, nodeId);
        cfg.setClusterName(node.clusterName());
        NetworkConfig net = cfg.getNetworkConfig();
        int port = node.clusterPort() == 0 ? freePort(node.clusterHost()) : node.clusterPort();
        net.setPort(port).setPortAutoIncrement(false);
        net.getInterfaces().setEnabled(true).setInterfaces(List.of(node.clusterHost()));
        JoinConfig join = net.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(node.clusterMembers());
        // Vert.x shuts Hazelcast down itself; Hazelcast's own hook would race with Main's.
        cfg.setProperty("hazelcast.shutdownhook.enabled", "false");
        return cfg;
    }

    private static Config load() {
        String path = System.getProperty(PROPERTY);
        try {
            if (path == null) {
                return new ClasspathXmlConfig("cluster.xml");
            }
            if (path.startsWith("classpath:")) {
                return new ClasspathXmlConfig(path.substring("classpath:".length()));
            }
            return new FileSystemXmlConfig(path);
        } catch (FileNotFoundException e) {
            throw new IllegalStateException("Hazelcast configuration " + path + " not found", e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Hazelcast configuration " + (path == null ? "cluster.xml" : path)
                    + " not found on the classpath", e);
        }
    }

    /** A port free on {@code host} right now, for nodes started with port 0 (tests). */
    public static int freePort(String host) {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + host, e);
        }
    }
}

package io.sluice.testing;

import io.sluice.config.ConfigLoader;
import io.sluice.config.NodeConfig;
import io.sluice.node.SluiceNode;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A real Sluice node for API tests: loopback only, HTTP and Hazelcast on free ports, its own
 * data directory and a cluster name of its own, so that parallel test runs never merge.
 */
public final class TestNode implements AutoCloseable {
    private final SluiceNode node;
    private final Path dataDir;
    private final String clusterName;
    private final List<String> extraArgs;
    private final int clusterPort;
    private final String members;
    private final List<String> nodeArgs;

    private TestNode(SluiceNode node, Path dataDir, String clusterName, List<String> extraArgs, int clusterPort, String members,
                     List<String> nodeArgs) {
        this.nodeArgs = nodeArgs;
        this.node = node;
        this.dataDir = dataDir;
        this.clusterName = clusterName;
        this.extraArgs = extraArgs;
        this.clusterPort = clusterPort;
        this.members = members;
    }

    /** Starts a single node; {@code settings} are broker settings ({@code name=value}). */
    public static TestNode start(Path dataDir, String... settings) {
        return start(dataDir, "test-" + UUID.randomUUID(), List.of(settings));
    }

    static TestNode start(Path dataDir, String clusterName, List<String> settings) {
        return start(dataDir, clusterName, 0, null, List.of(), settings);
    }

    /**
     * A node of a cluster: fixed Hazelcast port and the member list of the whole cluster;
     * {@code nodeArgs} are further flags (node id, controller voters).
     */
    static TestNode start(Path dataDir, String clusterName, int clusterPort, String members, List<String> nodeArgs,
                          List<String> settings) {
        List<String> args = new ArrayList<>(List.of("--http-host", "127.0.0.1", "--http-port", "0",
                "--data-dir", dataDir.toString(), "--cluster-host", "127.0.0.1", "--cluster-port", String.valueOf(clusterPort),
                "--cluster-name", clusterName));
        if (members != null) {
            args.add("--cluster-members");
            args.add(members);
        }
        args.addAll(nodeArgs);
        for (String s : settings) {
            args.add("--set");
            args.add(s);
        }
        NodeConfig config = ConfigLoader.load(args.toArray(String[]::new), Map.of());
        SluiceNode node = Await.result(SluiceNode.start(config), Duration.ofSeconds(60));
        return new TestNode(node, dataDir, clusterName, settings, clusterPort, members, nodeArgs);
    }

    /** Stops this node cleanly and starts it again on the same data directory. */
    public TestNode restart() {
        close();
        return start(dataDir, clusterName, clusterPort, members, nodeArgs, extraArgs);
    }

    public String nodeId() {
        return node.nodeId();
    }

    public SluiceNode node() {
        return node;
    }

    public int port() {
        return node.httpPort();
    }

    public Path dataDir() {
        return dataDir;
    }

    @Override
    public void close() {
        Await.result(node.stop(), Duration.ofSeconds(60));
    }
}

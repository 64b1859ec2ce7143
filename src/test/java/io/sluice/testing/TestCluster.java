package io.sluice.testing;


import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Several real nodes in one JVM forming one Hazelcast cluster (a cluster name of their own, fixed
 * loopback ports, each listing all the others), for tests of assignment, replication, forwarding
 * and groups across nodes. Nodes can be stopped and started again on their data directories.
 */
public final class TestCluster implements AutoCloseable {
    private final Path dir;
    private final String name = "cluster-" + UUID.randomUUID();
    private final List<Integer> ports = new ArrayList<>();
    private final List<Integer> controllerPorts = new ArrayList<>();
    /** The controller quorum: the nodes of the initial size (spares join later as brokers). */
    private final String voters;
    private final List<String> settings;
    private final Map<Integer, TestNode> running = new ConcurrentHashMap<>();

    public TestCluster(Path dir, int size, int spare, String... settings) {
        this.dir = dir;
        this.settings = List.of(settings);
        for (int i = 0; i < size + spare; i++) {
            ports.add(FreePorts.next());
            controllerPorts.add(FreePorts.next());
        }
        List<String> v = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            v.add(nodeId(i) + "@127.0.0.1:" + controllerPorts.get(i));
        }
        this.voters = String.join(",", v);
        startTogether(java.util.stream.IntStream.range(0, size).toArray());
    }

    private String members() {
        return String.join(",", ports.stream().map(p -> "127.0.0.1:" + p).toList());
    }

    /** The cluster's name (Hazelcast's), for a member the test starts by hand. */
    public String clusterName() {
        return name;
    }

    /** Every node's Hazelcast {@code host:port}, the join list. */
    public String memberList() {
        return members();
    }

    /** Node {@code i}'s id. */
    public static String nodeId(int i) {
        return "n" + i;
    }

    /** Starts node {@code i} (again) on its data directory; the initial nodes are the quorum's voters. */
    public TestNode start(int i) {
        return startWithVoters(i, voters);
    }

    /** The voters spec of nodes {@code indices}: {@code id@127.0.0.1:port,...}. */
    public String voters(int... indices) {
        List<String> v = new ArrayList<>();
        for (int i : indices) {
            v.add(nodeId(i) + "@127.0.0.1:" + controllerPorts.get(i));
        }
        return String.join(",", v);
    }

    /** Starts node {@code i} with {@code voters} as its {@code --controller-voters}. */
    public TestNode startWithVoters(int i, String voters) {
        List<String> args = new ArrayList<>(List.of("--node-id", nodeId(i), "--controller-voters", voters));
        TestNode node = TestNode.start(dir.resolve("node" + i), name, ports.get(i), members(), args, settings);
        running.put(i, node);
        return node;
    }

    /**
     * Starts the nodes at once: a node finishes starting once it has the controller's metadata,
     * which needs a majority of the voters up.
     */
    public void startTogether(int... indices) {
        List<java.util.concurrent.CompletableFuture<TestNode>> starting = new ArrayList<>();
        for (int i : indices) {
            starting.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> start(i)));
        }
        for (java.util.concurrent.CompletableFuture<TestNode> f : starting) {
            f.join();
        }
    }

    /** Stops node {@code i} gracefully (leaderships handed over first). */
    public void stop(int i) {
        TestNode node = running.remove(i);
        if (node != null) {
            node.close();
        }
    }

    public TestNode node(int i) {
        TestNode n = running.get(i);
        if (n == null) {
            throw new IllegalStateException("node " + i + " is not running");
        }
        return n;
    }

    public boolean running(int i) {
        return running.containsKey(i);
    }

    /** Index of the running node with Sluice node id {@code id}. */
    public int indexOf(String id) {
        for (Map.Entry<Integer, TestNode> e : running.entrySet()) {
            if (e.getValue().nodeId().equals(id)) {
                return e.getKey();
            }
        }
        throw new IllegalArgumentException("no running node " + id);
    }

    @Override
    public void close() {
        for (Integer i : new ArrayList<>(running.keySet())) {
            stop(i);
        }
    }
}

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
    private final List<String> settings;
    private final Map<Integer, TestNode> running = new ConcurrentHashMap<>();

    public TestCluster(Path dir, int size, int spare, String... settings) {
        this.dir = dir;
        this.settings = List.of(settings);
        for (int i = 0; i < size + spare; i++) {
            ports.add(FreePorts.next());
        }
        for (int i = 0; i < size; i++) {
            start(i);
        }
    }

    private String members() {
        return String.join(",", ports.stream().map(p -> "127.0.0.1:" + p).toList());
    }

    /** Starts node {@code i} (again) on its data directory. */
    public TestNode start(int i) {
        TestNode node = TestNode.start(dir.resolve("node" + i), name, ports.get(i), members(), settings);
        running.put(i, node);
        return node;
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

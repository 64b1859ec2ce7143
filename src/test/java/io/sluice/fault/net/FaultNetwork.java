package io.sluice.fault.net;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/**
 * The network of one fault run: a namespace per node, a "cluster" bridge in a namespace of its own
 * that every node joins by a veth ({@code c0}, 10.213.X.(i+1)/24, carrying Hazelcast, event-bus and
 * quorum traffic), and a never-cut "management" veth pair from the root namespace into each node
 * ({@code m0}, a /30 of 10.214.X.0/24) over which the test reaches each node's HTTP port.
 *
 * <p>Cuts are iptables DROP rules on {@code c0} inside the node namespaces, rewritten atomically per
 * namespace with {@code iptables-restore}: dropped packets (not resets) are what a real partition
 * looks like to TCP, and management traffic is never matched. It owns every namespace and link it
 * creates and removes them in {@link #close()}, also from a shutdown hook when the JVM exits early.
 * Only addresses inside these namespaces (and the root ends of its own management links) are used.
 */
public final class FaultNetwork implements AutoCloseable {
    static final String BRIDGE = "br0";
    static final String CLUSTER_IF = "c0";
    static final String MGMT_IF = "m0";

    private final String run;
    private final int size;
    private final int subnet;
    private final Set<Long> blocked = new HashSet<>();
    private final Thread hook;
    private final List<String> created = new ArrayList<>();
    private boolean closed;

    private FaultNetwork(String run, int size, int subnet) {
        this.run = run;
        this.size = size;
        this.subnet = subnet;
        this.hook = new Thread(this::removeAll, "fault-network-cleanup-" + run);
    }

    /** Creates the namespaces and links for {@code size} nodes under a fresh run id. */
    public static FaultNetwork create(int size) throws IOException {
        if (size < 1 || size > 60) {
            throw new IllegalArgumentException("nodes: " + size);
        }
        LeftoverCleaner.clean();
        String run = freshRunId();
        LeftoverCleaner.claim(run);
        FaultNetwork net = new FaultNetwork(run, size, freeManagementSubnet());
        Runtime.getRuntime().addShutdownHook(net.hook);
        try {
            net.build();
        } catch (RuntimeException e) {
            net.close();
            throw e;
        }
        return net;
    }

    /** Four hex digits: short enough for 15-character interface names, unused by any live namespace. */
    private static String freshRunId() {
        Set<String> taken = LeftoverCleaner.namespaces().stream().map(n -> n.split("-")).filter(p -> p.length >= 2)
                .map(p -> p[1]).collect(Collectors.toSet());
        while (true) {
            String id = String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
            if (!taken.contains(id)) {
                return id;
            }
        }
    }

    /** A third octet X such that no address or route of the root namespace is in 10.214.X.0/24. */
    private static int freeManagementSubnet() {
        String addrs = Shell.run(List.of("ip", "-4", "addr")).output() + Shell.run(List.of("ip", "-4", "route")).output();
        int start = ThreadLocalRandom.current().nextInt(1, 250);
        for (int k = 0; k < 250; k++) {
            int x = 1 + (start + k) % 250;
            if (!addrs.contains("10.214." + x + ".")) {
                return x;
            }
        }
        throw new IllegalStateException("no free 10.214.X.0/24 management subnet");
    }

    private void build() {
        String br = bridgeNamespace();
        addNamespace(br);
        Shell.check("ip", "-n", br, "link", "add", BRIDGE, "type", "bridge");
        Shell.check("ip", "-n", br, "link", "set", BRIDGE, "up");
        for (int i = 0; i < size; i++) {
            String ns = namespace(i);
            addNamespace(ns);
            // Cluster link: c0 in the node, v<i> on the bridge.
            Shell.check("ip", "link", "add", CLUSTER_IF, "netns", ns, "type", "veth", "peer", "name", "v" + i, "netns", br);
            Shell.check("ip", "-n", br, "link", "set", "v" + i, "master", BRIDGE);
            Shell.check("ip", "-n", br, "link", "set", "v" + i, "up");
            Shell.check("ip", "-n", ns, "addr", "add", clusterIp(i) + "/24", "dev", CLUSTER_IF);
            Shell.check("ip", "-n", ns, "link", "set", CLUSTER_IF, "up");
            // Management link: its root end is named after the run, so it is unique on the host.
            String root = rootLink(i);
            Shell.check("ip", "link", "add", root, "type", "veth", "peer", "name", MGMT_IF, "netns", ns);
            Shell.check("ip", "addr", "add", "10.214." + subnet + "." + (4 * i + 1) + "/30", "dev", root);
            Shell.check("ip", "link", "set", root, "up");
            Shell.check("ip", "-n", ns, "addr", "add", managementIp(i) + "/30", "dev", MGMT_IF);
            Shell.check("ip", "-n", ns, "link", "set", MGMT_IF, "up");
        }
        applyRules();
    }

    private void addNamespace(String ns) {
        Shell.check("ip", "netns", "add", ns);
        created.add(ns);
        Shell.check("ip", "-n", ns, "link", "set", "lo", "up");
    }

    public String run() {
        return run;
    }

    public int size() {
        return size;
    }

    public String namespace(int node) {
        return "sl-" + run + "-n" + node;
    }

    String bridgeNamespace() {
        return "sl-" + run + "-br";
    }

    private String rootLink(int node) {
        return "sl" + run + "m" + node;
    }

    /** Node {@code i}'s address on the cluster bridge (Hazelcast, event bus, quorum). */
    public String clusterIp(int node) {
        return "10.213." + subnet + "." + (node + 1);
    }

    /** Node {@code i}'s address on its management link, reachable from the root namespace. */
    public String managementIp(int node) {
        return "10.214." + subnet + "." + (4 * node + 2);
    }

    // ------------------------------------------------------------------ cuts

    /** Splits the nodes into {@code groups}: traffic flows only within a group. Nodes not listed form one more group. */
    public synchronized void partition(List<Set<Integer>> groups) {
        blocked.clear();
        List<Set<Integer>> all = new ArrayList<>(groups);
        Set<Integer> rest = new TreeSet<>();
        for (int i = 0; i < size; i++) {
            rest.add(i);
        }
        groups.forEach(rest::removeAll);
        if (!rest.isEmpty()) {
            all.add(rest);
        }
        for (int a = 0; a < all.size(); a++) {
            for (int b = a + 1; b < all.size(); b++) {
                for (int x : all.get(a)) {
                    for (int y : all.get(b)) {
                        blocked.add(pair(x, y));
                    }
                }
            }
        }
        applyRules();
    }

    /** Cuts {@code side} off from every other node. */
    public void isolate(Set<Integer> side) {
        partition(List.of(side));
    }

    /**
     * A bridge partition: {@code left} and {@code right} cannot reach each other, every other node
     * reaches both (Jepsen's "bridge" nemesis).
     */
    public synchronized void bridge(Set<Integer> left, Set<Integer> right) {
        blocked.clear();
        for (int x : left) {
            for (int y : right) {
                blocked.add(pair(x, y));
            }
        }
        applyRules();
    }

    /** Removes every cut. */
    public synchronized void heal() {
        blocked.clear();
        applyRules();
    }

    /** Whether {@code a} and {@code b} can currently talk on the cluster network. */
    public synchronized boolean connected(int a, int b) {
        return a == b || !blocked.contains(pair(a, b));
    }

    /** A printable form of the current cut, e.g. {@code [0-3, 0-4]}. */
    public synchronized String describe() {
        return blocked.stream().sorted().map(p -> (p >> 16) + "-" + (p & 0xffff)).collect(Collectors.toCollection(LinkedHashSet::new)).toString();
    }

    private static long pair(int a, int b) {
        return ((long) Math.min(a, b) << 16) | Math.max(a, b);
    }

    /** Rewrites each node's filter table in one iptables-restore (atomic per namespace). */
    private void applyRules() {
        for (int i = 0; i < size; i++) {
            StringBuilder rules = new StringBuilder("*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n");
            for (int j = 0; j < size; j++) {
                if (!connected(i, j)) {
                    rules.append("-A INPUT -i ").append(CLUSTER_IF).append(" -s ").append(clusterIp(j)).append(" -j DROP\n");
                    rules.append("-A OUTPUT -o ").append(CLUSTER_IF).append(" -d ").append(clusterIp(j)).append(" -j DROP\n");
                }
            }
            rules.append("COMMIT\n");
            Shell.check(List.of("ip", "netns", "exec", namespace(i), "iptables-restore"), rules.toString());
        }
    }

    // ------------------------------------------------------------------ cleanup

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        removeAll();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // Already shutting down: the hook is running this.
        }
    }

    /** Deleting a namespace also deletes the veths in it and, with them, their peers in the root namespace. */
    private void removeAll() {
        for (String ns : List.copyOf(created)) {
            Shell.run(List.of("ip", "netns", "del", ns));
        }
        for (int i = 0; i < size; i++) {
            Shell.run(List.of("ip", "link", "del", rootLink(i)));   // normally already gone with its peer
        }
        LeftoverCleaner.release(run);
    }
}

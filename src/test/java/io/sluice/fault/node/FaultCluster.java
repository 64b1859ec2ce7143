package io.sluice.fault.node;

import io.sluice.fault.client.NodeHttp;
import io.sluice.fault.net.FaultNetwork;
import io.sluice.log.LogTestSupport;
import io.sluice.testing.NodeProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * N Sluice nodes, each a JVM in its own namespace of a {@link FaultNetwork}, reached over their
 * management links. Owns the nodes' lifecycle (start, faults, stop), the per-node HTTP clients and
 * the offline read of every replica's log; it kills every node and removes the network in
 * {@link #close()} and from a shutdown hook, whatever state the test ended in.
 */
public final class FaultCluster implements AutoCloseable {
    public static final int HTTP_PORT = 8080;
    public static final int CLUSTER_PORT = 5701;

    private final ClusterOptions options;
    private final Path dir;
    private final FaultNetwork network;
    private final FaultNode[] nodes;
    private final NodeHttp[] http;
    private final Path[] dataDirs;
    /** What each node's data directory is prepared from (the provider may mount it elsewhere). */
    private final Path[] dataBases;
    private final String clusterName = "fault-" + UUID.randomUUID();
    private final Thread hook = new Thread(this::closeQuietly, "fault-cluster-cleanup");

    private FaultCluster(ClusterOptions options, Path dir, FaultNetwork network) throws IOException {
        this.options = options;
        this.dir = dir;
        this.network = network;
        int n = options.nodes();
        nodes = new FaultNode[n];
        http = new NodeHttp[n];
        dataDirs = new Path[n];
        dataBases = new Path[n];
        List<String> ips = new ArrayList<>();
        List<String> members = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ips.add(network.clusterIp(i));
            members.add(network.clusterIp(i) + ":" + CLUSTER_PORT);
        }
        for (int i = 0; i < n; i++) {
            dataBases[i] = dir.resolve("n" + i).resolve("data");
            dataDirs[i] = options.dataDirs().prepare(i, dataBases[i]);
            List<String> args = new ArrayList<>(List.of("--node-id", nodeId(i), "--http-host", "0.0.0.0",
                    "--http-port", String.valueOf(HTTP_PORT), "--data-dir", dataDirs[i].toString(),
                    "--cluster-host", network.clusterIp(i), "--cluster-port", String.valueOf(CLUSTER_PORT),
                    "--cluster-members", String.join(",", members), "--cluster-name", clusterName));
            args.addAll(options.voters().flags(ips));
            for (String s : options.settings()) {
                args.add("--set");
                args.add(s);
            }
            WallClock clock = options.wallClocks() ? FaultNode.wallClock(dir.resolve("clocks"), i) : null;
            nodes[i] = new FaultNode(i, network.namespace(i), NodeProcess.jar().toAbsolutePath(), args,
                    dir.resolve("n" + i).resolve("node.log"), clock);
            http[i] = new NodeHttp(network.managementIp(i), HTTP_PORT);
        }
    }

    /** Builds the network and the (not yet started) nodes; output goes under {@code dir}. */
    public static FaultCluster create(ClusterOptions options, Path dir) throws IOException {
        Files.createDirectories(dir);
        FaultNetwork network = FaultNetwork.create(options.nodes());
        try {
            FaultCluster c = new FaultCluster(options, dir.toAbsolutePath(), network);
            Runtime.getRuntime().addShutdownHook(c.hook);
            System.out.println("[fault] run " + network.run() + ": " + options.nodes() + " nodes, voters "
                    + (options.voters().enabled() ? options.voters().count() : "off") + ", output " + dir);
            return c;
        } catch (IOException | RuntimeException e) {
            network.close();
            options.dataDirs().close();   // whatever it mounted for the nodes prepared so far
            throw e;
        }
    }

    public int size() {
        return nodes.length;
    }

    public static String nodeId(int i) {
        return "n" + i;
    }

    public static int indexOf(String nodeId) {
        return Integer.parseInt(nodeId.substring(1));
    }

    public FaultNetwork network() {
        return network;
    }

    public FaultNode node(int i) {
        return nodes[i];
    }

    public NodeHttp http(int i) {
        return http[i];
    }

    /** The data directory node {@code i} runs on (a mount point with a power-cut provider). */
    public Path dataDir(int i) {
        return dataDirs[i];
    }

    public Path dir() {
        return dir;
    }

    public ClusterOptions options() {
        return options;
    }

    /** Starts every node at once and waits until each answers and sees all the others. */
    public void startAll(Duration timeout) throws IOException {
        for (int i = 0; i < nodes.length; i++) {
            nodes[i].start();
        }
        for (int i = 0; i < nodes.length; i++) {
            awaitHealthy(i, timeout);
        }
        awaitMembers(nodes.length, timeout);
    }

    /** (Re)starts node {@code i} (a power-cut provider has had its say) and waits for it to answer. */
    public void restart(int i, Duration timeout) throws IOException {
        options.dataDirs().prepare(i, dataBases[i]);
        nodes[i].start();
        awaitHealthy(i, timeout);
    }

    /** (Re)starts the nodes {@code which} at once (each prepared first), then waits for each to answer. */
    public void restart(java.util.Collection<Integer> which, Duration timeout) throws IOException {
        for (int i : which) {
            options.dataDirs().prepare(i, dataBases[i]);
        }
        for (int i : which) {
            nodes[i].start();
        }
        for (int i : which) {
            awaitHealthy(i, timeout);
        }
    }

    public void awaitHealthy(int i, Duration timeout) {
        Polls.until("node " + i + " healthy (log " + nodes[i].logFile() + ")", timeout, () -> {
            if (!nodes[i].isAlive()) {
                throw new AssertionError("node " + i + " exited: see " + nodes[i].logFile());
            }
            return http[i].get("/health", Duration.ofSeconds(3)).is(200);
        });
    }

    /** Waits until every serving node's {@code /cluster} lists {@code n} nodes. */
    public void awaitMembers(int n, Duration timeout) {
        Polls.until(n + " nodes in every node's /cluster", timeout, () -> {
            for (int i = 0; i < nodes.length; i++) {
                if (!nodes[i].isServing()) {
                    continue;
                }
                NodeHttp.Reply r = http[i].get("/cluster", Duration.ofSeconds(3));
                if (!r.is(200) || new JsonObject(r.body()).getJsonArray("nodes").size() != n) {
                    return false;
                }
            }
            return true;
        });
    }

    /** {@code GET /topics/{t}} partitions as node {@code i} sees them, or null. */
    public JsonArray partitionsSeenBy(int i, String topic) {
        if (!nodes[i].isServing()) {
            return null;
        }
        NodeHttp.Reply r = http[i].get("/topics/" + topic, Duration.ofSeconds(3));
        return r.is(200) ? new JsonObject(r.body()).getJsonArray("partitions") : null;
    }

    /** The partition as the first serving node that answers sees it, or null. */
    public JsonObject partition(String topic, int p) {
        for (int i = 0; i < nodes.length; i++) {
            JsonArray parts = partitionsSeenBy(i, topic);
            if (parts != null) {
                return parts.getJsonObject(p);
            }
        }
        return null;
    }

    /**
     * Whether every serving node reports every partition of {@code topic} with a leader and all
     * {@code rf} replicas in the ISR, and (when {@code caughtUp}) the high watermark at the log end.
     */
    public boolean fullIsr(String topic, int rf, boolean caughtUp) {
        boolean any = false;
        for (int i = 0; i < nodes.length; i++) {
            if (!nodes[i].isServing()) {
                continue;
            }
            JsonArray parts = partitionsSeenBy(i, topic);
            if (parts == null) {
                return false;
            }
            for (Object o : parts) {
                JsonObject p = (JsonObject) o;
                if (p.getString("leader") == null || p.getJsonArray("isr").size() != rf) {
                    return false;
                }
                if (caughtUp && !p.getValue("high_watermark", -1L).equals(p.getValue("log_end_offset", -2L))) {
                    return false;
                }
            }
            any = true;
        }
        return any;
    }

    /** Node {@code i}'s own replicas ({@code GET /replicas}), or null when it does not answer. */
    public JsonArray replicasOf(int i) {
        NodeHttp.Reply r = http[i].get("/replicas", Duration.ofSeconds(5));
        return r.is(200) ? new JsonObject(r.body()).getJsonArray("replicas") : null;
    }

    /** SIGTERMs every running node (each given {@code seconds}, then killed). */
    public void stopAll(int seconds) throws InterruptedException {
        for (FaultNode n : nodes) {
            if (n.isAlive()) {
                n.terminate(seconds);
            }
        }
    }

    /** Every record of node {@code i}'s replica of {@code topic-p}, from its files (the node must be stopped). */
    public List<LogTestSupport.Rec> replicaLog(int i, String topic, int p) throws IOException {
        Path logDir = dataDirs[i].resolve("logs").resolve(topic + "-" + p);
        if (!Files.isDirectory(logDir)) {
            return List.of();
        }
        return LogTestSupport.readAll(logDir);
    }

    /** Prints the last lines of every node's log (for a failed run); the whole logs stay in the output dir. */
    public void printLogTails(int lines) {
        for (FaultNode n : nodes) {
            try {
                List<String> all = Files.readAllLines(n.logFile());
                System.out.println("===== node " + n.index() + " (" + n.logFile() + "), last " + lines + " lines =====");
                all.subList(Math.max(0, all.size() - lines), all.size()).forEach(System.out::println);
            } catch (IOException e) {
                System.out.println("no log of node " + n.index() + ": " + e);
            }
        }
    }

    private void closeQuietly() {
        for (FaultNode n : nodes) {
            if (n != null) {
                n.close();
            }
        }
        network.close();
        options.dataDirs().close();
    }

    @Override
    public void close() {
        closeQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // The JVM is exiting and the hook is what called this.
        }
    }

    /** Polling with a deadline (a condition, never a fixed sleep). */
    public static final class Polls {
        private Polls() {
        }

        public static void until(String what, Duration timeout, BooleanSupplier condition) {
            if (!poll(timeout, condition)) {
                throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
            }
        }

        /** Whether {@code condition} held before {@code timeout}; polls every 100 ms. */
        public static boolean poll(Duration timeout, BooleanSupplier condition) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                if (condition.getAsBoolean()) {
                    return true;
                }
                if (System.nanoTime() > deadline) {
                    return false;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
    }
}

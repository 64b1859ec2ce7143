package io.sluice.it;

import io.sluice.log.LogTestSupport;
import io.sluice.testing.Await;
import io.sluice.testing.FreePorts;
import io.sluice.testing.NodeProcess;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A cluster of Sluice nodes as separate JVMs from the packaged jar, on loopback, for tests that
 * kill, freeze and restart them. Node {@code i} keeps its ports and data directory across
 * restarts. HTTP calls use the JDK client with short timeouts, so that a dead node fails fast.
 */
final class ProcessCluster implements AutoCloseable {
    private final Path dir;
    private final String name = "it-" + UUID.randomUUID();
    private final List<Integer> httpPorts = new ArrayList<>();
    private final List<Integer> clusterPorts = new ArrayList<>();
    private final List<Integer> controllerPorts = new ArrayList<>();
    private final List<String> settings;
    private final NodeProcess[] nodes;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    ProcessCluster(Path dir, int size, String... settings) {
        this.dir = dir;
        this.settings = List.of(settings);
        this.nodes = new NodeProcess[size];
        for (int i = 0; i < size; i++) {
            httpPorts.add(FreePorts.next());
            clusterPorts.add(FreePorts.next());
            controllerPorts.add(FreePorts.next());
        }
    }

    int size() {
        return nodes.length;
    }

    Path dataDir(int i) {
        return dir.resolve("node" + i);
    }

    String nodeId(int i) {
        return "n" + i;
    }

    int indexOf(String nodeId) {
        return Integer.parseInt(nodeId.substring(1));
    }

    /** The controller quorum: the first three nodes (or all, when fewer); the others are brokers. */
    String voters() {
        List<String> v = new ArrayList<>();
        for (int i = 0; i < Math.min(3, nodes.length); i++) {
            v.add(nodeId(i) + "@127.0.0.1:" + controllerPorts.get(i));
        }
        return String.join(",", v);
    }

    /**
     * Starts the nodes together and waits for each to answer: a node finishes starting once it has
     * the controller's metadata, which needs a majority of the voters up.
     */
    void startAll(int... indices) throws IOException {
        for (int i : indices) {
            launch(i);
        }
        for (int i : indices) {
            nodes[i].awaitHealthy(Duration.ofSeconds(90));
        }
    }

    /** Starts node {@code i} and waits for it to answer. */
    void start(int i) throws IOException {
        launch(i);
        nodes[i].awaitHealthy(Duration.ofSeconds(90));
    }

    private void launch(int i) throws IOException {
        List<String> args = new ArrayList<>(List.of("--node-id", nodeId(i), "--cluster-name", name,
                "--controller-voters", voters(),
                "--cluster-port", String.valueOf(clusterPorts.get(i)),
                "--cluster-members", String.join(",", clusterPorts.stream().map(p -> "127.0.0.1:" + p).toList())));
        for (String s : settings) {
            args.add("--set");
            args.add(s);
        }
        nodes[i] = new NodeProcess(dataDir(i), httpPorts.get(i), args).start();
    }

    NodeProcess node(int i) {
        return nodes[i];
    }

    boolean alive(int i) {
        return nodes[i] != null && nodes[i].isAlive();
    }

    /** SIGKILL node {@code i}. */
    void kill(int i) throws InterruptedException {
        nodes[i].kill();
    }

    /** SIGTERM every live node and wait for it to exit. */
    void stopAll() throws InterruptedException {
        for (NodeProcess n : nodes) {
            if (n != null && n.isAlive()) {
                n.terminate(Duration.ofSeconds(60));
            }
        }
    }

    /** A call to node {@code i}; status and body, or status -1 when it does not answer. */
    Reply call(int i, String method, String path, String body, Duration timeout) {
        return call(i, method, path, body, timeout, Map.of());
    }

    Reply call(int i, String method, String path, String body, Duration timeout, Map<String, String> headers) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPorts.get(i) + path)).timeout(timeout);
            headers.forEach(b::header);
            if (body != null) {
                b.header("content-type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
            } else {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Reply(r.statusCode(), r.body());
        } catch (IOException e) {
            return new Reply(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Reply(-1, "interrupted");
        }
    }

    Reply get(int i, String path) {
        return call(i, "GET", path, null, Duration.ofSeconds(10));
    }

    /** An HTTP answer. */
    record Reply(int status, String body) {
        JsonObject json() {
            return new JsonObject(body);
        }
    }

    /** The partition's assignment as any live node reports it, or null when none answers. */
    JsonObject partition(String topic, int p) {
        for (int i = 0; i < nodes.length; i++) {
            if (alive(i)) {
                Reply r = get(i, "/topics/" + topic);
                if (r.status() == 200) {
                    return r.json().getJsonArray("partitions").getJsonObject(p);
                }
            }
        }
        return null;
    }

    /** Every record of node {@code i}'s replica of {@code topic-p}, read from its files (the node must be stopped). */
    List<LogTestSupport.Rec> replica(int i, String topic, int p) throws IOException {
        return LogTestSupport.readAll(dataDir(i).resolve("logs").resolve(topic + "-" + p));
    }

    /** Prints the tail of every node's log and keeps the whole logs under target/it-logs (for a failed test). */
    void dumpLogs() {
        for (int i = 0; i < nodes.length; i++) {
            if (nodes[i] != null) {
                String log = nodes[i].log();
                try {
                    Path keep = Path.of("target", "it-logs", name);
                    java.nio.file.Files.createDirectories(keep);
                    java.nio.file.Files.writeString(keep.resolve("node" + i + ".log"), log);
                    if (alive(i)) {
                        // A thread dump in the kept log (the JVM prints it on SIGQUIT): shows what a stuck node waits on.
                        int node = i;
                        nodes[i].signal("QUIT");
                        Await.until("thread dump of node " + i, Duration.ofSeconds(10), () -> nodes[node].log().contains("Full thread dump"));
                        java.nio.file.Files.writeString(keep.resolve("node" + i + ".log"), nodes[i].log());
                    }
                } catch (IOException | InterruptedException | AssertionError e) {
                    System.out.println("cannot keep log of node " + i + ": " + e);
                }
                if (alive(i)) {
                    System.out.println("node " + i + " sees /cluster " + get(i, "/cluster").body());
                    System.out.println("node " + i + " /replicas " + get(i, "/replicas").body());
                }
                // (Stack frames left out: a CI report shows only this, and the events are what tell.)
                List<String> lines = log.lines().filter(l -> !l.startsWith("\tat ")).toList();
                System.out.println("===== node " + i + " log (last 150 lines, without stack frames) =====");
                lines.subList(Math.max(0, lines.size() - 150), lines.size()).forEach(System.out::println);
            }
        }
    }

    /** Kills every node, then fails if any reported a thread-confinement violation. */
    @Override
    public void close() {
        AssertionError violations = null;
        for (NodeProcess n : nodes) {
            if (n != null) {
                try {
                    n.close();
                } catch (AssertionError e) {
                    if (violations == null) {
                        violations = e;
                    } else {
                        violations.addSuppressed(e);
                    }
                }
            }
        }
        if (violations != null) {
            throw violations;
        }
    }
}
